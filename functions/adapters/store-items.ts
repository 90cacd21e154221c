// Stored item shapes and the logic both case store implementations share (DynamoDB and the
// in-memory twin), so that their semantics cannot drift apart. Not for handlers.
import { keyFits } from './key-limits.js';
import { caseCommitKey, caseSummaryKey, caseWaitKey, grantKey, parsePhaseSortKey } from './table-layout.js';
import {
  type PlannedSnapshot,
  type SnapshotItem,
  type SummaryItem,
  planSnapshot,
  rememberParts,
  snapshotStateJson,
} from './snapshot-items.js';
import { planSliceSnapshot, rememberSlice } from './slice-items.js';
import type {
  Sequenced,
  Projection,
  Loaded,
  AppendResult,
  EventPage,
  QueueItem,
  AccessGrant,
  IdempotencyRecord,
  CaseWait,
  Slice,
  SliceAppended,
} from './event-store.js';
import { assertWhole, partialState } from './event-store.js';
import {
  MAX_PAYLOAD_BYTES,
  ConcurrencyError,
  CaseExistsError,
  CaseNotFoundError,
  ItemTooLargeError,
  CorruptLogError,
  InvalidCursorError,
} from './store-errors.js';

export { MAX_PAYLOAD_BYTES } from './store-errors.js';
export type { PartItem, SnapshotItem, SummaryItem } from './snapshot-items.js';

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

export interface PlannedAppend<S, E> extends Omit<PlannedSnapshot, 'json'> {
  commit: CommitItem;
  result: AppendResult<S, E>;
}

/**
 * Everything an append writes, computed before anything is written, so that an oversized state is
 * refused up front rather than leaving a committed event whose snapshot can never be stored.
 */
export function planAppend<S, E extends object, Q>(
  projection: Projection<S, E, Q>,
  base: Loaded<S>,
  events: readonly E[],
  commitId: string,
  maxSnapshotBytes = MAX_PAYLOAD_BYTES,
): PlannedAppend<S, E> {
  const { commit, appended } = planCommit<E>(base.caseId, base.version, events, commitId);
  const state = appended.reduce((s, event) => projection.apply(s, event), base.state);
  const { json: stateJson, hashes, ...writes } = planSnapshot(projection, base.caseId, commit.lastSeq, state, base.state, maxSnapshotBytes);
  return {
    commit,
    ...writes,
    // Parsed from the JSON the snapshot holds (not inflated back from it): what a reader gets.
    result: { caseId: base.caseId, version: commit.lastSeq, state: rememberParts(JSON.parse(stateJson) as S, hashes), appended },
  };
}

/** What an append on a slice writes (EventLog.appendToSlice), planned as planAppend is. */
export function planSliceAppend<S, E extends object, Q>(
  projection: Projection<S, E, Q>,
  slice: Slice<S>,
  events: readonly E[],
  commitId: string,
  maxSnapshotBytes = MAX_PAYLOAD_BYTES,
): Omit<PlannedAppend<S, E>, 'result'> & { result: SliceAppended<S, E> } {
  const { commit, appended } = planCommit<E>(slice.caseId, slice.version, events, commitId);
  const state = appended.reduce((s, event) => projection.apply(s, event), slice.partial);
  const {
    json,
    hashes: _,
    read,
    ...writes
  } = planSliceSnapshot(projection, slice.caseId, commit.lastSeq, state, slice.partial, maxSnapshotBytes);
  const partial = rememberSlice(partialState(JSON.parse(json) as S & object), read);
  return { commit, ...writes, result: { caseId: slice.caseId, version: commit.lastSeq, partial, whole: false, appended } };
}

