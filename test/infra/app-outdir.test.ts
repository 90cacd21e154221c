// An app built outside the CDK CLI stages its assets (24 MB of layers) in a folder of its own that
// goes when the process exits: without that, every test run and every `npm start` left dozens in
// the temporary directory until the disk was full.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTDIR_PARENT } from '../../lib/app-outdir.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Runs appOutdir() in a process of its own, twice, writes a file in each folder, and prints them. */
const outdirsOfAChild = (env: NodeJS.ProcessEnv = {}): string[] =>
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      "import { writeFileSync } from 'node:fs'; const { appOutdir } = await import('./lib/app-outdir.ts'); for (const d of [appOutdir(), appOutdir()]) { writeFileSync(d + '/staged', 'x'); console.log(d); }",
    ],
    { cwd: ROOT, env: { ...process.env, CDK_OUTDIR: '', ...env }, encoding: 'utf8' },
  )
    .trim()
    .split('\n');

describe("the CDK app's output folder", () => {
  it('is a temporary folder per app, removed when the process exits', () => {
    const dirs = outdirsOfAChild();
    expect(dirs).toHaveLength(2);
    for (const dir of dirs) {
      expect(path.dirname(dir)).toBe(OUTDIR_PARENT);
      expect(existsSync(dir)).toBe(false);
    }
  });

  it('is removed by the next process when its own was killed before it could', () => {
    // A worker killed outright: its folder, named after a process that is gone, stays behind.
    const orphan = path.join(OUTDIR_PARENT, '2147483646-killed');
    mkdirSync(orphan, { recursive: true });
    writeFileSync(path.join(orphan, 'asset.zip'), 'x');

    outdirsOfAChild();

    expect(existsSync(orphan)).toBe(false);
  });

  it("is the CLI's folder when the CLI names one, and stays", () => {
    const cli = mkdtempSync(path.join(tmpdir(), 'cli-out-'));
    try {
      expect(outdirsOfAChild({ CDK_OUTDIR: cli })).toEqual([cli, cli]);
      expect(existsSync(path.join(cli, 'staged'))).toBe(true);
    } finally {
      rmSync(cli, { recursive: true, force: true });
    }
  });
});
