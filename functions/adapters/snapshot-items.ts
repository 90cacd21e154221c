// A case's snapshot as the table stores it, and its summary. An ordinary case: one item, the state
// as JSON (deflated when large). A large one, when the projection splits it (Projection.parts): a
// core item and an item per part, so that an append rewrites the core and the parts it changed
// instead of the whole state.
//
// A split snapshot is written parts first and core last, without a transaction, so a reader may find
// a part newer than its core (a writer between the two, or one that died there). The core names each
// part by the hash of its JSON, and a writer first copies what a part held to an item of its own
// (outside the snapshot's key range, so whole reads do not pay for it): a reader whose core names
// the older content reads that copy. When neither matches (one part written twice without its
// core), the store rebuilds the case from its log.
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Loaded, Projection, StateParts } from './event-store.js';
import { CorruptLogError, ItemTooLargeError, MAX_PAYLOAD_BYTES } from './store-errors.js';
import { casePartKey, casePreviousPartKey, caseSnapshotKey, caseSummaryKey, phasePartition, phaseSortKey } from './table-layout.js';

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
  /** The state as JSON; or, for a large state, `stateZ` (raw deflate, as binary) instead. */
  state?: string;
  stateZ?: Uint8Array;
  /** Snapshots written before `stateZ`: raw deflate as base64, a third larger. Read, never written. */
  stateDeflated?: string;
  /**
   * A split snapshot's core (JSON, or `coreZ` deflated) and its parts, each by the hash of the JSON
   * it holds at this version. Attributes of their own, so code that predates them fails on a split
   * snapshot ("a snapshot without a state") rather than reading the core as the whole state.
   */
  core?: string;
  coreZ?: Uint8Array;
  parts?: Record<string, string>;
  /**
   * Set on every core this release writes: what the core says of its parts (StateParts.splitSlice)
   * is current. A core without it was written by an older release, which copies that summary along
   * unchanged while it changes the parts: such a core is read whole, never as a slice, until the
   * case's next write.
   */
  sliceable?: true;
  /**
   * Snapshots written before summary items carried the index keys themselves (and the index copied
   * the whole state at every write). Never written now; such a snapshot stays listed until the
   * case's next write replaces it.
   */
  phase?: string;
  nextDeadlineAt?: string;
  GSI1PK?: string;
  GSI1SK?: string;
}

/** One part of a split snapshot at the version it last changed; or, under casePreviousPartKey, what it held before. */
export interface PartItem {
  PK: string;
  SK: string;
  caseId: string;
  version: number;
  name: string;
  /** The part's JSON, deflated, and its hash. */
  z: Uint8Array;
  h: string;
  /** The preset dictionary it was deflated with (StateParts.dictionaries), by id; absent: none. */
  dz?: string;
}

/**
 * What the coordinator queue lists of a case, the only item of a case in the index: a few hundred
 * bytes where the snapshot is tens of KB. Written before the snapshot (held back if it fails), so a
 * snapshot at a version always has its summary; a reader that repairs a stale snapshot writes both.
 */
export interface SummaryItem {
  PK: string;
  SK: string;
  caseId: string;
  version: number;
  /** Projection.queueEntry as JSON; absent (and no index keys) while the case is in no queue. */
  entry?: string;
  phase?: string;
  nextDeadlineAt?: string;
  GSI1PK?: string;
  GSI1SK?: string;
}

/**
 * A state whose JSON is larger than this is stored deflated. A long case's state is mostly text
 * (draft revisions up to 128 KB each, messages), which deflates four to eight times, so the
 * 350 KB item check is reached by cases some megabytes large rather than by a few big drafts;
 * reads also cost that many fewer capacity units, in the table and in the queue index alike.
 */
export const DEFLATE_STATE_ABOVE_BYTES = 16_384;

const PART_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The state JSON of a one-item snapshot, deflated or not (snapshots written before deflation are plain). */
export function snapshotStateJson(item: Pick<SnapshotItem, 'state' | 'stateZ' | 'stateDeflated'>): string {
  if (item.stateZ !== undefined) return inflate(item.stateZ);
  if (item.stateDeflated !== undefined) return inflateRawSync(Buffer.from(item.stateDeflated, 'base64')).toString('utf8');
  if (item.state !== undefined) return item.state;
  throw new CorruptLogError('a snapshot without a state');
}

/** The part hashes of states this process read or wrote, by the state object (never mutated: the fold copies). */
const STORED_HASHES = new WeakMap<object, Readonly<Record<string, string>>>();

/** Remembers that `state` is stored with these parts (none: one item), so the next write over it need not hash them again. */
export function rememberParts<S>(state: S, parts: Readonly<Record<string, string>> | undefined): S {
  if (typeof state === 'object' && state !== null) STORED_HASHES.set(state, parts ?? {});
  return state;
}

const UNSTORED = new WeakSet<object>();

/** Marks a state whose snapshot write did not reach its core: the next write over it writes every part. */
export function markUnstored<S>(state: S): void {
  if (typeof state !== 'object' || state === null) return;
  STORED_HASHES.delete(state);
  UNSTORED.add(state);
}

