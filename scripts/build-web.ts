// Builds the web pages (web/src/*.ts, web/pages/*.html, web/src/style.css) into web/dist/ with
// esbuild: one small ES module per page, no framework. `npm start` builds on demand through
// lib/local/static.ts; run this file directly to build by hand: `npx tsx scripts/build-web.ts`.
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build, buildSync } from 'esbuild';

export const WEB_ROOT = path.resolve(import.meta.dirname, '..', 'web');
export const WEB_DIST = path.join(WEB_ROOT, 'dist');
/** The pages; each has web/pages/<name>.html and web/src/<name>.ts. */
export const PAGES = ['report', 'status', 'vendor', 'console'] as const;
/** style.css for the pages; note.css for the published note pages the API serves. */
export const STYLESHEETS = ['style.css', 'note.css'] as const;

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));

/** The newest modification time among the sources (and this script). */
export function sourcesMtime(): number {
  const all = [...files(path.join(WEB_ROOT, 'src')), ...files(path.join(WEB_ROOT, 'pages')), import.meta.filename];
  return Math.max(...all.map((f) => statSync(f).mtimeMs));
}

/** When web/dist was last built, or 0 when it is missing or incomplete. */
export function distMtime(): number {
  try {
    const marks = [
      ...PAGES.map((p) => path.join(WEB_DIST, `${p}.html`)),
      ...PAGES.map((p) => path.join(WEB_DIST, 'assets', `${p}.js`)),
      ...STYLESHEETS.map((css) => path.join(WEB_DIST, 'assets', css)),
    ];
    return Math.min(...marks.map((f) => statSync(f).mtimeMs));
  } catch {
    return 0;
  }
}

export const isStale = (): boolean => distMtime() < sourcesMtime();

const esbuildOptions = (outDir: string): BuildOptions => ({
  entryPoints: PAGES.map((p) => path.join(WEB_ROOT, 'src', `${p}.ts`)),
  outdir: path.join(outDir, 'assets'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'silent',
});

function copyStatic(outDir: string): void {
  for (const css of STYLESHEETS) copyFileSync(path.join(WEB_ROOT, 'src', css), path.join(outDir, 'assets', css));
  for (const p of PAGES) copyFileSync(path.join(WEB_ROOT, 'pages', `${p}.html`), path.join(outDir, `${p}.html`));
}

/**
 * Builds into web/dist, for the local stack. Several processes may build at once (test workers,
 * each with its own stack): each builds into a folder of its own and swaps it in by renaming, so
 * no process ever empties a folder another is writing or serving from.
 */
export async function buildWeb(): Promise<{ ms: number }> {
  const started = performance.now();
  const own = `${WEB_DIST}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(path.join(own, 'assets'), { recursive: true });
  await build(esbuildOptions(own));
  copyStatic(own);
  const old = `${own}.old`;
  try {
    renameSync(WEB_DIST, old);
  } catch {
    // No dist yet, or another process just moved it.
  }
  try {
    renameSync(own, WEB_DIST);
  } catch {
    // Another process's fresh build is in place: as good as ours.
    rmSync(own, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  return { ms: Math.round(performance.now() - started) };
}

/** Builds into a directory of the caller's (CDK's asset bundling, which cannot wait for a promise). */
export function buildWebInto(outDir: string): void {
  mkdirSync(path.join(outDir, 'assets'), { recursive: true });
  buildSync(esbuildOptions(outDir));
  copyStatic(outDir);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { ms } = await buildWeb();
  console.log(`web/dist built in ${ms} ms`);
}
