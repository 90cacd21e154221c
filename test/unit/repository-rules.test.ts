// Rules about the code itself: documents a comment names exist in the repository, functions/ has
// no import cycle (type-only imports included: a cycle is a tangle whatever the bundler keeps), and
// no file in functions/ grows past 400 lines.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAX_LINES = 400;

function filesUnder(dir: string, ext = '.ts'): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...filesUnder(rel, ext));
    else if (rel.endsWith(ext)) out.push(rel);
  }
  return out;
}

/** Relative imports (and re-exports) of a TypeScript file, resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => m[1] ?? '');
  return specs.map((s) => path.normalize(path.join(path.dirname(file), s.replace(/\.js$/, '.ts'))));
}

describe('repository rules', () => {
  it('names only documents that exist in the repository', () => {
    const missing: string[] = [];
    for (const file of ['functions', 'lib', 'bin', 'web/src'].flatMap((d) => filesUnder(d))) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/(?<![\w/])((?:docs\/)?[\w./-]+\.md)\b/g)) {
        const named = m[1] ?? '';
        const candidates = [named, path.join(path.dirname(file), named)];
        if (!candidates.some((c) => existsSync(path.join(ROOT, c)))) missing.push(`${file}: ${named}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no import cycle in functions/', () => {
    const files = filesUnder('functions');
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => i.startsWith('functions/'))]));
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'visiting');
      stack.push(f);
      for (const next of graph.get(f) ?? []) {
        if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it(`keeps every file in functions/ within ${MAX_LINES} lines`, () => {
    const long = filesUnder('functions')
      .map((f) => ({ f, lines: readFileSync(path.join(ROOT, f), 'utf8').split('\n').length }))
      .filter((x) => x.lines > MAX_LINES)
      .map((x) => `${x.f}: ${x.lines}`);
    expect(long).toEqual([]);
  });
});
