// The local runtime's clock. It owns every timer: real time by default, or moved by hand
// (POST /_local/clock, tests). Timers of any length work: the real setTimeout behind them is armed
// in chunks below the 24.8-day limit of a 32-bit timer, so a 45-day embargo never fires at once.

const MAX_REAL_TIMEOUT_MS = 2_000_000_000; // < 2^31 - 1

interface Timer {
  id: number;
  at: number;
  fire: () => void;
}

const earlier = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.id < b.id);

/**
 * Pending timers, earliest first (then in the order they were set): a binary heap, so that setting
 * or firing one of ten thousand parked timers costs a few steps, not a sort or a copy of them all.
 * A cancelled timer is only forgotten here; it is dropped when it reaches the top.
 */
class TimerQueue {
  private heap: Timer[] = [];
  private readonly live = new Set<number>();

  push(t: Timer): void {
    this.live.add(t.id);
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = h[parent] as Timer;
      if (!earlier(t, up)) break;
      h[i] = up;
      i = parent;
    }
    h[i] = t;
  }

  cancel(id: number): void {
    this.live.delete(id);
    this.dropCancelled();
  }

  peek(): Timer | undefined {
    return this.heap[0];
  }

  shift(): Timer | undefined {
    const top = this.heap[0];
    if (!top) return undefined;
    this.removeTop();
    this.live.delete(top.id);
    this.dropCancelled();
    return top;
  }

  clear(): void {
    this.heap = [];
    this.live.clear();
  }

  private dropCancelled(): void {
    for (let top = this.heap[0]; top && !this.live.has(top.id); top = this.heap[0]) this.removeTop();
  }

  private removeTop(): void {
    const h = this.heap;
    const last = h.pop();
    if (h.length === 0 || !last) return;
    // Sift the last timer down from the top to its place.
    let i = 0;
    for (;;) {
      const l = h[2 * i + 1];
      const r = h[2 * i + 2];
      const child = r && l && earlier(r, l) ? r : l;
      if (!child || !earlier(child, last)) break;
      h[i] = child;
      i = child === r ? 2 * i + 2 : 2 * i + 1;
    }
    h[i] = last;
  }
}

export class Clock {
  /** Virtual time = real time + offset (real mode), or a fixed instant moved by hand (manual mode). */
  private offsetMs = 0;
  private manualNow: number | null;
  private readonly timers = new TimerQueue();
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
    const wasFirst = this.timers.peek();
    this.timers.push(timer);
    // The real timer follows the earliest timer only: a later one changes nothing of it.
    if (this.timers.peek() !== wasFirst) this.arm();
    return () => {
      const first = this.timers.peek();
      this.timers.cancel(timer.id);
      if (this.timers.peek() !== first) this.arm();
    };
  }

  /** The earliest pending timer's instant, if any. */
  nextTimerAt(): number | null {
    return this.timers.peek()?.at ?? null;
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
        const next = this.timers.peek();
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
    const next = this.timers.peek();
    if (!next) return;
    const delay = Math.min(MAX_REAL_TIMEOUT_MS, Math.max(0, next.at - this.nowMs()));
    this.realTimer = setTimeout(() => {
      this.realTimer = null;
      const now = this.nowMs();
      const due: Timer[] = [];
      for (let t = this.timers.peek(); t && t.at <= now; t = this.timers.peek()) due.push(this.timers.shift() as Timer);
      for (const t of due) t.fire();
      this.arm();
    }, delay);
    this.realTimer.unref?.();
  }

  /** Stops the real timer (the process may exit); pending timers are dropped. */
  stop(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = null;
    this.timers.clear();
  }
}
