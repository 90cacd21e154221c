// The case store, generic over the domain: an append-only event log per case, a snapshot that is
// a projection of it, the coordinator queue, access grants, idempotency records and wait tokens.
// Two implementations pass one contract suite: DynamoDB (dynamodb-event-store.ts) and an
// in-memory twin (memory-event-store.ts). This file holds the interface, the tokens and the retry
// loop; store-errors.ts the errors; store-items.ts the stored shapes both implementations share.
import { createHash, randomBytes } from 'node:crypto';
import { ConcurrencyError, CaseNotFoundError } from './store-errors.js';

export * from './store-errors.js';

// ---------------------------------------------------------------------------------------------
// The domain, as the store sees it

/** An event as stored and read back: the domain event plus its position in the case's log. */
export type Sequenced<E> = E & { seq: number };

/**
 * How the domain folds its events. The store never looks inside S or E beyond this; both must be
 * JSON-serialisable (they are stored as JSON, and the store hands back what JSON gives back).
 * E must not have its own `seq` field: the store sets it.
 */
export interface Projection<S, E extends object, Q = unknown> {
  /** The state of a case before any event. */
  initial(caseId: string): S;
  /** The domain fold, one event. Must be pure and deterministic: snapshots are rebuilt with it. */
  apply(state: S, event: Sequenced<E>): S;
  /**
   * Where the case sits in the coordinator queue; null keeps it out of every queue (closed cases,
   * say). nextDeadlineAt is an ISO-8601 instant; the store normalises it to `toISOString()` form
   * so that string order is time order.
   */
  indexKeys(state: S): { phase: string; nextDeadlineAt: string | null } | null;
  /**
   * What the queue lists of a case: computed at each write and kept in the case's small summary
   * item, which alone carries the index keys, so the index never copies the state. Pure, and
   * JSON-serialisable.
   */
  queueEntry(state: S): Q;
  /** Optional: how a large state is stored as a core and parts (see StateParts). Absent: one item. */
  parts?: StateParts<S>;
}

/**
 * How a large state divides into a core and named parts, each stored as an item of its own
 * (functions/adapters/snapshot-items.ts), so that an append rewrites the core and only the parts
 * whose JSON changed. Both must be pure; join(split(s)) must equal s, JSON for JSON, and split
 * must give the same parts for equal states. Part names: 1 to 64 letters, digits, '-' or '_'.
 */
export interface StateParts<S> {
  /** null keeps the state in one item (the usual case: splitting only pays for large states). */
  split(state: S): { core: unknown; parts: Record<string, unknown> } | null;
  join(core: unknown, parts: Readonly<Record<string, unknown>>): S;
  /**
   * Preset deflate dictionaries for the parts, newest first: a part is written with the first and
   * read with the one it names. Never edit or drop one that parts were written with (they could no
   * longer be read): put a new one in front.
   */
  dictionaries?: readonly string[];
  /**
   * Optional: the core and the parts of a slice's state after events were folded onto it
   * (EventLog.appendToSlice). `held`: the parts the slice holds; the result must have exactly
   * those, and a core that still says what the other parts are. null when the events reached past
   * the slice: the append is then refused and must be decided on the whole case. Without it, no
   * append on a slice.
   */
  splitSlice?(state: S, held: readonly string[]): { core: unknown; parts: Record<string, unknown> } | null;
}

export interface Loaded<S> {
  caseId: string;
  /** The seq of the last event folded into state; 0 for a case that does not exist yet. */
  version: number;
  state: S;
}

export interface AppendResult<S, E> extends Loaded<S> {
  /** The events this append wrote, with their seqs. */
  appended: Sequenced<E>[];
}

export interface AppendOptions<S> {
  /**
   * The case as loaded at expectedVersion. Passing it saves the read the store otherwise makes to
   * learn the state to fold onto. It must come from load() (or be the initial state for version
   * 0): the optimistic lock relies on expectedVersion being the end of a stored append.
   */
  base?: Loaded<S>;
  /**
   * Refuse the append (ItemTooLargeError, nothing written) if the snapshot would take more than
   * this many bytes: appends from participants stop short of the item limit, so room stays for
   * the coordinators' and the workflow's events.
   */
  maxSnapshotBytes?: number;
}

export interface ReadEventsOptions {
  /** Return events with seq greater than this; default 0 (from the start). */
  afterSeq?: number;
  /** At most this many events; default 500. */
  limit?: number;
}

export interface EventPage<E> {
  events: Sequenced<E>[];
  /** Pass as afterSeq to read on; null when there are no events after this page. */
  nextAfterSeq: number | null;
}

export interface QueueOptions {
  /** At most this many cases; default 50. */
  limit?: number;
  /** Opaque, from a previous page of the same phase. */
  cursor?: string;
}

export interface QueueItem<Q> {
  caseId: string;
  version: number;
  nextDeadlineAt: string | null;
  /** Projection.queueEntry of the case as of `version`. */
  entry: Q;
}

export interface QueuePage<Q> {
  items: QueueItem<Q>[];
  /** Pass back for the next page; null when this was the last. */
  cursor: string | null;
}

