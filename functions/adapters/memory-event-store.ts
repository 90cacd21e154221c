// The in-memory twin of the DynamoDB case store, for unit tests of handlers. It keeps the same
// items under the same keys (JSON-cloned, as a database would) and the same conditional writes,
// so it passes the same contract suite; it is just a Map and never touches the network.
import { randomUUID } from 'node:crypto';
import { refuseOversizedKey } from './key-limits.js';
import {
  casePartKey,
  casePreviousPartKey,
  caseSnapshotKey,
  caseSummaryKey,
  caseWaitKey,
  casePartition,
  grantKey,
  idempotencyKey,
  phasePartition,
  type ItemKey,
} from './table-layout.js';
import {
  GrantExistsError,
  GrantNotFoundError,
  IdempotencyKeyNotFoundError,
  type AccessGrant,
  type AppendOptions,
  type AppendResult,
  type CaseStore,
  type CaseWait,
  type EventPage,
  type FaultInjection,
  type IdempotencyClaim,
  type Loaded,
  type Projection,
  type QueueOptions,
  type QueuePage,
  type ReadEventsOptions,
  type Slice,
  type SliceAppended,
} from './event-store.js';
import {
  DEFAULT_QUEUE_LIMIT,
  DEFAULT_READ_LIMIT,
  assertBase,
  assertCaseId,
  assertHash,
  assertVersion,
  baseAt,
  conflictError,
  decodeQueueCursor,
  encodeQueueCursor,
  eventPage,
  foldCommits,
  grantFromItem,
  grantItem,
  idempotencyRecordFromItem,
  planAppend,
  planSliceAppend,
  positiveLimit,
  queueItemFromIndex,
  summaryOf,
  waitFromItem,
  waitItem,
  sliceBase,
  wholeAppended,
  wholeSlice,
  type CommitItem,
  type GrantItem,
  type IdempotencyItem,
  type WaitItem,
} from './store-items.js';
import { type PartItem, type PlannedSnapshot, type SnapshotItem, type SummaryItem, assembleSnapshot } from './snapshot-items.js';
import { partsNamed, sliceableSnapshot, sliceOfSnapshot } from './slice-items.js';
import { CorruptLogError } from './store-errors.js';

export interface MemoryCaseStoreOptions<S, E extends object, Q = unknown> {
  projection: Projection<S, E, Q>;
  faults?: FaultInjection;
}

type StoredItem = ItemKey & Record<string, unknown>;

export class MemoryCaseStore<S, E extends object, Q = unknown> implements CaseStore<S, E, Q> {
  readonly projection: Projection<S, E, Q>;
  private readonly faults: FaultInjection;
  /** Partition key → sort key → item, the way the table nests them. */
  private readonly partitions = new Map<string, Map<string, StoredItem>>();

  constructor(options: MemoryCaseStoreOptions<S, E, Q>) {
    this.projection = options.projection;
    this.faults = options.faults ?? {};
  }

  /** A copy of a stored item, attribute for attribute as DynamoDB would hold it: for tests. */
  rawItem(key: ItemKey): Record<string, unknown> | undefined {
    const item = this.partitions.get(key.PK)?.get(key.SK);
    return item === undefined ? undefined : clone(item);
  }

  /** Puts an item as an older release (or a hand) would have written it: for tests. */
  putRawItem(item: Record<string, unknown> & ItemKey): void {
    this.put(item);
  }

  /** Drops a case's snapshot, as if every snapshot write had been lost: for tests of the repair. */
  dropSnapshot(caseId: string): void {
    this.delete(caseSnapshotKey(caseId));
  }

  async load(caseId: string): Promise<Loaded<S> | null> {
    assertCaseId(caseId);
    const snapshot = this.get<SnapshotItem>(caseSnapshotKey(caseId));
    // Parts, and what parts held before (read when the core names that): see snapshot-items.ts.
    const parts = [...this.itemsFrom<PartItem>(caseId, 'CASE#'), ...this.itemsFrom<PartItem>(caseId, 'PARTPREV#')];
    const assembled = snapshot === undefined ? null : assembleSnapshot(this.projection, snapshot, parts);
    const found = assembled === null || 'missing' in assembled ? null : assembled;
    const base = found ?? { caseId, version: 0, state: this.projection.initial(caseId) };
    const repaired = foldCommits(
      this.projection,
      base,
      this.commits(caseId).filter((c) => c.firstSeq > base.version),
      found === null ? null : base.state,
    );
    if (repaired === null) {
      if (snapshot !== undefined && found === null)
        throw new CorruptLogError(`case ${caseId}: a snapshot whose parts do not match, and no log`);
      return found;
    }
    await this.writeSnapshot(caseId, repaired);
    return repaired.loaded;
  }

