// One workflow turn's own records, written together. A round of mail to hundreds of vendors used
// to append once per e-mail (its record) and once per reminder, each append rewriting the whole
// case item: with 500 vendors, moving the clock 50 days took minutes. In a turn, those records
// (RECORDS below) are decided at once on the turn's copy of the case, so the next send sees them,
// and written as one append every WRITES_PER_APPEND commands, before any other command, before the
// case is read again, and when the turn ends, fails or runs out of time (functions/app/mail.ts inTurn).
//
// The price: an e-mail is sent before its record is written, as before, but a turn killed outright
// (a timeout, an out-of-memory) between two writes can repeat up to WRITES_PER_APPEND messages
// when it is retried. Never fewer than were sent: at-least-once, as the log was always.
import { type CaseStore, ConcurrencyError, type Loaded, appendWithRetry } from '../adapters/event-store.js';
import { ACCESS } from '../domain/command-access.js';
import { type CaseState, apply } from '../domain/case.js';
import type { Command, CommandType, DecideContext } from '../domain/command.js';
import { DomainError, isSliceTooNarrow } from '../domain/errors.js';
import type { Actor, CaseEvent } from '../domain/events.js';
import type { Policy } from '../domain/policy.js';
import type { Telemetry } from './telemetry.js';

/** How many records wait at most before they are written: also the most mail a killed turn can repeat. */
export const WRITES_PER_APPEND = 25;

/**
 * How old, in real time, the turn's copy of the case may be when it addresses mail before it asks
 * the table whether someone wrote since. About what one record's write took when each e-mail had
 * its own: a removal a coordinator makes now is honoured by mail addressed a fifth of a second later.
 */
export const FRESH_WITHIN_MS = 200;

/**
 * The commands a turn may hold back: the system's small records of what it did (mail sent or held,
 * reminders, escalations, contacts made, the events applied). Anything else, a phase change above
 * all, is written at once, after whatever waits.
 */
export const RECORDS: ReadonlySet<CommandType> = new Set<CommandType>([
  'record-notification',
  'hold-notice',
  'record-digest',
  'send-reminder',
  'mark-unresponsive',
  'record-vendor-contact',
  'escalate-vendor-contact',
  'escalate-triage',
  'mark-applied',
]);

export type Decider = (s: CaseState, c: Command, ctx: DecideContext) => CaseEvent[];

interface Held {
  command: Command;
  actor: Actor;
  decider: Decider;
  /** When it was decided: written later, it keeps that time. */
  now: string;
}

export interface HeldResult {
  before: CaseState;
  state: CaseState;
  version: number;
  appended: (CaseEvent & { seq: number })[];
}

export class TurnWrites {
  /** The case as last read or written; `local` is it with the held records folded in. */
  private stored: Loaded<CaseState> | null = null;
  private local: { state: CaseState; version: number } | null = null;
  private held: Held[] = [];
  /** The held records' events, decided on `stored`: written as they are unless someone wrote since. */
  private events: CaseEvent[] = [];