export type GrantRole = 'reporter' | 'vendor';

/** A capability to act on one case as one participant. Only the token's hash is ever stored. */
export interface AccessGrant {
  tokenHash: string;
  caseId: string;
  role: GrantRole;
  participantId: string;
  /** For a vendor: the contact the link was mailed to (one link per contact). */
  contact?: string;
  /** Which generation of the holder's link this is; the case says which one is live. */
  generation?: number;
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
}

export interface IdempotencyRecord {
  keyHash: string;
  /** A hash of the request body, so a reused key with a different request can be refused. */
  requestHash: string;
  state: 'pending' | 'done';
  /** The JSON result recorded by completeIdempotency. */
  result?: unknown;
  createdAt: string;
}

export type IdempotencyClaim = { status: 'claimed' } | { status: 'existing'; record: IdempotencyRecord };

/** A Step Functions task token parked on a case. It never leaves the server. */
export interface CaseWait {
  /** What the execution waits for, e.g. 'triage-decision'. */
  kind: string;
  token: string;
  since: string;
  deadlineAt?: string;
}

/** The case's event log and its snapshot. */
export interface EventLog<S, E extends object, Q = unknown> {
  readonly projection: Projection<S, E, Q>;

  /** The case, strongly consistent; folds (and writes back, best effort) events a stale snapshot lacks. */
  load(caseId: string): Promise<Loaded<S> | null>;

  /**
   * Appends events as one atomic commit at expectedVersion + 1 .. expectedVersion + n.
   * Throws ConcurrencyError if the case is no longer at expectedVersion (nothing is written),
   * CaseExistsError (a ConcurrencyError) if expectedVersion is 0 and the case exists,
   * CaseNotFoundError if expectedVersion > 0 and the case does not exist, ItemTooLargeError if the
   * events or the resulting snapshot would not fit in an item (nothing is written).
   */
  append(caseId: string, expectedVersion: number, events: readonly E[], opts?: AppendOptions<S>): Promise<AppendResult<S, E>>;

  readEvents(caseId: string, opts?: ReadEventsOptions): Promise<EventPage<E>>;

  /**
   * The case's core and the named parts only (Projection.parts), strongly consistent, for a reader
   * that needs no more: a few KB of a case of hundreds of vendors. The whole case when it is one
   * item, or when its snapshot is behind its log (load() then repairs it). Never a base for append.
   */
  loadSlice(caseId: string, parts: readonly string[]): Promise<Slice<S> | null>;

  /**
   * Appends events decided on a slice this store read, as one commit at slice.version + 1 ..: the
   * core and the parts the slice holds are rewritten, every other part stays as the core names it,
   * unread. ConcurrencyError as append (read the slice again and decide again); SliceTooNarrowError,
   * nothing written, when the events reach past the slice (StateParts.splitSlice): decide on the
   * whole case. A whole slice appends as append does. The result is a slice at the new version.
   */
  appendToSlice(slice: Slice<S>, events: readonly E[], opts?: Pick<AppendOptions<S>, 'maxSnapshotBytes'>): Promise<SliceAppended<S, E>>;
}

export interface SliceAppended<S, E> extends Slice<S> {
  appended: Sequenced<E>[];
}

/** A part of a case (EventLog.loadSlice). Not a Loaded: no append can be decided on it. */
export interface Slice<S> {
  caseId: string;
  version: number;
  /** The core joined with the parts asked for; every other part absent unless `whole`. */
  partial: S;
  whole: boolean;
}

/** The coordinators' queue: the cases' summaries indexed by phase and next deadline. */
export interface CaseQueue<Q> {
  /** Cases in a phase, earliest next deadline (overdue) first, no deadline last. Eventually consistent. */
  queue(phase: string, opts?: QueueOptions): Promise<QueuePage<Q>>;
  /**
   * The case's summary as its last written append left it (strongly consistent): a few hundred
   * bytes where load reads the whole case. null when there is none (a case written before
   * summaries, or in no queue). It may be behind the log: compare `version`.
   */
  summary(caseId: string): Promise<{ version: number; entry: Q } | null>;
}

/** Participants' access grants, by the hash of their token. */
export interface GrantStore {
  /** Stores a new grant; GrantExistsError if the hash is already taken (a reused token). */
  putGrant(grant: AccessGrant): Promise<void>;
  /** The grant as stored, revoked or expired ones included: check with isGrantActive. */
  getGrant(tokenHash: string): Promise<AccessGrant | null>;
  /** Marks a grant revoked; revoking twice keeps the first time. GrantNotFoundError if absent. */
  revokeGrant(tokenHash: string, revokedAt: string): Promise<void>;
}

/** Idempotency-Key records of the HTTP API. */
export interface IdempotencyStore {
  /** Put-if-absent: the first caller gets 'claimed', later ones the record (pending or done). */
  claimIdempotency(keyHash: string, requestHash: string, now: string): Promise<IdempotencyClaim>;
  /** Records the result of a claimed key; the first result stays. IdempotencyKeyNotFoundError if unclaimed. */
  completeIdempotency(keyHash: string, result: unknown): Promise<void>;
  /** Drops a pending claim after the work failed, so a retry can claim again. A done record stays. */
  releaseIdempotency(keyHash: string): Promise<void>;
}