/** Everything a snapshot write puts, in the order it must: summary, previous parts, changed parts, then the core. */
export interface PlannedSnapshot {
  summary: SummaryItem;
  previous: PartItem[];
  parts: PartItem[];
  snapshot: SnapshotItem;
  /** The whole state's JSON, as a reader will get it. */
  json: string;
  /** The parts' hashes as the core names them (undefined: one item), for rememberParts. */
  hashes?: Record<string, string>;
}

/**
 * The snapshot of `state` at `version`, written over `stored` (the state the stored snapshot holds,
 * null if none): a split snapshot writes only the parts whose JSON differs from stored's.
 */
export function planSnapshot<S, E extends object, Q>(
  projection: Projection<S, E, Q>,
  caseId: string,
  version: number,
  state: S,
  stored: S | null,
  maxBytes: number,
): PlannedSnapshot {
  const json = JSON.stringify(state);
  if (json === undefined) throw new TypeError('the projection state must be JSON-serialisable');
  const split = projection.parts?.split(state) ?? null;
  const limit = Math.min(maxBytes, MAX_PAYLOAD_BYTES);
  const summary = summaryItem(projection, caseId, version, state);
  if (split === null) {
    const { plain, z, bytes } = packed(json);
    if (bytes > limit) throw new ItemTooLargeError(caseId, 'snapshot', bytes);
    return {
      summary,
      previous: [],
      parts: [],
      json,
      snapshot: { ...caseSnapshotKey(caseId), caseId, version, ...(z ? { stateZ: z } : { state: plain }) },
    };
  }
  const parts: PartItem[] = [];
  const previous: PartItem[] = [];
  const hashes: Record<string, string> = {};
  const pack = packer(projection, caseId, version, limit);
  // A state whose snapshot write failed is not what the table holds: write every part over it.
  if (typeof stored === 'object' && stored !== null && UNSTORED.has(stored)) stored = null;
  // The stored parts' hashes, when this process read or wrote that state: then only changed parts are serialised twice.
  const known = typeof stored === 'object' && stored !== null ? STORED_HASHES.get(stored) : undefined;
  let was: ReturnType<StateParts<S>['split']> | undefined;
  const storedPart = (name: string): string | undefined => {
    was ??= stored === null ? null : (projection.parts?.split(stored) ?? null);
    return was !== null && Object.hasOwn(was.parts, name) ? JSON.stringify(was.parts[name]) : undefined;
  };
  for (const [name, value] of Object.entries(split.parts)) {
    const partJson = JSON.stringify(value);
    const h = hashOf(partJson);
    hashes[name] = h;
    let before = known === undefined ? storedPart(name) : undefined;
    const prevH = known === undefined ? (before === undefined ? undefined : hashOf(before)) : known[name];
    if (prevH === h) continue;
    parts.push(pack.part(name, partJson, h));
    before ??= prevH === undefined ? undefined : storedPart(name);
    if (before !== undefined && prevH !== undefined) previous.push(pack.previous(name, before));
  }
  return { summary, previous, parts, snapshot: pack.core(split.core, hashes), json, hashes };
}

/** The items of a split snapshot at `version`, each refused up front when over `limit` (the participants' budget, or an item's). */
export function packer<S, E extends object, Q>(projection: Projection<S, E, Q>, caseId: string, version: number, limit: number) {
  const dictionary = projection.parts?.dictionaries?.[0];
  const packPart = (json: string) =>
    dictionary === undefined ? { z: deflate(json) } : { z: deflate(json, dictionary), dz: dictionaryId(dictionary) };
  return {
    part(name: string, json: string, h: string): PartItem {
      if (!PART_NAME.test(name)) throw new TypeError(`a snapshot part's name must match ${PART_NAME}: ${name}`);
      const item: PartItem = { ...casePartKey(caseId, name), caseId, version, name, ...packPart(json), h };
      // The participants' budget (maxBytes) holds for every part they change, as for the core.
      if (item.z.byteLength > limit) throw new ItemTooLargeError(caseId, 'snapshot', item.z.byteLength);
      return item;
    },
    /** What the part held before this write. Hashed from the content copied, so a copy can only match what it holds. */
    previous: (name: string, json: string): PartItem => ({
      ...casePreviousPartKey(caseId, name),
      caseId,
      version,
      name,
      ...packPart(json),
      h: hashOf(json),
    }),
    core(value: unknown, hashes: Record<string, string>): SnapshotItem {
      // Deflated whatever its size: every request on a large case reads the core, and every change writes it.
      const core = packed(JSON.stringify(value), 0);
      // maxBytes (the participants' budget) holds for the core, as for every part changed.
      if (core.bytes > limit) throw new ItemTooLargeError(caseId, 'snapshot', core.bytes);
      return {
        ...caseSnapshotKey(caseId),
        caseId,
        version,
        ...(core.z ? { coreZ: core.z } : { core: core.plain }),
        parts: hashes,
        sliceable: true,
      };
    },
  };
}

