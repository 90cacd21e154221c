// The synthesized template, kept on disk under a hash of everything synthesis reads. Some forty test
// files boot a stack or the workflow, and synthesizing costs each of them about 5 s of CPU (2 s of it
// loading aws-cdk-lib); the first file of a run pays it, the others read the JSON.
import { createHash, type Hash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** What the app's synthesis reads: its code, the pages' sources, the configuration and the pinned packages. */
const INPUTS = [
  'lib',
  'functions',
  'web/src',
  'web/pages',
  'web/tsconfig.json',
  'scripts',
  // The callers: the options they pass to the app are code here.
  'test/builders',
  'cdk.json',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];
const DIR = path.join(ROOT, 'node_modules', '.cache', 'cvd-template');
/** Enough for the contexts one run uses; older entries (earlier edits) are removed. */
const KEEP = 12;

let sources: string | undefined;

function hashTree(hash: Hash, relative: string): void {
  const full = path.join(ROOT, relative);
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(full);
  } catch {
    hash.update(`missing:${relative}\0`);
    return;
  }
  if (stat.isDirectory()) {
    for (const name of readdirSync(full).sort()) {
      if (name === 'node_modules' || name === 'dist') continue;
      hashTree(hash, path.join(relative, name));
    }
    return;
  }
  hash.update(`${relative}\0`);
  hash.update(readFileSync(full));
  hash.update('\0');
}

/** The cache key: the sources, the context, and the environment CDK reads (CDK_*, CVD_*). */
export function templateKey(name: string, context: unknown): string {
  if (sources === undefined) {
    const hash = createHash('sha256');
    for (const input of INPUTS) hashTree(hash, input);
    sources = hash.digest('hex');
  }
  const env = Object.entries(process.env)
    .filter(([k]) => k.startsWith('CDK_') || k.startsWith('CVD_'))
    .sort(([a], [b]) => a.localeCompare(b));
  const key = createHash('sha256')
    .update(JSON.stringify([name, sources, context, env, process.version]))
    .digest('hex');
  return `${name}-${key.slice(0, 32)}`;
}

function read<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function write(file: string, value: unknown): void {
  try {
    mkdirSync(DIR, { recursive: true });
    // Test files run in parallel: write aside, then rename, so no reader sees half a file.
    const aside = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(aside, JSON.stringify(value));
    renameSync(aside, file);
    const entries = readdirSync(DIR)
      .map((f) => ({ f, at: statSync(path.join(DIR, f)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const { f } of entries.slice(KEEP)) rmSync(path.join(DIR, f), { force: true });
  } catch {
    // A cache that cannot be written only costs the next file its own synthesis.
  }
}

export function cachedSync<T>(name: string, context: unknown, make: () => T): T {
  const file = path.join(DIR, `${templateKey(name, context)}.json`);
  const hit = read<T>(file);
  if (hit !== undefined) return hit;
  const value = make();
  write(file, value);
  return value;
}

export async function cached<T>(name: string, context: unknown, make: () => Promise<T>): Promise<T> {
  const file = path.join(DIR, `${templateKey(name, context)}.json`);
  const hit = read<T>(file);
  if (hit !== undefined) return hit;
  const value = await make();
  write(file, value);
  return value;
}
