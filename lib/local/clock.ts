// The local runtime's clock. It owns every timer: real time by default, or moved by hand
// (POST /_local/clock, tests). Timers of any length work: the real setTimeout behind them is armed
// in chunks below the 24.8-day limit of a 32-bit timer, so a 45-day embargo never fires at once.

const MAX_REAL_TIMEOUT_MS = 2_000_000_000; // < 2^31 - 1

interface Timer {
  id: number;
  at: number;
  fire: () => void;
}

export class Clock {
  /** Virtual time = real time + offset (real mode), or a fixed instant moved by hand (manual mode). */
  private offsetMs = 0;
  private manualNow: number | null;
  private timers: Timer[] = [];
  private nextId = 1;
  private realTimer: NodeJS.Timeout | null = null;
  /** An advance in progress fires timers itself, one at a time; the real timer stays off meanwhile. */
  private advancing = false;
  /** Advances run one after another: two at once would interleave their timers. */
  private advances: Promise<void> = Promise.resolve();

  constructor(opts: { manualStart?: string } = {}) {
    this.manualNow = opts.manualStart ? Date.parse(opts.manualStart) : null;
  }

  nowMs(): number {
    return this.manualNow ?? Date.now() + this.offsetMs;
  }
  now(): string {
    return new Date(this.nowMs()).toISOString();
  }

  /** Calls `fire` when the clock reaches `at` (ms since the epoch); returns a cancel function. */
  at(at: number, fire: () => void): () => void {
    const timer = { id: this.nextId++, at, fire };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
    this.arm();
    return () => {
      this.timers = this.timers.filter((t) => t.id !== timer.id);
      this.arm();
    };
  }

  /** The earliest pending timer's instant, if any. */
  nextTimerAt(): number | null {
    return this.timers[0]?.at ?? null;
  }

  /**
   * Moves the clock forward to `to`, firing due timers one at a time, in order, each at its own
   * instant; `settle` runs before the first and after each, so the work a timer starts (and the
   * timers that work sets) is done before the next one fires. A failed settle stops the advance
   * where it stands.
   */
  advanceTo(to: number, settle: () => Promise<void>): Promise<void> {
    const run = this.advances.then(() => this.advanceNow(to, settle));
    this.advances = run.catch(() => undefined);
    return run;
  }

  private async advanceNow(to: number, settle: () => Promise<void>): Promise<void> {
    this.advancing = true;
    this.arm();
    try {
      const target = Math.max(to, this.nowMs());
      await settle();
      for (;;) {
        const next = this.timers[0];
        if (!next || next.at > target) break;
        this.setNow(Math.max(next.at, this.nowMs()));
        this.timers.shift();
        next.fire();
        await settle();
      }
      // In real time the settles took time too: the clock never goes back.
      this.setNow(Math.max(target, this.nowMs()));
    } finally {
      this.advancing = false;
      this.arm();
    }
  }

  private setNow(ms: number): void {
    if (this.manualNow !== null) this.manualNow = ms;
    else this.offsetMs = ms - Date.now();
  }

  /** In real mode, one real timeout for the earliest timer, re-armed in chunks for long waits. */
  private arm(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = null;
    if (this.manualNow !== null || this.advancing) return;
    const next = this.timers[0];
    if (!next) return;
    const delay = Math.min(MAX_REAL_TIMEOUT_MS, Math.max(0, next.at - this.nowMs()));
    this.realTimer = setTimeout(() => {
      this.realTimer = null;
      const due = this.timers.filter((t) => t.at <= this.nowMs());
      this.timers = this.timers.filter((t) => t.at > this.nowMs());
      for (const t of due) t.fire();
      this.arm();
    }, delay);
    this.realTimer.unref?.();
  }

  /** Stops the real timer (the process may exit); pending timers are dropped. */
  stop(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = null;
    this.timers = [];
  }
}
