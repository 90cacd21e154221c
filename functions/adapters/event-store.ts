// The case store, generic over the domain: an append-only event log per case, a snapshot that is
// a projection of it, the coordinator queue, access grants, idempotency records and wait tokens.
// Two implementations pass one contract suite: DynamoDB (dynamodb-event-store.ts) and an
// in-memory twin (memory-event-store.ts). This file holds the interface, the errors, and the
// pieces both implementations share so that their semantics cannot drift apart.
import { createHash, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { keyFits } from './key-limits.js';
import {
  caseCommitKey,
  caseSnapshotKey,
  caseWaitKey,
  grantKey,
  parsePhaseSortKey,
  phasePartition,
  phaseSortKey,
} from './table-layout.js';

// ---------------------------------------------------------------------------------------------
// The domain, as the store sees it

/** An event as stored and read back: the domain event plus its position in the case's log. */
export type Sequenced<E> = E & { seq: number };

/**
 * How the domain folds its events. The store never looks inside S or E beyond this; both must be
 * JSON-serialisable (they are stored as JSON, and the store hands back what JSON gives back).
 * E must not have its own `seq` field: the store sets it.
 */
export interface Projection<S, E extends object> {
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

export interface QueueItem<S> {
  caseId: string;
  version: number;
  nextDeadlineAt: string | null;
  state: S;
}

export interface QueuePage<S> {
  items: QueueItem<S>[];
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

export interface CaseStore<S, E extends object> {
  readonly projection: Projection<S, E>;

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

  /** Cases in a phase, earliest next deadline (overdue) first, no deadline last. Eventually consistent. */
  queue(phase: string, opts?: QueueOptions): Promise<QueuePage<S>>;

  /** Stores a new grant; GrantExistsError if the hash is already taken (a reused token). */
  putGrant(grant: AccessGrant): Promise<void>;
  /** The grant as stored, revoked or expired ones included: check with isGrantActive. */
  getGrant(tokenHash: string): Promise<AccessGrant | null>;
  /** Marks a grant revoked; revoking twice keeps the first time. GrantNotFoundError if absent. */
  revokeGrant(tokenHash: string, revokedAt: string): Promise<void>;

  /** Put-if-absent: the first caller gets 'claimed', later ones the record (pending or done). */
  claimIdempotency(keyHash: string, requestHash: string, now: string): Promise<IdempotencyClaim>;
  /** Records the result of a claimed key; the first result stays. IdempotencyKeyNotFoundError if unclaimed. */
  completeIdempotency(keyHash: string, result: unknown): Promise<void>;
  /** Drops a pending claim after the work failed, so a retry can claim again. A done record stays. */
  releaseIdempotency(keyHash: string): Promise<void>;

  /** Parks a task token on the case, replacing any earlier one. */
  putWait(caseId: string, wait: CaseWait): Promise<void>;
  getWait(caseId: string): Promise<CaseWait | null>;
  /** Clears the wait only if it still holds this token (so an old wait never clears a newer one). */
  clearWait(caseId: string, token: string): Promise<boolean>;
}

/** Lets tests simulate a process dying between the commit put and the snapshot update. */
export interface FaultInjection {
  /** Called after the commit is stored and before the snapshot update; throwing aborts the append there. */
  afterCommit?: (commit: { caseId: string; firstSeq: number; lastSeq: number }) => void | Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Errors: thrown, never returned. `name` survives bundling and crossing module copies.

export class ConcurrencyError extends Error {
  override readonly name: string = 'ConcurrencyError';
  constructor(
    readonly caseId: string,
    readonly expectedVersion: number,
    message = `case ${caseId} is no longer at version ${expectedVersion}`,
  ) {
    super(message);
  }
}

/** A create (expectedVersion 0) found the case already there. A ConcurrencyError, so retry loops reread. */
export class CaseExistsError extends ConcurrencyError {
  override readonly name: string = 'CaseExistsError';
  constructor(caseId: string) {
    super(caseId, 0, `case ${caseId} already exists`);
  }
}

export class CaseNotFoundError extends Error {
  override readonly name: string = 'CaseNotFoundError';
  constructor(readonly caseId: string) {
    super(`case ${caseId} does not exist`);
  }
}

export class ItemTooLargeError extends Error {
  override readonly name: string = 'ItemTooLargeError';
  constructor(
    readonly caseId: string,
    readonly what: 'events' | 'snapshot',
    readonly bytes: number,
  ) {
    super(
      `the ${what} of case ${caseId} would take ${bytes} bytes; at most ${MAX_PAYLOAD_BYTES} fit ` +
        `in one DynamoDB item (400 KB with keys and attributes)`,
    );
  }
}

/** The stored log has a gap or an overlap: a bug or a manual edit, never a race. */
export class CorruptLogError extends Error {
  override readonly name: string = 'CorruptLogError';
}

export class InvalidCursorError extends Error {
  override readonly name: string = 'InvalidCursorError';
  constructor() {
    super('the cursor is not one this queue returned');
  }
}

export class GrantExistsError extends Error {
  override readonly name: string = 'GrantExistsError';
  constructor() {
    super('a grant with this token hash already exists');
  }
}

export class GrantNotFoundError extends Error {
  override readonly name: string = 'GrantNotFoundError';
  constructor() {
    super('no grant with this token hash');
  }
}

export class IdempotencyKeyNotFoundError extends Error {
  override readonly name: string = 'IdempotencyKeyNotFoundError';
  constructor() {
    super('no idempotency record with this key hash');
  }
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

export interface AppendWithRetryOptions {
  /** Tries in all, default 5. Every failed try means another writer made progress. */
  attempts?: number;
  /** Decide on the initial state (version 0) when the case does not exist, instead of CaseNotFoundError. */
  create?: boolean;
}

/**
 * Load, decide, append; on a conflict decide again from a fresh read. decide must base its events
 * on the state it is given (that is what makes the retry safe). An empty decision writes nothing
 * and returns the case as read. After `attempts` conflicts the last ConcurrencyError is thrown.
 */
export async function appendWithRetry<S, E extends object>(
  store: CaseStore<S, E>,
  caseId: string,
  // NoInfer: E comes from the store, so event literals in decide are checked against it, not widened.
  decide: (loaded: Loaded<S>) => readonly NoInfer<E>[] | Promise<readonly NoInfer<E>[]>,
  opts: AppendWithRetryOptions = {},
): Promise<AppendResult<S, E>> {
  const attempts = opts.attempts ?? 5;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer: ${attempts}`);
  let lastConflict: ConcurrencyError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const loaded = (await store.load(caseId)) ?? initialLoaded(store.projection, caseId, opts.create === true);
    const events = await decide(loaded);
    if (events.length === 0) return { ...loaded, appended: [] };
    try {
      // No backoff: a conflict means the other writer's commit is already stored, so the reread
      // sees it; every lost round is some writer's win, so the loop always makes progress.
      return await store.append(caseId, loaded.version, events, { base: loaded });
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      lastConflict = error;
    }
  }
  throw lastConflict ?? new ConcurrencyError(caseId, -1);
}

function initialLoaded<S, E extends object>(projection: Projection<S, E>, caseId: string, create: boolean): Loaded<S> {
  if (!create) throw new CaseNotFoundError(caseId);
  return { caseId, version: 0, state: projection.initial(caseId) };
}

// ---------------------------------------------------------------------------------------------
// Stored item shapes and the logic both implementations share. Not for handlers.

/**
 * State and events are stored as JSON strings, not DynamoDB maps: the store treats them as
 * opaque, JSON round-trips them exactly (a map would turn numbers into N, reject NaN and nested
 * undefined, and could not tell an empty list from a missing one without care), the size check is
 * an exact byte count, and nothing ever filters on them inside DynamoDB: what the table needs
 * (version, phase, deadline) is lifted into attributes of its own.
 */
export interface SnapshotItem {
  PK: string;
  SK: string;
  caseId: string;
  version: number;
  /** The state as JSON; or, for a large state, `stateDeflated` (raw deflate, base64) instead. */
  state?: string;
  stateDeflated?: string;
  phase?: string;
  nextDeadlineAt?: string;
  GSI1PK?: string;
  GSI1SK?: string;
}

export interface CommitItem {
  PK: string;
  SK: string;
  caseId: string;
  firstSeq: number;
  lastSeq: number;
  /** Random per append: tells our own commit from a rival's when a retried put reports a conflict. */
  commitId: string;
  /** JSON array of the events with their seqs, firstSeq..lastSeq. */
  events: string;
}

export interface GrantItem extends AccessGrant {
  PK: string;
  SK: string;
}

export interface IdempotencyItem {
  PK: string;
  SK: string;
  keyHash: string;
  requestHash: string;
  state: 'pending' | 'done';
  /** JSON of the result. */
  result?: string;
  createdAt: string;
}

export interface WaitItem extends CaseWait {
  PK: string;
  SK: string;
  caseId: string;
}

/** Leaves room under DynamoDB's 400 KB item limit for keys and the other attributes. */
export const MAX_PAYLOAD_BYTES = 350_000;

/**
 * A state whose JSON is larger than this is stored deflated. A long case's state is mostly text
 * (draft revisions up to 128 KB each, messages), which deflates four to eight times, so the
 * 350 KB item check is reached by cases some megabytes large rather than by a few big drafts;
 * reads also cost that many fewer capacity units, in the table and in the queue index alike.
 */
export const DEFLATE_STATE_ABOVE_BYTES = 16_384;

/** The state JSON of a snapshot, deflated or not (snapshots written before deflation are plain). */
export function snapshotStateJson(item: Pick<SnapshotItem, 'state' | 'stateDeflated'>): string {
  if (item.stateDeflated !== undefined) return inflateRawSync(Buffer.from(item.stateDeflated, 'base64')).toString('utf8');
  if (item.state !== undefined) return item.state;
  throw new CorruptLogError('a snapshot without a state');
}

export const DEFAULT_READ_LIMIT = 500;
export const DEFAULT_QUEUE_LIMIT = 50;

export function assertCaseId(caseId: string): void {
  if (typeof caseId !== 'string' || caseId.length === 0) throw new TypeError('caseId must be a non-empty string');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A raw token passed by mistake is 43 base64url characters and fails here, before it is stored. */
export function assertHash(hash: string, what: string): void {
  if (typeof hash !== 'string' || !SHA256_HEX.test(hash)) {
    throw new TypeError(`${what} must be a sha256 hex digest (hash the raw value first)`);
  }
}

export function assertVersion(version: number): void {
  if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`version must be a non-negative integer: ${version}`);
}

export function positiveLimit(limit: number | undefined, fallback: number): number {
  const value = limit ?? fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`limit must be a positive integer: ${value}`);
  return value;
}

export interface PlannedAppend<S, E> {
  commit: CommitItem;
  snapshot: SnapshotItem;
  result: AppendResult<S, E>;
}

/**
 * Everything an append writes, computed before anything is written, so that an oversized state is
 * refused up front rather than leaving a committed event whose snapshot can never be stored.
 */
export function planAppend<S, E extends object>(
  projection: Projection<S, E>,
  base: Loaded<S>,
  events: readonly E[],
  commitId: string,
): PlannedAppend<S, E> {
  if (events.length === 0) throw new RangeError('an append needs at least one event');
  for (const event of events) {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new TypeError('events must be plain objects');
    }
  }
  const firstSeq = base.version + 1;
  const lastSeq = base.version + events.length;
  const json = JSON.stringify(events.map((event, i) => ({ ...event, seq: firstSeq + i })));
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) throw new ItemTooLargeError(base.caseId, 'events', bytes);
  // Fold what a later reader will parse, not the caller's objects, so both folds agree.
  const appended = JSON.parse(json) as Sequenced<E>[];
  const state = appended.reduce((s, event) => projection.apply(s, event), base.state);
  const snapshot = snapshotItem(projection, base.caseId, lastSeq, state);
  return {
    commit: { ...caseCommitKey(base.caseId, firstSeq), caseId: base.caseId, firstSeq, lastSeq, commitId, events: json },
    snapshot,
    result: { caseId: base.caseId, version: lastSeq, state: JSON.parse(snapshotStateJson(snapshot)) as S, appended },
  };
}

export function snapshotItem<S, E extends object>(
  projection: Projection<S, E>,
  caseId: string,
  version: number,
  state: S,
): SnapshotItem {
  const json = JSON.stringify(state);
  if (json === undefined) throw new TypeError('the projection state must be JSON-serialisable');
  const plainBytes = Buffer.byteLength(json, 'utf8');
  const deflated = plainBytes > DEFLATE_STATE_ABOVE_BYTES ? deflateRawSync(json).toString('base64') : null;
  const bytes = deflated === null ? plainBytes : deflated.length;
  if (bytes > MAX_PAYLOAD_BYTES) throw new ItemTooLargeError(caseId, 'snapshot', bytes);
  const item: SnapshotItem = { ...caseSnapshotKey(caseId), caseId, version, ...(deflated === null ? { state: json } : { stateDeflated: deflated }) };
  const index = projection.indexKeys(state);
  if (index !== null) {
    const nextDeadlineAt = index.nextDeadlineAt === null ? null : normaliseInstant(index.nextDeadlineAt);
    item.phase = index.phase;
    if (nextDeadlineAt !== null) item.nextDeadlineAt = nextDeadlineAt;
    item.GSI1PK = phasePartition(index.phase);
    item.GSI1SK = phaseSortKey(nextDeadlineAt, caseId);
  }
  return item;
}

function withoutUndefined<T extends object>(item: T): T {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as T;
}

function normaliseInstant(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`nextDeadlineAt is not an ISO-8601 instant: ${instant}`);
  return new Date(ms).toISOString();
}

/**
 * The case an append at expectedVersion folds onto, from a fresh load: a caller-supplied version
 * must be the end of a stored append, or a put at version + 1 could land inside an earlier commit.
 */
export function baseAt<S, E extends object>(
  projection: Projection<S, E>,
  caseId: string,
  expectedVersion: number,
  loaded: Loaded<S> | null,
): Loaded<S> {
  if (loaded === null) {
    if (expectedVersion === 0) return { caseId, version: 0, state: projection.initial(caseId) };
    throw new CaseNotFoundError(caseId);
  }
  if (loaded.version !== expectedVersion) throw conflictError(caseId, expectedVersion);
  return loaded;
}

export function conflictError(caseId: string, expectedVersion: number): ConcurrencyError {
  return expectedVersion === 0 ? new CaseExistsError(caseId) : new ConcurrencyError(caseId, expectedVersion);
}

export function assertBase<S>(base: Loaded<S>, caseId: string, expectedVersion: number): void {
  if (base.caseId !== caseId || base.version !== expectedVersion) {
    throw new RangeError('the base passed to append is not the case at expectedVersion');
  }
}

export function loadedFromSnapshot<S>(item: SnapshotItem): Loaded<S> {
  return { caseId: item.caseId, version: item.version, state: JSON.parse(snapshotStateJson(item)) as S };
}

export function commitEvents<E>(commit: CommitItem): Sequenced<E>[] {
  const events = JSON.parse(commit.events) as Sequenced<E>[];
  if (events.length !== commit.lastSeq - commit.firstSeq + 1 || events.some((e, i) => e.seq !== commit.firstSeq + i)) {
    throw new CorruptLogError(`commit ${commit.firstSeq}..${commit.lastSeq} of case ${commit.caseId} does not match its events`);
  }
  return events;
}

/**
 * Folds commits (in order, the first one starting right after base.version) onto base: the
 * repair-on-read of a stale snapshot. Returns null when there was nothing to fold.
 */
export function foldCommits<S, E extends object>(
  projection: Projection<S, E>,
  base: Loaded<S>,
  commits: readonly CommitItem[],
): { loaded: Loaded<S>; snapshot: SnapshotItem } | null {
  if (commits.length === 0) return null;
  let { version, state } = base;
  for (const commit of commits) {
    if (commit.firstSeq !== version + 1) {
      throw new CorruptLogError(`case ${base.caseId}: expected a commit starting at ${version + 1}, found ${commit.firstSeq}`);
    }
    for (const event of commitEvents<E>(commit)) state = projection.apply(state, event);
    version = commit.lastSeq;
  }
  const snapshot = snapshotItem(projection, base.caseId, version, state);
  return { loaded: loadedFromSnapshot<S>(snapshot), snapshot };
}

/** The cursor is the last sort key of the page; opaque to callers, so its form may change. */
export function encodeQueueCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

export function decodeQueueCursor(cursor: string): { sortKey: string; caseId: string } {
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  const parsed = parsePhaseSortKey(sortKey);
  if (parsed === null || encodeQueueCursor(sortKey) !== cursor) throw new InvalidCursorError();
  // The cursor becomes the query's start key: one DynamoDB would refuse is none this queue issued.
  if (!keyFits(caseSnapshotKey(parsed.caseId), sortKey)) throw new InvalidCursorError();
  return { sortKey, caseId: parsed.caseId };
}

export function queueItemFromSnapshot<S>(item: SnapshotItem): QueueItem<S> {
  return {
    caseId: item.caseId,
    version: item.version,
    nextDeadlineAt: item.nextDeadlineAt ?? null,
    state: JSON.parse(snapshotStateJson(item)) as S,
  };
}

/** Copies the known fields only, so nothing a caller tacks on (a raw token, say) is stored. */
export function grantItem(grant: AccessGrant): GrantItem {
  assertHash(grant.tokenHash, 'tokenHash');
  assertCaseId(grant.caseId);
  return withoutUndefined({
    ...grantKey(grant.tokenHash),
    tokenHash: grant.tokenHash,
    caseId: grant.caseId,
    role: grant.role,
    participantId: grant.participantId,
    contact: grant.contact,
    generation: grant.generation,
    createdAt: grant.createdAt,
    expiresAt: grant.expiresAt,
    revokedAt: grant.revokedAt,
  });
}

export function grantFromItem(item: GrantItem): AccessGrant {
  const { PK: _pk, SK: _sk, ...grant } = item;
  return grant;
}

export function waitItem(caseId: string, wait: CaseWait): WaitItem {
  assertCaseId(caseId);
  return withoutUndefined({ ...caseWaitKey(caseId), caseId, ...waitFromItem(wait) });
}

export function idempotencyRecordFromItem(item: IdempotencyItem): IdempotencyRecord {
  const record: IdempotencyRecord = {
    keyHash: item.keyHash,
    requestHash: item.requestHash,
    state: item.state,
    createdAt: item.createdAt,
  };
  if (item.result !== undefined) record.result = JSON.parse(item.result) as unknown;
  return record;
}

export function waitFromItem(item: CaseWait): CaseWait {
  const wait: CaseWait = { kind: item.kind, token: item.token, since: item.since };
  if (item.deadlineAt !== undefined) wait.deadlineAt = item.deadlineAt;
  return wait;
}

/**
 * Slices consecutive commits to the page of events after afterSeq. Given commits reaching one
 * event past the page when there is one, nextAfterSeq is non-null exactly when more events exist.
 */
export function eventPage<E>(commits: readonly CommitItem[], afterSeq: number, limit: number): EventPage<E> {
  const events: Sequenced<E>[] = [];
  for (const commit of commits) {
    for (const event of commitEvents<E>(commit)) {
      if (event.seq <= afterSeq) continue;
      if (events.length === limit) {
        return { events, nextAfterSeq: events[events.length - 1]?.seq ?? afterSeq };
      }
      events.push(event);
    }
  }
  return { events, nextAfterSeq: null };
}
