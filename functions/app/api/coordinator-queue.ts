// GET /cases, the coordinators' queue: one phase or every open phase merged, earliest next deadline
// first (the queue index's order), filtered by priority and, on request, sorted by it.
import { encodeQueueCursor } from '../../adapters/store-items.js';
import { phaseSortKey } from '../../adapters/table-layout.js';
import { OPEN_PHASES, PHASES, type Phase } from '../../domain/case.js';
import { PRIORITIES, type Priority } from '../../domain/priority.js';
import { type QueueRow, queueRow } from '../../domain/queue-entry.js';
import type { AppDeps } from '../deps.js';
import { requireCoordinator } from './auth.js';
import { type ApiEvent, type ApiResult, MAX_PAGE, badRequest, json, limitOf, query } from './http.js';

export { MAX_PAGE, limitOf };

const badCursor = () =>
  badRequest('the cursor is not one this list returned', [{ path: 'cursor', message: 'the cursor is not one this list returned' }]);

// The rows are the cases' queue entries as their summary items hold them: the queue reads no case.
type Page = { items: QueueRow[]; cursor: string | null };
type Keep = (s: QueueRow) => boolean;

/** The merged queue's cursor: per open phase, where its next page starts ('' = the start, null = done). */
type MergedCursor = Partial<Record<Phase, string | null>>;

function decodeMerged(cursor: string): MergedCursor {
  if (!cursor.startsWith('m.')) throw badCursor();
  try {
    const parsed = JSON.parse(Buffer.from(cursor.slice(2), 'base64url').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badCursor();
    const out: MergedCursor = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (!OPEN_PHASES.includes(k as Phase) || (v !== null && typeof v !== 'string')) throw badCursor();
      out[k as Phase] = v;
    }
    return out;
  } catch {
    throw badCursor();
  }
}
const encodeMerged = (c: MergedCursor) => `m.${Buffer.from(JSON.stringify(c), 'utf8').toString('base64url')}`;

/**
 * Every open phase merged by next deadline (overdue first, none last), with a cursor that remembers
 * where each phase stands. Cases `keep` refuses are passed over, as a DynamoDB filter would: a page
 * may then hold fewer than `limit`, never one out of order (nothing past a phase's unread rest).
 */
async function mergedQueue(deps: AppDeps, limit: number, cursor: string | undefined, keep: Keep): Promise<Page> {
  const at: MergedCursor = cursor ? decodeMerged(cursor) : Object.fromEntries(OPEN_PHASES.map((p) => [p, '']));
  const live = OPEN_PHASES.filter((p) => typeof at[p] === 'string');
  const pages = await Promise.all(
    live.map(async (phase) => {
      const from = at[phase];
      return { phase, page: await deps.store.queue(phase, { limit, ...(from ? { cursor: from } : {}) }) };
    }),
  );
  const all = pages.flatMap(({ phase, page }) =>
    page.items.map((item) => ({ phase, item, key: phaseSortKey(item.nextDeadlineAt, item.caseId) })),
  );
  all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // A phase with more to read bounds the walk: its next page may sort before anything past its last key.
  const bounds = pages.filter(({ page }) => page.cursor !== null).map(({ page }) => page.items.at(-1));
  const bound = bounds.reduce<string | null>((m, i) => {
    const k = i ? phaseSortKey(i.nextDeadlineAt, i.caseId) : null;
    return k !== null && (m === null || k < m) ? k : m;
  }, null);
  const taken: ((typeof all)[number] & { row: QueueRow })[] = [];
  const walked = new Map<Phase, { key: string; count: number }>();
  for (const x of all) {
    if (taken.length === limit || (bound !== null && x.key > bound)) break;
    walked.set(x.phase, { key: x.key, count: (walked.get(x.phase)?.count ?? 0) + 1 });
    const row = queueRow(x.item.entry, deps.policy);
    if (keep(row)) taken.push({ ...x, row });
  }
  const next: MergedCursor = {};
  for (const { phase, page } of pages) {
    const w = walked.get(phase);
    if ((w?.count ?? 0) === page.items.length) next[phase] = page.cursor;
    else if (!w) next[phase] = at[phase] ?? '';
    else next[phase] = encodeQueueCursor(w.key);
  }
  const more = Object.values(next).some((v) => typeof v === 'string');
  return { items: taken.map((t) => t.row), cursor: more ? encodeMerged(next) : null };
}

async function phaseQueue(deps: AppDeps, phase: string | undefined, limit: number, cursor: string | undefined, keep: Keep): Promise<Page> {
  if (phase === undefined) return mergedQueue(deps, limit, cursor, keep);
  const r = await deps.store.queue(phase, { limit, ...(cursor ? { cursor } : {}) });
  return { items: r.items.map((i) => queueRow(i.entry, deps.policy)).filter(keep), cursor: r.cursor };
}

/**
 * Sorted by priority: every high case (in deadline order), then every medium, then every low; the
 * cursor says which level and where in it. Reads at most a few index pages per request.
 */
async function priorityQueue(
  deps: AppDeps,
  phase: string | undefined,
  limit: number,
  cursor: string | undefined,
  only: Keep,
): Promise<Page> {
  let level = 0;
  let inner: string | undefined;
  if (cursor !== undefined) {
    const m = /^p([0-2])\.(.*)$/s.exec(cursor);
    if (!m) throw badCursor();
    level = Number(m[1]);
    inner = m[2] || undefined;
  }
  const items: QueueRow[] = [];
  for (let reads = 0; reads < 6 && level < PRIORITIES.length && items.length < limit; reads++) {
    const wanted = PRIORITIES[level];
    const page = await phaseQueue(deps, phase, limit - items.length, inner, (s) => only(s) && s.priority === wanted);
    items.push(...page.items);
    if (page.cursor === null) {
      level += 1;
      inner = undefined;
    } else inner = page.cursor;
  }
  return { items, cursor: level < PRIORITIES.length ? `p${level}.${inner ?? ''}` : null };
}

function oneOf<T extends string>(event: ApiEvent, name: string, values: readonly T[]): T | undefined {
  const raw = query(event, name);
  if (raw === undefined) return undefined;
  if (!(values as readonly string[]).includes(raw))
    throw badRequest(`${name} must be one of ${values.join(', ')}`, [{ path: name, message: `must be one of ${values.join(', ')}` }]);
  return raw as T;
}

export async function listCases(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  requireCoordinator(event);
  const limit = limitOf(event, 50);
  const phase = oneOf(event, 'phase', PHASES);
  const priority = oneOf<Priority>(event, 'priority', PRIORITIES);
  const sort = oneOf(event, 'sort', ['deadline', 'priority'] as const) ?? 'deadline';
  const cursor = query(event, 'cursor');
  const keep: Keep = priority ? (s) => s.priority === priority : () => true;
  const page =
    sort === 'priority' && !priority
      ? await priorityQueue(deps, phase, limit, cursor, keep)
      : await phaseQueue(deps, phase, limit, cursor, keep);
  return json(200, { items: page.items, cursor: page.cursor });
}
