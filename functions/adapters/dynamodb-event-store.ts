// The case store on one DynamoDB table (layout in table-layout.ts). No transactions: an append is
// one conditional put of a commit item (the optimistic lock), then a conditional snapshot update
// that readers repair if it was lost. See event-store.ts for the contract.
import { randomUUID } from 'node:crypto';
import { PutItemCommand, QueryCommand, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { type Item, fromAttributes, toAttributes } from './attribute-values.js';
import { DynamoDbKeyedItems, isConditionFailure } from './dynamodb-keyed-items.js';
import { CorruptLogError } from './store-errors.js';
import { refuseOversizedKey } from './key-limits.js';
import { queryPrefix } from './prefix-query.js';
import {
  BY_PHASE_DEADLINE_INDEX,
  BY_PHASE_DEADLINE_PARTITION_KEY,
  BY_PHASE_DEADLINE_SORT_KEY,
  FIRST_COMMIT_SORT_KEY,
  LAST_COMMIT_SORT_KEY,
  PARTITION_KEY,
  SORT_KEY,
  SNAPSHOT_SORT_KEY_PREFIX,
  casePartition,
  casePartKey,
  caseSnapshotKey,
  casePreviousPartKey,
  caseSummaryKey,
  commitSortKey,
  phasePartition,
} from './table-layout.js';
import type {
  AppendOptions,
  AppendResult,
  CaseStore,
  EventPage,
  FaultInjection,
  Loaded,
  Projection,
  QueueOptions,
  QueuePage,
  ReadEventsOptions,
  Slice,
  SliceAppended,
} from './event-store.js';
import {
  DEFAULT_QUEUE_LIMIT,
  DEFAULT_READ_LIMIT,
  assertBase,
  assertCaseId,
  assertVersion,
  baseAt,
  conflictError,
  decodeQueueCursor,
  encodeQueueCursor,
  eventPage,
  foldCommits,
  planAppend,
  planSliceAppend,
  positiveLimit,
  queueItemFromIndex,
  summaryOf,
  type CommitItem,
  sliceBase,
  wholeAppended,
  wholeSlice,
} from './store-items.js';
import {
  type PartItem,
  type PlannedSnapshot,
  type SnapshotItem,
  type SummaryItem,
  assembleSnapshot,
  markUnstored,
} from './snapshot-items.js';
import { forgetSlice, partsNamed, sliceableSnapshot, sliceOfSnapshot } from './slice-items.js';

export interface DynamoDbCaseStoreOptions<S, E extends object, Q = unknown> {
  client: DynamoDBClient;
  tableName: string;
  projection: Projection<S, E, Q>;
  /**
   * Told when a snapshot write fails for a reason other than being overtaken. The append or load
   * still succeeds (the log is the truth and the next load repairs), so this is for logging only.
   */
  onSnapshotWriteError?: (caseId: string, error: unknown) => void;
  faults?: FaultInjection;
}

export class DynamoDbCaseStore<S, E extends object, Q = unknown> extends DynamoDbKeyedItems implements CaseStore<S, E, Q> {
  readonly projection: Projection<S, E, Q>;
  private readonly onSnapshotWriteError: (caseId: string, error: unknown) => void;
  private readonly faults: FaultInjection;

  constructor(options: DynamoDbCaseStoreOptions<S, E, Q>) {
    super(options.client, options.tableName);
    this.projection = options.projection;
    this.onSnapshotWriteError = options.onSnapshotWriteError ?? (() => undefined);
    this.faults = options.faults ?? {};
  }

  async load(caseId: string): Promise<Loaded<S> | null> {
    assertCaseId(caseId);
    let read = await this.snapshotItems(caseId);
    // A split snapshot caught between a writer's parts and its core may not match: read again once;
    // failing that, rebuild from the whole log (functions/adapters/snapshot-items.ts).
    if (read.snapshot !== null && read.base === null) read = await this.snapshotItems(caseId);
    const rebuild = read.snapshot !== null && read.base === null;
    const base = read.base ?? { caseId, version: 0, state: this.projection.initial(caseId) };
    // Commits after the snapshot exist only if a writer died (or is) between its writes.
    const tail = await this.commitsFrom(caseId, base.version + 1, Number.POSITIVE_INFINITY);
    const repaired = foldCommits(this.projection, base, tail, read.base === null ? null : base.state);
    if (repaired === null) {
      if (rebuild) throw new CorruptLogError(`case ${caseId}: a snapshot whose parts do not match, and no log`);
      return read.snapshot === null ? null : base;
    }
    await this.writeSnapshot(caseId, repaired, repaired.loaded.state);
    return repaired.loaded;
  }

  async loadSlice(caseId: string, names: readonly string[]): Promise<Slice<S> | null> {
    assertCaseId(caseId);
    const snapshot = await this.get<SnapshotItem>(caseSnapshotKey(caseId));
    if (snapshot === null || !sliceableSnapshot(snapshot)) return wholeSlice(await this.load(caseId));
    const wanted = partsNamed(snapshot, names);
    // The log past the snapshot, as load() reads it: an empty page (the cheapest read) when current.
    const [items, after] = await Promise.all([
      Promise.all(wanted.map((name) => this.get<PartItem>(casePartKey(caseId, name)))),
      this.commitsFrom(caseId, snapshot.version + 1, 1),
    ]);
    // Behind its log: a writer is between its writes, or died there. load() folds and repairs.
    if (after.length > 0) return wholeSlice(await this.load(caseId));
    const parts = items.filter((p): p is PartItem => p !== null);
    let slice = sliceOfSnapshot(this.projection, snapshot, parts, wanted);
    if ('missing' in slice)
      slice = sliceOfSnapshot(this.projection, snapshot, [...parts, ...(await this.previousParts(caseId, slice.missing))], wanted);
    return 'missing' in slice ? wholeSlice(await this.load(caseId)) : slice;
  }

  async append(caseId: string, expectedVersion: number, events: readonly E[], opts: AppendOptions<S> = {}): Promise<AppendResult<S, E>> {
    assertCaseId(caseId);
    assertVersion(expectedVersion);
    if (opts.base !== undefined) assertBase(opts.base, caseId, expectedVersion);
    const base = opts.base ?? baseAt(this.projection, caseId, expectedVersion, await this.load(caseId));
    const plan = planAppend(this.projection, base, events, randomUUID(), opts.maxSnapshotBytes);
    await this.putCommit(plan.commit, expectedVersion);
    await this.writeSnapshot(caseId, plan, plan.result.state);
    return plan.result;
  }

  async appendToSlice(
    slice: Slice<S>,
    events: readonly E[],
    opts: Pick<AppendOptions<S>, 'maxSnapshotBytes'> = {},
  ): Promise<SliceAppended<S, E>> {
    assertCaseId(slice.caseId);
    if (slice.whole) return wholeAppended(await this.append(slice.caseId, slice.version, events, { ...opts, base: sliceBase(slice) }));
    const plan = planSliceAppend(this.projection, slice, events, randomUUID(), opts.maxSnapshotBytes);
    await this.putCommit(plan.commit, slice.version);
    // A slice whose write did not reach its core is not what the table holds: no append on it.
    if (!(await this.writeSnapshotItems(slice.caseId, plan))) forgetSlice(plan.result.partial);
    return plan.result;
  }

  /** The commit put, the optimistic lock: ConcurrencyError when another writer holds the version. */
  private async putCommit(commit: CommitItem, expectedVersion: number): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes(commit),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY },
        }),
      );
    } catch (error) {
      // The SDK retries a put whose response was lost; the retry then "conflicts" with our own
      // commit. Reporting that as a conflict would make the caller append the decision twice.
      if (!isConditionFailure(error) || !(await this.isStoredCommit(commit))) {
        throw isConditionFailure(error) ? conflictError(commit.caseId, expectedVersion) : error;
      }
    }
    await this.faults.afterCommit?.({ caseId: commit.caseId, firstSeq: commit.firstSeq, lastSeq: commit.lastSeq });
  }

  async readEvents(caseId: string, opts: ReadEventsOptions = {}): Promise<EventPage<E>> {
    assertCaseId(caseId);
    const afterSeq = opts.afterSeq ?? 0;
    assertVersion(afterSeq);
    const limit = positiveLimit(opts.limit, DEFAULT_READ_LIMIT);
    const commits: CommitItem[] = [];
    let fromSeq = 1;
    let have = 0;
    if (afterSeq > 0) {
      // The commit holding afterSeq + 1 may start before it (commits hold whole appends).
      const holding = await this.commitHolding(caseId, afterSeq + 1);
      if (holding === null) return { events: [], nextAfterSeq: null };
      commits.push(holding);
      fromSeq = holding.lastSeq + 1;
      have = holding.lastSeq - afterSeq;
    }
    // One event past the limit tells whether another page exists.
    const wanted = limit + 1 - have;
    if (wanted > 0) commits.push(...(await this.commitsFrom(caseId, fromSeq, wanted)));
    return eventPage<E>(commits, afterSeq, limit);
  }

  async queue(phase: string, opts: QueueOptions = {}): Promise<QueuePage<Q>> {
    if (typeof phase !== 'string' || phase.length === 0) throw new TypeError('phase must be a non-empty string');
    const limit = positiveLimit(opts.limit, DEFAULT_QUEUE_LIMIT);
    let exclusiveStartKey: Item | undefined;
    if (opts.cursor !== undefined) {
      const { sortKey, caseId } = decodeQueueCursor(opts.cursor);
      exclusiveStartKey = toAttributes({
        ...caseSummaryKey(caseId),
        [BY_PHASE_DEADLINE_PARTITION_KEY]: phasePartition(phase),
        [BY_PHASE_DEADLINE_SORT_KEY]: sortKey,
      });
    }
    const snapshots: (SummaryItem | SnapshotItem)[] = [];
    // Ask for one more than the page, so the cursor is null exactly when nothing follows.
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_PHASE_DEADLINE_INDEX,
          KeyConditionExpression: '#gpk = :gpk',
          ExpressionAttributeNames: { '#gpk': BY_PHASE_DEADLINE_PARTITION_KEY },
          ExpressionAttributeValues: toAttributes({ ':gpk': phasePartition(phase) }),
          Limit: limit + 1 - snapshots.length,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      snapshots.push(...(page.Items ?? []).map((item) => fromAttributes<SummaryItem | SnapshotItem>(item)));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (snapshots.length <= limit && exclusiveStartKey !== undefined);
    const items = snapshots.slice(0, limit);
    const last = items[items.length - 1];
    const cursor = snapshots.length > limit && last?.GSI1SK !== undefined ? encodeQueueCursor(last.GSI1SK) : null;
    return { items: items.map((item) => queueItemFromIndex(this.projection, item)), cursor };
  }

  async summary(caseId: string): Promise<{ version: number; entry: Q } | null> {
    assertCaseId(caseId);
    return summaryOf<Q>(await this.get<SummaryItem>(caseSummaryKey(caseId)));
  }

  /**
   * The summary first: a snapshot at this version then always has its summary (see SummaryItem).
   * A summary that could not be written holds the snapshot back too: the next reader then finds
   * the snapshot behind the log and repairs both, where a current snapshot would hide a stale row.
   * Likewise a split snapshot's core waits for its parts (snapshot-items.ts).
   */
  private async writeSnapshot(caseId: string, plan: Omit<PlannedSnapshot, 'json'>, state: S): Promise<void> {
    const written = await this.writeSnapshotItems(caseId, plan);
    if (!written) markUnstored(state);
  }

  /** True when the core was written (or overtaken by a newer one). */
  private async writeSnapshotItems(caseId: string, plan: Omit<PlannedSnapshot, 'json'>): Promise<boolean> {
    if (!(await this.writeForward(plan.summary))) return false;
    // What each part held goes first: a reader whose core is older than a part reads it there.
    if ((await Promise.all(plan.previous.map((part) => this.writeForward(part)))).includes(false)) return false;
    if ((await Promise.all(plan.parts.map((part) => this.writeForward(part)))).includes(false)) return false;
    if (plan.parts.length > 0) await this.faults.afterParts?.({ caseId, version: plan.snapshot.version });
    return this.writeForward(plan.snapshot);
  }

  /** The snapshot's core and parts, in one strongly consistent query; base is null when they do not match. */
  private async snapshotItems(caseId: string): Promise<{ snapshot: SnapshotItem | null; base: Loaded<S> | null }> {
    // DynamoDB refuses an oversized key in a query as in a get; the emulator would not say so.
    refuseOversizedKey(caseSnapshotKey(caseId));
    const items = await queryPrefix<SnapshotItem | PartItem>(this.client, this.tableName, casePartition(caseId), SNAPSHOT_SORT_KEY_PREFIX);
    const snapshot = (items.find((item) => item.SK === SNAPSHOT_SORT_KEY_PREFIX) as SnapshotItem | undefined) ?? null;
    const parts = items.filter((item): item is PartItem => item.SK !== SNAPSHOT_SORT_KEY_PREFIX);
    if (snapshot === null) return { snapshot, base: null };
    let base = assembleSnapshot(this.projection, snapshot, parts);
    if ('missing' in base)
      base = assembleSnapshot(this.projection, snapshot, [...parts, ...(await this.previousParts(caseId, base.missing))]);
    return { snapshot, base: 'missing' in base ? null : base };
  }

  /** What these parts held before their last write (snapshot-items.ts), where a copy exists. */
  private async previousParts(caseId: string, names: readonly string[]): Promise<PartItem[]> {
    const items = await Promise.all(names.map((name) => this.get<PartItem>(casePreviousPartKey(caseId, name))));
    return items.filter((p): p is PartItem => p !== null);
  }

  /** Snapshots and summaries only move forward; equal versions hold equal states (the fold is deterministic). */
  /** True when the item is at this version or newer (written, or overtaken); false when the write failed. */
  private async writeForward(snapshot: SnapshotItem | SummaryItem | PartItem): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes(snapshot),
          ConditionExpression: 'attribute_not_exists(#pk) OR #version < :version',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#version': 'version' },
          ExpressionAttributeValues: toAttributes({ ':version': snapshot.version }),
        }),
      );
    } catch (error) {
      // Overtaken by a newer snapshot: fine. Anything else (throttling, a read-only role) must
      // not fail a load or a committed append either: the log stays the truth.
      if (isConditionFailure(error)) return true;
      this.onSnapshotWriteError(snapshot.caseId, error);
      return false;
    }
    return true;
  }

  private async isStoredCommit(commit: CommitItem): Promise<boolean> {
    const stored = await this.get<CommitItem>({ PK: commit.PK, SK: commit.SK });
    return stored?.commitId === commit.commitId;
  }

  /** The commit containing seq, or null when the log does not reach seq. */
  private async commitHolding(caseId: string, seq: number): Promise<CommitItem | null> {
    const page = await this.client.send(
      new QueryCommand({
        ...this.commitRange(caseId, FIRST_COMMIT_SORT_KEY, commitSortKey(seq)),
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const first = page.Items?.[0];
    const commit = first === undefined ? null : fromAttributes<CommitItem>(first);
    return commit !== null && commit.lastSeq >= seq ? commit : null;
  }

  /** Commits starting at fromSeq or later, in order, until at least `events` events are read. */
  private async commitsFrom(caseId: string, fromSeq: number, events: number): Promise<CommitItem[]> {
    const commits: CommitItem[] = [];
    let read = 0;
    let exclusiveStartKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          ...this.commitRange(caseId, commitSortKey(fromSeq), LAST_COMMIT_SORT_KEY),
          // Every commit holds at least one event, so this many commits is always enough.
          ...(Number.isFinite(events) ? { Limit: events - read } : {}),
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const commit = fromAttributes<CommitItem>(item);
        commits.push(commit);
        read += commit.lastSeq - commit.firstSeq + 1;
      }
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined && read < events);
    return commits;
  }

  private commitRange(caseId: string, fromSortKey: string, toSortKey: string): QueryCommandInput {
    return {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
      ExpressionAttributeValues: toAttributes({ ':pk': casePartition(caseId), ':from': fromSortKey, ':to': toSortKey }),
      ConsistentRead: true,
    };
  }
}