  constructor(
    private readonly deps: {
      store: CaseStore<CaseState, CaseEvent>;
      policy: Policy;
      now: () => string;
      telemetry?: Telemetry;
    },
    readonly caseId: string,
    private readonly freshWithinMs: number = FRESH_WITHIN_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** When (real time) the turn's copy was last known to be the stored case. */
  private syncedAt = Number.NEGATIVE_INFINITY;

  /** Whether this command on this case may wait for the turn's next write. */
  holds(caseId: string, command: Command, actor: Actor): boolean {
    return caseId === this.caseId && actor.role === 'system' && RECORDS.has(command.type);
  }

  get waiting(): number {
    return this.held.length;
  }

  /** The case as the turn read it: later decisions start from it instead of reading again. */
  seed(state: CaseState, version: number): void {
    if (this.held.length > 0) return;
    this.stored = { caseId: this.caseId, state, version };
    this.local = { state, version };
    this.syncedAt = this.clock();
  }

  /**
   * The case to choose recipients from: the turn's copy, or, when someone else wrote since the
   * turn last read or wrote it (a contact removed, a link revoked, a bounce), the case as stored
   * now, with what the turn holds written first. One point read; a load only when it changed.
   */
  async current(state: CaseState): Promise<CaseState> {
    if (!this.stored || state.caseId !== this.caseId) return state;
    const now = this.clock();
    if (now - this.syncedAt < this.freshWithinMs) return state;
    // The log past the turn's version (a query that reads the last commit at most): empty unless someone wrote.
    if ((await this.deps.store.readEvents(this.caseId, { afterSeq: this.stored.version, limit: 1 })).events.length === 0) {
      this.syncedAt = now;
      return state;
    }
    if (this.held.length > 0) return (await this.flush())?.state ?? state;
    return (await this.read()).state;
  }

  /** Decides the command on the turn's copy now (a refusal throws here, as it would at once); writes later. */
  async hold(command: Command, actor: Actor, decider: Decider): Promise<HeldResult> {
    // A turn run on a slice of a large case (functions/app/turn-slice.ts) reads the whole case
    // before a record a slice cannot decide (one that reads another vendor).
    if (this.local?.state.sliceFacts !== undefined && !ACCESS[command.type].slice?.includes(actor.role)) {
      await this.flush();
      await this.read();
    }
    const local = this.local ?? (await this.read());
    const now = this.deps.now();
    const events = decider(local.state, command, { now, actor, policy: this.deps.policy });
    if (events.length === 0) return { before: local.state, ...local, appended: [] };
    // Folded as the store folds: what a later reader parses, with the seqs the write will give them.
    const appended = (JSON.parse(JSON.stringify(events)) as CaseEvent[]).map((e, i) => ({ ...e, seq: local.version + 1 + i }));
    const state = appended.reduce(apply, local.state);
    this.local = { state, version: local.version + appended.length };
    this.held.push({ command, actor, decider, now });
    this.events.push(...events);
    const result = { before: local.state, ...this.local, appended };
    if (this.held.length >= WRITES_PER_APPEND) await this.flush();
    return result;
  }

  /**
   * Writes what waits as one append. If a participant wrote since the turn last read the case, the
   * records are decided again on the case as stored now: one refused by then (a vendor answered
   * before it was marked unresponsive) is dropped, as that command would have been refused at once.
   */
  async flush(): Promise<{ state: CaseState; version: number } | null> {
    if (this.held.length === 0) return this.local;
    const held = this.held;
    const decided = this.events;
    const first = this.stored ?? undefined;
    if (first?.state.sliceFacts !== undefined) {
      // Written on the slice the turn read, or, when they reach past it or someone wrote since, decided
      // again on the whole case as stored now. The records wait until one of the two succeeds.
      const r =
        (await this.onSlice(first, decided)) ??
        (await appendWithRetry(this.deps.store, this.caseId, (loaded) => this.decideAgain(held, loaded)));
      this.held = [];
      this.events = [];
      this.seed(r.state, r.version);
      return this.local;
    }
    const r = await appendWithRetry(
      this.deps.store,
      this.caseId,
      (loaded) => (loaded === first ? decided : this.decideAgain(held, loaded)),
      first ? { first } : {},
    );
    this.held = [];
    this.events = [];
    this.seed(r.state, r.version);
    return this.local;
  }

  private async onSlice(first: Loaded<CaseState>, events: CaseEvent[]): Promise<{ state: CaseState; version: number } | null> {
    try {
      const slice = { caseId: this.caseId, version: first.version, partial: first.state, whole: false };
      const r = await this.deps.store.appendToSlice(slice, events);
      return { state: r.partial, version: r.version };
    } catch (e) {
      if (isSliceTooNarrow(e) || e instanceof ConcurrencyError) return null;
      throw e;
    }
  }

  private decideAgain(held: Held[], loaded: Loaded<CaseState>): CaseEvent[] {
    let s = loaded.state;
    let seq = loaded.version;
    const out: CaseEvent[] = [];
    for (const h of held) {
      let events: CaseEvent[];
      try {
        events = h.decider(s, h.command, { now: h.now, actor: h.actor, policy: this.deps.policy });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        this.deps.telemetry?.log('info', 'held record refused on write', { caseId: this.caseId, events: h.command.type });
        continue;
      }
      for (const e of events) s = apply(s, { ...e, seq: ++seq } as CaseEvent & { seq: number });
      out.push(...events);
    }
    return out;
  }

  private async read(): Promise<{ state: CaseState; version: number }> {
    const loaded = await this.deps.store.load(this.caseId);
    if (!loaded) throw new DomainError('NotFound', 'no such case');
    this.seed(loaded.state, loaded.version);
    return { state: loaded.state, version: loaded.version };
  }
}