/** The commit item of events appended after `version`, and the events as a reader will parse them. */
function planCommit<E>(caseId: string, version: number, events: readonly object[], commitId: string) {
  if (events.length === 0) throw new RangeError('an append needs at least one event');
  for (const event of events) {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new TypeError('events must be plain objects');
    }
  }
  const firstSeq = version + 1;
  const lastSeq = version + events.length;
  const json = JSON.stringify(events.map((event, i) => ({ ...event, seq: firstSeq + i })));
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) throw new ItemTooLargeError(caseId, 'events', bytes);
  const commit: CommitItem = { ...caseCommitKey(caseId, firstSeq), caseId, firstSeq, lastSeq, commitId, events: json };
  // Fold what a later reader will parse, not the caller's objects, so both folds agree.
  return { commit, appended: JSON.parse(json) as Sequenced<E>[] };
}

function withoutUndefined<T extends object>(item: T): T {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as T;
}

/**
 * The case an append at expectedVersion folds onto, from a fresh load: a caller-supplied version
 * must be the end of a stored append, or a put at version + 1 could land inside an earlier commit.
 */
export function baseAt<S, E extends object, Q>(
  projection: Projection<S, E, Q>,
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
  assertWhole(base.state);
  if (base.caseId !== caseId || base.version !== expectedVersion) {
    throw new RangeError('the base passed to append is not the case at expectedVersion');
  }
}

/** A whole slice as the base of an ordinary append (it came from a whole read of the snapshot or from load()). */
export const sliceBase = <S>(slice: Slice<S>): Loaded<S> => ({ caseId: slice.caseId, version: slice.version, state: slice.partial });

/** An ordinary append's result as a slice append's. */
export const wholeAppended = <S, E>(r: AppendResult<S, E>): SliceAppended<S, E> => ({
  caseId: r.caseId,
  version: r.version,
  partial: r.state,
  whole: true,
  appended: r.appended,
});

/** A whole case as a slice (EventLog.loadSlice), or null. */
export const wholeSlice = <S>(loaded: Loaded<S> | null): Slice<S> | null =>
  loaded === null ? null : { caseId: loaded.caseId, version: loaded.version, partial: loaded.state, whole: true };

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
export function foldCommits<S, E extends object, Q>(
  projection: Projection<S, E, Q>,
  base: Loaded<S>,
  commits: readonly CommitItem[],
  stored: S | null = base.state,
): ({ loaded: Loaded<S> } & Omit<PlannedSnapshot, 'json'>) | null {
  if (commits.length === 0) return null;
  let { version, state } = base;
  for (const commit of commits) {
    if (commit.firstSeq !== version + 1) {
      throw new CorruptLogError(`case ${base.caseId}: expected a commit starting at ${version + 1}, found ${commit.firstSeq}`);
    }
    for (const event of commitEvents<E>(commit)) state = projection.apply(state, event);
    version = commit.lastSeq;
  }
  // Written over base: the snapshot the reader found (or nothing, when it rebuilt from the log).
  const { json, hashes, ...writes } = planSnapshot(projection, base.caseId, version, state, stored, MAX_PAYLOAD_BYTES);
  return { loaded: { caseId: base.caseId, version, state: rememberParts(JSON.parse(json) as S, hashes) }, ...writes };
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
  if (!keyFits(caseSummaryKey(parsed.caseId), sortKey)) throw new InvalidCursorError();
  return { sortKey, caseId: parsed.caseId };
}

/** A case's summary as its reader gets it (CaseQueue.summary): null when it has no entry, or is a snapshot. */
export const summaryOf = <Q>(item: Pick<SummaryItem, 'version' | 'entry'> | null | undefined): { version: number; entry: Q } | null =>
  item?.entry === undefined ? null : { version: item.version, entry: JSON.parse(item.entry) as Q };

/** A queue item from what the index holds: a summary item, or a snapshot written before them. */
export function queueItemFromIndex<S, E extends object, Q>(
  projection: Projection<S, E, Q>,
  item: SummaryItem | SnapshotItem,
): QueueItem<Q> {
  const entry = summaryOf<Q>(item)?.entry ?? projection.queueEntry(JSON.parse(snapshotStateJson(item as SnapshotItem)) as S);
  return { caseId: item.caseId, version: item.version, nextDeadlineAt: item.nextDeadlineAt ?? null, entry };
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