/**
 * The case a snapshot holds, from its core item and the part items read with it (previous ones too,
 * once asked for); else the names of the parts whose content the core names is not among them.
 */
export function assembleSnapshot<S, E extends object, Q>(
  projection: Projection<S, E, Q>,
  snapshot: SnapshotItem,
  partItems: readonly PartItem[],
  /** Given: filled with each part's JSON, by name. */
  jsons?: Record<string, string>,
): Loaded<S> | { missing: string[] } {
  const loaded = (state: S): Loaded<S> => ({ caseId: snapshot.caseId, version: snapshot.version, state });
  if (snapshot.parts === undefined) return loaded(JSON.parse(snapshotStateJson(snapshot)) as S);
  if (projection.parts === undefined)
    throw new CorruptLogError(`case ${snapshot.caseId}: a split snapshot, and a projection without parts`);
  const parts: Record<string, unknown> = {};
  const missing: string[] = [];
  const dictionaries = projection.parts.dictionaries ?? [];
  for (const [name, h] of Object.entries(snapshot.parts)) {
    let json: string | undefined;
    for (const item of partItems) {
      if (item.name !== name || item.h !== h) continue;
      const dictionary = dictionaryNamed(dictionaries, item.dz);
      // Deflated with a dictionary this code lacks (a rollback past the release that added it):
      // unreadable here, so as good as missing; the store then rebuilds the case from its log.
      if (dictionary === null) continue;
      json = inflate(item.z, dictionary);
      break;
    }
    if (json === undefined) missing.push(name);
    else {
      parts[name] = JSON.parse(json);
      if (jsons) jsons[name] = json;
    }
  }
  if (missing.length > 0) return { missing };
  const core = snapshot.coreZ !== undefined ? inflate(snapshot.coreZ) : snapshot.core;
  if (core === undefined) throw new CorruptLogError(`case ${snapshot.caseId}: a split snapshot without its core`);
  return loaded(rememberParts(projection.parts.join(JSON.parse(core), parts), snapshot.parts));
}

/** The case's summary item at this version: the queue's entry and index keys, or none. */
export function summaryItem<S, E extends object, Q>(
  projection: Projection<S, E, Q>,
  caseId: string,
  version: number,
  state: S,
): SummaryItem {
  const summary: SummaryItem = { ...caseSummaryKey(caseId), caseId, version };
  const index = projection.indexKeys(state);
  if (index === null) return summary;
  const nextDeadlineAt = index.nextDeadlineAt === null ? null : normaliseInstant(index.nextDeadlineAt);
  summary.entry = JSON.stringify(projection.queueEntry(state));
  // Refused up front like the snapshot: a summary put that failed later would leave the queue stale.
  const entryBytes = Buffer.byteLength(summary.entry, 'utf8');
  if (entryBytes > MAX_PAYLOAD_BYTES) throw new ItemTooLargeError(caseId, 'snapshot', entryBytes);
  summary.phase = index.phase;
  if (nextDeadlineAt !== null) summary.nextDeadlineAt = nextDeadlineAt;
  summary.GSI1PK = phasePartition(index.phase);
  summary.GSI1SK = phaseSortKey(nextDeadlineAt, caseId);
  return summary;
}

/** JSON as stored: plain, or deflated above DEFLATE_STATE_ABOVE_BYTES; bytes is what the item holds. */
function packed(json: string, above = DEFLATE_STATE_ABOVE_BYTES): { plain: string; z: Uint8Array | null; bytes: number } {
  const plainBytes = Buffer.byteLength(json, 'utf8');
  if (plainBytes <= above) return { plain: json, z: null, bytes: plainBytes };
  const z = deflate(json);
  return { plain: json, z, bytes: z.byteLength };
}

// A plain Uint8Array (not a Buffer): the in-memory twin's copies and the marshalling treat it as binary.
const deflate = (json: string, dictionary?: string): Uint8Array =>
  new Uint8Array(dictionary === undefined ? deflateRawSync(json) : deflateRawSync(json, { dictionary: Buffer.from(dictionary, 'utf8') }));
const inflate = (z: Uint8Array, dictionary?: string): string =>
  (dictionary === undefined ? inflateRawSync(z) : inflateRawSync(z, { dictionary: Buffer.from(dictionary, 'utf8') })).toString('utf8');

/** A dictionary's id, as parts name it: 48 bits of its SHA-256. */
export const dictionaryId = (dictionary: string): string => createHash('sha256').update(dictionary, 'utf8').digest('base64url').slice(0, 8);

/** The dictionary a part names: undefined for none, null when the projection does not have it. */
function dictionaryNamed(dictionaries: readonly string[], id: string | undefined): string | undefined | null {
  if (id === undefined) return undefined;
  return dictionaries.find((d) => dictionaryId(d) === id) ?? null;
}
/** 128 bits of SHA-256: tells one version of a part from another, not a secret. */
export const hashOf = (json: string): string => createHash('sha256').update(json, 'utf8').digest('base64url').slice(0, 22);

function normaliseInstant(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`nextDeadlineAt is not an ISO-8601 instant: ${instant}`);
  return new Date(ms).toISOString();
}
