// Processes that keep CPU cores busy, for tests that must hold on a loaded machine. Each is a
// child Node process spinning in a tight loop; stop() kills each by its own process id.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

// The loop checks now and then that its parent is alive, so a test runner killed outright
// leaves no spinning orphan behind (an orphan's parent id changes).
const SPIN = `const parent = process.ppid; let i = 0; for (;;) { if (++i === 50_000_000) { i = 0; if (process.ppid !== parent) process.exit(0); } }`;

export interface BusyCores {
  /** How many loops still run (each should, until stop). */
  running(): number;
  stop(): Promise<void>;
}

export async function busyCores(count: number): Promise<BusyCores> {
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const child = spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' });
      children.push(child);
      await once(child, 'spawn');
    }
  } catch (e) {
    await stopAll(children);
    throw e;
  }
  return {
    running: () => children.filter((c) => c.exitCode === null && c.signalCode === null).length,
    stop: () => stopAll(children),
  };
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (c) => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      const exited = once(c, 'exit');
      c.kill('SIGKILL');
      await exited;
    }),
  );
}
