// Where an app built outside the CDK CLI (the tests, the local runtime) stages its assets. The CLI
// names one (CDK_OUTDIR); without it the CDK makes a temporary folder per app and never removes it,
// 24 MB of layers each: every test run and every `npm start` left dozens behind until the disk filled.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Our folders, each named after the process that made it: `<pid>-<random>`. */
export const OUTDIR_PARENT = path.join(tmpdir(), 'cvd-cdk-out');

const made = new Set<string>();
let started = false;

/**
 * The CLI's folder, or a temporary one of our own. It goes when the process exits; a process killed
 * outright (a test worker, say) cannot do that, so the first app of each process also removes the
 * folders of processes that are gone.
 */
export function appOutdir(): string {
  const fromCli = process.env.CDK_OUTDIR;
  if (fromCli) return fromCli;
  if (!started) {
    started = true;
    mkdirSync(OUTDIR_PARENT, { recursive: true });
    removeOrphans();
    process.once('exit', () => {
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    });
  }
  const dir = mkdtempSync(path.join(OUTDIR_PARENT, `${process.pid}-`));
  made.add(dir);
  return dir;
}

function removeOrphans(): void {
  for (const name of readdirSync(OUTDIR_PARENT)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (Number.isSafeInteger(pid) && pid !== process.pid && !isAlive(pid))
      rmSync(path.join(OUTDIR_PARENT, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, someone else's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
