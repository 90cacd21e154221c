// Pathological Markdown: each input of test/builders/pathological-markdown.ts (as large as a draft
// may be) rendered by the note renderer, best of a few runs; the target is every one under 50 ms.
// The renderer is bundled with the Lambdas' esbuild options and run in a child process of its own,
// so the figures are those of the code a Lambda or the draft view runs, on a fresh heap.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { BUNDLING } from '../lib/bundling.js';

export interface MarkdownFigure {
  input: string;
  chars: number;
  htmlChars: number;
  bestMs: number;
}

export const MARKDOWN_TARGET_MS = 50;

const ROOT = path.resolve(import.meta.dirname, '..');

const DRIVER = `
import { markdownToHtml } from './functions/domain/publication/markdown-html.ts';
import { PATHOLOGICAL_MARKDOWN } from './test/builders/pathological-markdown.ts';
const runs = Number(process.argv[2]);
const figures = [];
for (const [input, md] of Object.entries(PATHOLOGICAL_MARKDOWN)) {
  let bestMs = Infinity;
  let htmlChars = 0;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    htmlChars = markdownToHtml(md).length;
    bestMs = Math.min(bestMs, performance.now() - t);
  }
  figures.push({ input, chars: md.length, htmlChars, bestMs });
}
process.stdout.write(JSON.stringify(figures));
`;

export async function measureMarkdown(runs = 5): Promise<MarkdownFigure[]> {
  const dir = path.join(ROOT, '.cvd', 'bench');
  mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, 'markdown.mjs');
  await build({
    stdin: { contents: DRIVER, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    outfile,
    minify: BUNDLING.minify,
    target: BUNDLING.target,
    format: BUNDLING.format,
    platform: BUNDLING.platform,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    logLevel: 'silent',
  });
  const out = execFileSync(process.execPath, [outfile, String(runs)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
  return JSON.parse(out) as MarkdownFigure[];
}