  async loadSlice(caseId: string, names: readonly string[]): Promise<Slice<S> | null> {
    assertCaseId(caseId);
    const snapshot = this.get<SnapshotItem>(caseSnapshotKey(caseId));
    if (snapshot === undefined || !sliceableSnapshot(snapshot) || this.commits(caseId).some((c) => c.lastSeq > snapshot.version))
      return wholeSlice(await this.load(caseId));
    const wanted = partsNamed(snapshot, names);
    const items = wanted.flatMap((name) =>
      [casePartKey(caseId, name), casePreviousPartKey(caseId, name)].flatMap((key) => this.get<PartItem>(key) ?? []),
    );
    const slice = sliceOfSnapshot(this.projection, snapshot, items, wanted);
    return 'missing' in slice ? wholeSlice(await this.load(caseId)) : slice;
  }

  async append(caseId: string, expectedVersion: number, events: readonly E[], opts: AppendOptions<S> = {}): Promise<AppendResult<S, E>> {
    assertCaseId(caseId);
    assertVersion(expectedVersion);
    if (opts.base !== undefined) assertBase(opts.base, caseId, expectedVersion);
    const base = opts.base ?? baseAt(this.projection, caseId, expectedVersion, await this.load(caseId));
    const plan = planAppend(this.projection, base, events, randomUUID(), opts.maxSnapshotBytes);
    if (!this.putIfAbsent(plan.commit)) throw conflictError(caseId, expectedVersion);
    // The gap between the two writes is real in DynamoDB; yielding here lets concurrent readers
    // in tests see a commit whose snapshot is not written yet, as they could there.
    await Promise.resolve();
    await this.faults.afterCommit?.({ caseId, firstSeq: plan.commit.firstSeq, lastSeq: plan.commit.lastSeq });
    await this.writeSnapshot(caseId, plan);
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
    if (!this.putIfAbsent(plan.commit)) throw conflictError(slice.caseId, slice.version);
    await Promise.resolve();
    await this.faults.afterCommit?.({ caseId: slice.caseId, firstSeq: plan.commit.firstSeq, lastSeq: plan.commit.lastSeq });
    await this.writeSnapshot(slice.caseId, plan);
    return plan.result;
  }

  async readEvents(caseId: string, opts: ReadEventsOptions = {}): Promise<EventPage<E>> {
    assertCaseId(caseId);
    const afterSeq = opts.afterSeq ?? 0;
    assertVersion(afterSeq);
    const limit = positiveLimit(opts.limit, DEFAULT_READ_LIMIT);
    return eventPage<E>(
      this.commits(caseId).filter((c) => c.lastSeq > afterSeq),
      afterSeq,
      limit,
    );
  }

  async queue(phase: string, opts: QueueOptions = {}): Promise<QueuePage<Q>> {
    if (typeof phase !== 'string' || phase.length === 0) throw new TypeError('phase must be a non-empty string');
    const limit = positiveLimit(opts.limit, DEFAULT_QUEUE_LIMIT);
    const from = opts.cursor === undefined ? undefined : decodeQueueCursor(opts.cursor);
    // The cursor becomes DynamoDB's ExclusiveStartKey: the table's key and the index's.
    if (from) refuseOversizedKey(caseSummaryKey(from.caseId), from.sortKey);
    const after = from?.sortKey;
    const partition = phasePartition(phase);
    const matching: (SummaryItem | SnapshotItem)[] = [];
    for (const items of this.partitions.values()) {
      // The summary, or a snapshot written before summaries (it carried the index keys itself).
      for (const sk of ['CASE', 'SUMMARY']) {
        const item = items.get(sk) as SummaryItem | undefined;
        if (item?.GSI1PK === partition && item.GSI1SK !== undefined && (after === undefined || item.GSI1SK > after)) matching.push(item);
      }
    }
    // Code-unit order, as DynamoDB compares string keys (by UTF-8 bytes; equal for our keys' ASCII).
    const order = (x: SummaryItem | SnapshotItem) => `${x.GSI1SK ?? ''}\u0000${x.SK}`;
    matching.sort((a, b) => (order(a) < order(b) ? -1 : 1));
    const page = matching.slice(0, limit);
    const last = page[page.length - 1];
    const cursor = matching.length > limit && last?.GSI1SK !== undefined ? encodeQueueCursor(last.GSI1SK) : null;
    return { items: page.map((item) => queueItemFromIndex(this.projection, clone(item))), cursor };
  }

  async summary(caseId: string): Promise<{ version: number; entry: Q } | null> {
    assertCaseId(caseId);
    return summaryOf<Q>(this.get<SummaryItem>(caseSummaryKey(caseId)));
  }

  async putGrant(grant: AccessGrant): Promise<void> {
    if (!this.putIfAbsent(grantItem(grant))) throw new GrantExistsError();
  }

  async getGrant(tokenHash: string): Promise<AccessGrant | null> {
    assertHash(tokenHash, 'tokenHash');
    const item = this.get<GrantItem>(grantKey(tokenHash));
    return item === undefined ? null : grantFromItem(item);
  }

