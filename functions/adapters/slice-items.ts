// Slices of a split snapshot (EventLog.loadSlice, appendToSlice): the core with some of its parts
// only. A slice an append is made on must be one the store read (or wrote) itself, whose core
// named every part by its hash: the append then rewrites the core and the parts it holds, and
// names every other part by the hash it had, unread.
import { type Projection, type Slice, partialState } from './event-store.js';
import {
  type PartItem,
  type PlannedSnapshot,
  type SnapshotItem,
  assembleSnapshot,
  hashOf,
  packer,
  snapshotStateJson,
  summaryItem,
} from './snapshot-items.js';
import { MAX_PAYLOAD_BYTES, SliceTooNarrowError } from './store-errors.js';

/** A slice from a loaded snapshot: the core joined with the named parts only (see EventLog.loadSlice). */
export function sliceOfSnapshot<S, E extends object, Q>(
  projection: Projection<S, E, Q>,
  snapshot: SnapshotItem,
  partItems: readonly PartItem[],
  names: readonly string[],
): Slice<S> | { missing: string[] } {
  if (snapshot.parts === undefined)
    return { caseId: snapshot.caseId, version: snapshot.version, partial: JSON.parse(snapshotStateJson(snapshot)) as S, whole: true };
  const wanted = Object.fromEntries(Object.entries(snapshot.parts).filter(([name]) => names.includes(name)));
  const jsons: Record<string, string> = {};
  const assembled = assembleSnapshot(projection, { ...snapshot, parts: wanted }, partItems, jsons);
  if ('missing' in assembled) return assembled;
  const whole = Object.keys(wanted).length === Object.keys(snapshot.parts).length;
  // Marked: a partial state can never become the base of an append (event-store.ts assertWhole),
  // only of an append on a slice, which writes only what it holds.
  const partial = whole
    ? assembled.state
    : rememberSlice(partialState(assembled.state as S & object), { hashes: snapshot.parts, held: jsons });
  return { caseId: snapshot.caseId, version: snapshot.version, partial, whole };
}

/** The names of the parts asked for that this snapshot has (none when it is one item). */
export const partsNamed = (snapshot: SnapshotItem, names: readonly string[]): string[] =>
  snapshot.parts === undefined ? [] : names.filter((name) => Object.hasOwn(snapshot.parts ?? {}, name));

/** Whether a slice can be read from this snapshot: one item, or a core this release wrote (SnapshotItem.sliceable). */
export const sliceableSnapshot = (snapshot: SnapshotItem): boolean => snapshot.parts === undefined || snapshot.sliceable === true;

/** What a slice read (the core's part hashes, the JSON of each part it holds), so an append can be made on it. */
interface SliceRead {
  hashes: Readonly<Record<string, string>>;
  held: Readonly<Record<string, string>>;
}

const SLICE_READS = new WeakMap<object, SliceRead>();

/** Slices whose write did not reach their core: an append on one is refused as reaching past it. */
const UNWRITTEN = new WeakSet<object>();

/** Forgets a slice whose write did not reach its core: no append can be made on it (the next must read again). */
export function forgetSlice(state: unknown): void {
  if (typeof state !== 'object' || state === null) return;
  SLICE_READS.delete(state);
  UNWRITTEN.add(state);
}

/**
 * The snapshot writes of `state`, folded from the slice `read` at `version` (EventLog.appendToSlice):
 * the summary, the parts the slice holds that changed (and their previous copies), and the core
 * naming every other part by the hash it had. SliceTooNarrowError when the projection says the
 * events reached past the slice.
 */
export function planSliceSnapshot<S, E extends object, Q>(
  projection: Projection<S, E, Q>,
  caseId: string,
  version: number,
  state: S,
  read: S,
  maxBytes: number,
): PlannedSnapshot & { read: SliceRead } {
  const was = typeof read === 'object' && read !== null ? SLICE_READS.get(read) : undefined;
  // What the table holds is not known for a slice whose write failed: the caller decides on the whole case.
  if (was === undefined && typeof read === 'object' && read !== null && UNWRITTEN.has(read)) throw new SliceTooNarrowError(caseId);
  if (was === undefined) throw new TypeError('an append on a slice needs a slice this store read');
  const held = Object.keys(was.held);
  const split = projection.parts?.splitSlice?.(state, held) ?? null;
  const names = split === null ? [] : Object.keys(split.parts);
  // Exactly the parts it holds: a part it lacks would be written over, unread; one it held, dropped.
  if (split === null || names.length !== held.length || names.some((name) => !Object.hasOwn(was.held, name)))
    throw new SliceTooNarrowError(caseId);
  const json = JSON.stringify(state);
  const limit = Math.min(maxBytes, MAX_PAYLOAD_BYTES);
  const summary = summaryItem(projection, caseId, version, state);
  const pack = packer(projection, caseId, version, limit);
  const hashes = { ...was.hashes };
  const jsons: Record<string, string> = {};
  const parts: PartItem[] = [];
  const previous: PartItem[] = [];
  for (const name of names) {
    const partJson = JSON.stringify(split.parts[name]);
    const h = hashOf(partJson);
    jsons[name] = partJson;
    hashes[name] = h;
    if (h === was.hashes[name]) continue;
    parts.push(pack.part(name, partJson, h));
    previous.push(pack.previous(name, was.held[name] ?? ''));
  }
  return { summary, previous, parts, snapshot: pack.core(split.core, hashes), json, hashes, read: { hashes, held: jsons } };
}

/** Marks a state parsed from a slice append's JSON as a slice an append can be made on again. */
export function rememberSlice<S>(state: S, read: SliceRead): S {
  if (typeof state === 'object' && state !== null) SLICE_READS.set(state, read);
  return state;
}
