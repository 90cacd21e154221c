// Write conflicts: writers racing on one case each append at the version they read; the loser's
// conditional put fails and the use case decides again from a fresh read (appendWithRetry).
import { afterEach, describe, expect, it } from 'vitest';
import { resetDeps } from '../../functions/handlers/runtime.js';
import { startDynamoCounter } from '../../bench/dynamo-counter.js';
import { aWorld } from '../builders/api-world.js';
import { aReportInput } from '../builders/case.js';
import { call } from '../builders/http.js';
import { type E2E, bootStack } from '../builders/local-stack.js';

const WRITERS = 5;
let e: E2E | undefined;
afterEach(async () => {
  await e?.stop();
  e = undefined;
});

const vendorBody = (round: number, i: number) => ({
  vendors: [{ name: `Vendor ${round}-${i}`, contacts: [`psirt${round}-${i}@v.example`] }],
});

describe('reliability: write conflicts', () => {
  it(`scenario: ${WRITERS} coordinators add vendors to one case at once through the API handlers (in-memory store); every one lands`, async () => {
    const w = await aWorld('triage');
    const before = (await w.app.store.load(w.a))!.state.vendors.length;
    const replies = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        call(w.app.deps, 'POST', '/cases/{caseId}/vendors', {
          params: { caseId: w.a },
          caller: w.callers.coordinator,
          body: vendorBody(0, i),
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(WRITERS).fill(202));
    const s = (await w.app.store.load(w.a))!.state;
    expect(s.vendors.length).toBe(before + WRITERS);
    expect(new Set(s.vendors.map((v) => v.name)).size).toBe(s.vendors.length);
  });

  it(`scenario: ${WRITERS} writers at once through the local API on DynamoDB (dynalite); conditional puts fail, are retried, and every write lands once`, async () => {
    e = await bootStack();
    const r = await e.call('POST', '/reports', { body: aReportInput() });
    const { caseId } = r.json as { caseId: string };
    const counter = await startDynamoCounter(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '');
    const direct = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = counter.endpoint;
    resetDeps();
    try {
      let rounds = 0;
      // Rounds until the race was real (a conditional put refused), at most 5.
      while (rounds < 5 && counter.counts().conditionalFailures === 0) {
        const replies = await Promise.all(
          Array.from({ length: WRITERS }, (_, i) =>
            fetch(`${e!.stack.apiUrl}/cases/${caseId}/vendors`, {
              method: 'POST',
              headers: { authorization: `Bearer ${e!.coordinator}`, 'content-type': 'application/json' },
              body: JSON.stringify(vendorBody(rounds, i)),
            }),
          ),
        );
        expect(replies.map((x) => x.status)).toEqual(Array(WRITERS).fill(202));
        rounds++;
      }
      expect(counter.counts().conditionalFailures).toBeGreaterThan(0);
      await e.stack.settle();
      const view = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as { vendors: { name: string }[] };
      const added = view.vendors.filter((v) => v.name.startsWith('Vendor '));
      expect(added).toHaveLength(rounds * WRITERS);
      expect(new Set(added.map((v) => v.name)).size).toBe(rounds * WRITERS);
    } finally {
      process.env.AWS_ENDPOINT_URL_DYNAMODB = direct;
      resetDeps();
      await counter.close();
    }
  });
});