/** The Step Functions task token a case's execution is parked on. */
export interface WaitStore {
  /** Parks a task token on the case, replacing any earlier one. */
  putWait(caseId: string, wait: CaseWait): Promise<void>;
  getWait(caseId: string): Promise<CaseWait | null>;
  /** Clears the wait only if it still holds this token (so an old wait never clears a newer one). */
  clearWait(caseId: string, token: string): Promise<boolean>;
}

/**
 * Everything kept in the case table, one interface per concern: code that needs one concern asks
 * for that interface (a use case that only checks grants takes a GrantStore).
 */
export interface CaseStore<S, E extends object, Q = unknown>
  extends EventLog<S, E, Q>,
    CaseQueue<Q>,
    GrantStore,
    IdempotencyStore,
    WaitStore {}

/** Lets tests simulate a process dying between the commit put and the snapshot update. */
export interface FaultInjection {
  /** Called after the commit is stored and before the snapshot update; throwing aborts the append there. */
  afterCommit?: (commit: { caseId: string; firstSeq: number; lastSeq: number }) => void | Promise<void>;
  /** Called after a split snapshot's changed parts are written, before its core; throwing aborts there. */
  afterParts?: (commit: { caseId: string; version: number }) => void | Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Partial states

const PARTIAL = new WeakSet<object>();

/** Marks a state built from a slice (or narrowed from a case) for a reader: append refuses it as a base. */
export function partialState<T extends object>(state: T): T {
  PARTIAL.add(state);
  return state;
}

/** Throws when a change is about to be decided on a partial state: it would write every part it lacks away. */
export function assertWhole(state: unknown): void {
  if (typeof state === 'object' && state !== null && PARTIAL.has(state))
    throw new TypeError('a partial state (a slice) cannot be the base of an append');
}

// ---------------------------------------------------------------------------------------------
// Tokens and hashes

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The only form of an access token the store accepts; the raw token is never stored. */
export function hashToken(token: string): string {
  return sha256Hex(token);
}

/** 256 bits from the CSPRNG, URL-safe (it ends up in links). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isGrantActive(grant: AccessGrant, now: string): boolean {
  if (grant.revokedAt !== undefined) return false;
  return grant.expiresAt === undefined || Date.parse(grant.expiresAt) > Date.parse(now);
}

// ---------------------------------------------------------------------------------------------
// The retry loop every writer uses

export interface AppendWithRetryOptions<S = unknown> {
  /**
   * The case as the caller last read it: the first try decides on it instead of reading again. A
   * stale one only costs a conflict, and the next try reads.
   */
  first?: Loaded<S>;
  /** Tries in all, default 5. Every failed try means another writer made progress. */
  attempts?: number;
  /** Decide on the initial state (version 0) when the case does not exist, instead of CaseNotFoundError. */
  create?: boolean;
  /** See AppendOptions.maxSnapshotBytes. */
  maxSnapshotBytes?: number;
}

/**
 * Load, decide, append; on a conflict decide again from a fresh read. decide must base its events
 * on the state it is given (that is what makes the retry safe). An empty decision writes nothing
 * and returns the case as read. After `attempts` conflicts the last ConcurrencyError is thrown.
 */
export async function appendWithRetry<S, E extends object, Q>(
  store: EventLog<S, E, Q>,
  caseId: string,
  // NoInfer: E comes from the store, so event literals in decide are checked against it, not widened.
  decide: (loaded: Loaded<S>) => readonly NoInfer<E>[] | Promise<readonly NoInfer<E>[]>,
  opts: AppendWithRetryOptions<S> = {},
): Promise<AppendResult<S, E>> {
  const attempts = opts.attempts ?? 5;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer: ${attempts}`);
  let lastConflict: ConcurrencyError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const loaded =
      (attempt === 1 && opts.first) || (await store.load(caseId)) || initialLoaded(store.projection, caseId, opts.create === true);
    assertWhole(loaded.state);
    const events = await decide(loaded);
    if (events.length === 0) return { ...loaded, appended: [] };
    try {
      // No backoff: a conflict means the other writer's commit is already stored, so the reread
      // sees it; every lost round is some writer's win, so the loop always makes progress.
      return await store.append(caseId, loaded.version, events, {
        base: loaded,
        ...(opts.maxSnapshotBytes === undefined ? {} : { maxSnapshotBytes: opts.maxSnapshotBytes }),
      });
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      lastConflict = error;
    }
  }
  throw lastConflict ?? new ConcurrencyError(caseId, -1);
}

function initialLoaded<S, E extends object, Q>(projection: Projection<S, E, Q>, caseId: string, create: boolean): Loaded<S> {
  if (!create) throw new CaseNotFoundError(caseId);
  return { caseId, version: 0, state: projection.initial(caseId) };
}
