// POST /_local/clock on a stack whose clock runs in real time, as under `npm start`: it answers
// only once every execution waits or is done, and an advance of zero (just "let the workflow
// rest") is never taken for a move back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aReportInput } from '../builders/case.js';
import { type E2E, bootStack } from '../builders/local-stack.js';

let e: E2E;
beforeAll(async () => {
  e = await bootStack({ realTime: true });
});
afterAll(async () => e?.stop());

/** Plain HTTP, without the settle the E2E helper adds after each call. */
async function moveClock(body: unknown): Promise<{ status: number; json: { now?: string; detail?: string } }> {
  const r = await fetch(`${e.stack.apiUrl}/_local/clock`, {
    method: 'POST',
    headers: { authorization: `Bearer ${e.coordinator}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as { now?: string; detail?: string } };
}

describe('POST /_local/clock in real time', () => {
  it('answers once the executions the reports started all wait for triage', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${e.stack.apiUrl}/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(aReportInput({ title: `Clock report ${i}` })),
      });
      expect(r.status).toBe(201);
      ids.push(((await r.json()) as { caseId: string }).caseId);
    }
    const moved = await moveClock({ advance: 'PT0S' });
    expect(moved.status, moved.json.detail).toBe(200);
    expect(e.stack.engine.running()).toEqual([]);
    for (const id of ids) {
      const view = (await e.call('GET', `/cases/${id}`, { token: e.coordinator })).json as {
        phase: string;
        triage: { recommendation: string | null };
      };
      expect(view.phase).toBe('triage');
      expect(view.triage.recommendation).not.toBeNull();
    }
    expect(
      e.stack.engine
        .waiting()
        .map((w) => w.state)
        .sort(),
    ).toEqual(['AwaitTriageDecision', 'AwaitTriageDecision', 'AwaitTriageDecision']);
  });

  it('takes an advance of zero as "wait for the workflow", every time, and never moves back', async () => {
    let last = Date.parse(await e.now());
    for (let i = 0; i < 10; i++) {
      const moved = await moveClock({ advance: 'PT0S' });
      expect(moved.status, moved.json.detail).toBe(200);
      const now = Date.parse(moved.json.now ?? '');
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
  });
});