  async revokeGrant(tokenHash: string, revokedAt: string): Promise<void> {
    assertHash(tokenHash, 'tokenHash');
    const item = this.get<GrantItem>(grantKey(tokenHash));
    if (item === undefined) throw new GrantNotFoundError();
    if (item.revokedAt === undefined) this.put({ ...item, revokedAt });
  }

  async claimIdempotency(keyHash: string, requestHash: string, now: string): Promise<IdempotencyClaim> {
    assertHash(keyHash, 'keyHash');
    const item: IdempotencyItem = { ...idempotencyKey(keyHash), keyHash, requestHash, state: 'pending', createdAt: now };
    if (this.putIfAbsent(item)) return { status: 'claimed' };
    const existing = this.get<IdempotencyItem>(idempotencyKey(keyHash));
    if (existing === undefined) throw new Error('unreachable: a put-if-absent failed on an absent item');
    return { status: 'existing', record: idempotencyRecordFromItem(existing) };
  }

  async completeIdempotency(keyHash: string, result: unknown): Promise<void> {
    assertHash(keyHash, 'keyHash');
    const item = this.get<IdempotencyItem>(idempotencyKey(keyHash));
    if (item === undefined) throw new IdempotencyKeyNotFoundError();
    if (item.state !== 'pending') return;
    const json = JSON.stringify(result);
    this.put(json === undefined ? { ...item, state: 'done' } : { ...item, state: 'done', result: json });
  }

  async releaseIdempotency(keyHash: string): Promise<void> {
    assertHash(keyHash, 'keyHash');
    if (this.get<IdempotencyItem>(idempotencyKey(keyHash))?.state === 'pending') this.delete(idempotencyKey(keyHash));
  }

  async putWait(caseId: string, wait: CaseWait): Promise<void> {
    this.put(waitItem(caseId, wait));
  }

  async getWait(caseId: string): Promise<CaseWait | null> {
    assertCaseId(caseId);
    const item = this.get<WaitItem>(caseWaitKey(caseId));
    return item === undefined ? null : waitFromItem(item);
  }

  async clearWait(caseId: string, token: string): Promise<boolean> {
    assertCaseId(caseId);
    if (this.get<WaitItem>(caseWaitKey(caseId))?.token !== token) return false;
    this.delete(caseWaitKey(caseId));
    return true;
  }

  /** In the DynamoDB store's order: summary, parts, core (see its writeSnapshot). */
  private async writeSnapshot(caseId: string, plan: Omit<PlannedSnapshot, 'json'>): Promise<void> {
    this.writeForward(plan.summary);
    for (const part of [...plan.previous, ...plan.parts]) this.writeForward(part);
    if (plan.parts.length > 0) await this.faults.afterParts?.({ caseId, version: plan.snapshot.version });
    this.writeForward(plan.snapshot);
  }

  /** Same condition as the DynamoDB store: snapshots and summaries only move forward. */
  private writeForward(item: SnapshotItem | SummaryItem | PartItem): void {
    const current = this.get<SnapshotItem | SummaryItem>({ PK: item.PK, SK: item.SK });
    if (current === undefined || current.version < item.version) this.put(item);
  }

  private commits(caseId: string): CommitItem[] {
    return this.itemsFrom<CommitItem>(caseId, 'EVENT#').sort((a, b) => a.firstSeq - b.firstSeq);
  }

  private itemsFrom<T>(caseId: string, prefix: string): T[] {
    const items = this.partitions.get(casePartition(caseId));
    return [...(items?.values() ?? [])].filter((item) => item.SK.startsWith(prefix)).map((item) => clone(item) as unknown as T);
  }

  private get<T>(key: ItemKey): T | undefined {
    refuseOversizedKey(key);
    const item = this.partitions.get(key.PK)?.get(key.SK);
    return item === undefined ? undefined : (clone(item) as unknown as T);
  }

  private put(item: object): void {
    const stored = clone(item as StoredItem);
    refuseOversizedKey(stored);
    let items = this.partitions.get(stored.PK);
    if (items === undefined) {
      items = new Map();
      this.partitions.set(stored.PK, items);
    }
    items.set(stored.SK, stored);
  }

  private putIfAbsent(item: ItemKey): boolean {
    refuseOversizedKey(item);
    if (this.partitions.get(item.PK)?.has(item.SK) === true) return false;
    this.put(item);
    return true;
  }

  private delete(key: ItemKey): void {
    this.partitions.get(key.PK)?.delete(key.SK);
  }
}

/** JSON, not structuredClone: it drops undefined attributes the way marshalling does; binary (a deflated snapshot) kept as binary. */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, toJsonBinary), fromJsonBinary) as T;
}

const BINARY = '$binary';
const toJsonBinary = (_key: string, v: unknown): unknown => (v instanceof Uint8Array ? { [BINARY]: Buffer.from(v).toString('base64') } : v);
const fromJsonBinary = (_key: string, v: unknown): unknown =>
  typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[BINARY] === 'string'
    ? new Uint8Array(Buffer.from((v as Record<string, string>)[BINARY] ?? '', 'base64'))
    : v;
