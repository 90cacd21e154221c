// Load: 200 reports submitted at once through the local API, with and without Idempotency-Key,
// counted in the coordinator queue: exactly the right number of cases, none twice.
import { afterEach, describe, expect, it } from 'vitest';
import { aReportInput } from '../builders/case.js';
import { type E2E, bootStack } from '../builders/local-stack.js';

let e: E2E | undefined;
afterEach(async () => {
  await e?.stop();
  e = undefined;
});

async function post(body: unknown, key?: string): Promise<{ status: number; caseId?: string }> {
  const r = await fetch(`${e!.stack.apiUrl}/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await r.json()) as { caseId?: string };
  return { status: r.status, ...(json.caseId ? { caseId: json.caseId } : {}) };
}

/** Every case the coordinator queue holds (all open phases, page by page). */
async function queued(): Promise<string[]> {
  await e!.stack.settle();
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const r = await e!.call('GET', `/cases?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: e!.coordinator });
    expect(r.status, r.text).toBe(200);
    const page = r.json as { items: { caseId: string }[]; cursor: string | null };
    ids.push(...page.items.map((i) => i.caseId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

describe('reliability: load', () => {
  it('scenario: 200 concurrent reports without Idempotency-Key make exactly 200 cases', async () => {
    e = await bootStack();
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => post(aReportInput({ title: `Load report ${i}` }))));
    expect(replies.filter((r) => r.status !== 201)).toEqual([]);
    const ids = replies.map((r) => r.caseId);
    expect(new Set(ids).size).toBe(200);
    const q = await queued();
    expect(q).toHaveLength(200);
    expect(new Set(q)).toEqual(new Set(ids));
  });

  it('scenario: 20 reports each sent 10 times at once with its Idempotency-Key (200 requests) make exactly 20 cases', async () => {
    e = await bootStack();
    const keys = Array.from({ length: 20 }, (_, k) => `load-key-${k}-${'x'.repeat(8)}`);
    const body = (k: number) => aReportInput({ title: `Keyed report ${k}` });
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => post(body(i % 20), keys[i % 20]).then((r) => ({ ...r, k: i % 20 }))),
    );
    // A retry that arrives while the first request still runs is told 409 (Retry-After); retry those.
    expect(replies.filter((r) => r.status !== 201 && r.status !== 409)).toEqual([]);
    const settled = [...replies];
    for (let round = 0; round < 10 && settled.some((r) => r.status === 409); round++) {
      await new Promise((r) => setTimeout(r, 100));
      for (const [i, r] of settled.entries()) if (r.status === 409) settled[i] = { ...(await post(body(r.k), keys[r.k])), k: r.k };
    }
    expect(settled.filter((r) => r.status !== 201)).toEqual([]);
    const byKey = new Map<number, Set<string>>();
    for (const r of settled) byKey.set(r.k, (byKey.get(r.k) ?? new Set()).add(r.caseId ?? 'none'));
    // Every retry with a key got the same case back.
    expect([...byKey.values()].map((s) => s.size)).toEqual(Array(20).fill(1));
    const q = await queued();
    expect(q).toHaveLength(20);
    expect(new Set(q)).toEqual(new Set([...byKey.values()].flatMap((s) => [...s])));
  });
});
