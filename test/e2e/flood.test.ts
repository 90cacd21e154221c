// The flood that used to stall a case, replayed over HTTP: one vendor link sends 30 messages of
// 16,000 CJK characters. The vendor gets 429 once past its daily limit; the coordinators' actions
// go on; the case is drafted and published on its date; the case's item stays small.
import { GetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, bootStack } from '../builders/local-stack.js';
import { aReportInput } from '../builders/case.js';

/** The case item may hold this much after the flood: what the test states, far below the 350 KB check. */
const SNAPSHOT_BOUND = 40 * 1024;
const CJK = '脆弱性'.repeat(5334).slice(0, 16_000);

let e: E2E;
beforeAll(async () => {
  e = await bootStack();
});
afterAll(async () => {
  await e.stop();
});

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

async function snapshotBytes(caseId: string): Promise<number> {
  const client = new DynamoDBClient({
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { Item } = await client.send(
    new GetItemCommand({ TableName: 'cvd-cases', Key: { PK: { S: `CASE#${caseId}` }, SK: { S: 'CASE' } }, ConsistentRead: true }),
  );
  client.destroy();
  return Item?.stateZ?.B?.byteLength ?? (Item?.state?.S ?? Item?.stateDeflated?.S ?? '').length;
}

describe('a flood of messages through one vendor link', () => {
  it('is refused past the limit while the coordinators act and the case is published on its date', async () => {
    const r = await e.call('POST', '/reports', { body: aReportInput() });
    const { caseId } = r.json as { caseId: string };
    const coord = async (method: string, path: string, body: unknown) => {
      const x = await e.call(method, path, { token: e.coordinator, body });
      expect(x.status, `${method} ${path}: ${x.text}`).toBe(202);
    };
    await coord('POST', `/cases/${caseId}/triage`, { decision: 'accept', reasons: [], comment: 'we coordinate' });
    await coord('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: 'psirt@acme.example' }] });
    const mail = (await e.mail()).find((m) => m.destination.to.includes('psirt@acme.example') && /#token=/.test(m.body.text ?? ''));
    const token = decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(mail?.body.text ?? '')?.[1] ?? '');

    const statuses: number[] = [];
    for (let i = 0; i < 30; i++)
      statuses.push((await e.call('POST', `/vendor/cases/${caseId}/messages`, { token, body: { body: `${i} ${CJK}` } })).status);
    // 48 KB each: two fit in a day's 128 KiB, then 429 until tomorrow.
    expect(statuses.slice(0, 2)).toEqual([202, 202]);
    expect(new Set(statuses.slice(2))).toEqual(new Set([429]));
    const refused = await e.call('POST', `/vendor/cases/${caseId}/messages`, { token, body: { body: CJK } });
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((refused.json as { limit: string }).limit).toBe('bytes-per-day');

    // Every coordinator action still goes through.
    await coord('PUT', `/cases/${caseId}/embargo`, {
      endsAt: addDays(
        await e
          .call('GET', `/cases/${caseId}`, { token: e.coordinator })
          .then((x) => (x.json as { embargo: { endsAt: string } }).embargo.endsAt),
        -5,
      ),
      reason: 'the fix ships early',
    });
    await coord('POST', `/cases/${caseId}/vulnerabilities`, { vulnerabilityId: 'vul-1', description: 'Clarified by the coordinators.' });
    await coord('POST', `/cases/${caseId}/vendors`, { vendors: [{ name: 'Distro', contacts: ['sec@distro.example'], downstream: true }] });
    const view = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as { embargo: { endsAt: string } };
    const endsAt = view.embargo.endsAt;

    // Day after day the vendor floods again; the case goes on regardless.
    for (let day = 1; day <= 5; day++) {
      await e.advance('P1D');
      for (let i = 0; i < 5; i++) await e.call('POST', `/vendor/cases/${caseId}/messages`, { token, body: { body: CJK } });
    }
    await e.to(addDays(endsAt, -14));
    let v = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as { phase: string; draft: { shared: unknown } };
    expect(v.phase).toBe('draft-review');
    expect(v.draft.shared).not.toBeNull();
    await coord('POST', `/cases/${caseId}/publication`, { decision: 'approve' });
    await e.to(endsAt);
    v = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as { phase: string; draft: { shared: unknown } };
    expect(v.phase).toBe('published');
    expect((await e.call('GET', `/notes/${caseId}`)).status).toBe(200);
    const bytes = await snapshotBytes(caseId);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(SNAPSHOT_BOUND);
  });
});
