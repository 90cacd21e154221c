// POST /reports: a new case with a random id, a reporter token stored only as its hash, the
// workflow started; Idempotency-Key makes retries return the first case and never make a second.
import { beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../../functions/adapters/event-store.js';
import { newCaseId, submitReport, submitReportApi } from '../../../functions/app/api/reports.js';
import { type TestApp, aTestApp } from '../../builders/app.js';
import { aReportInput } from '../../builders/case.js';
import { anEvent, call } from '../../builders/http.js';

let app: TestApp;
beforeEach(() => {
  app = aTestApp();
});

const submitWith = (key: string | undefined, body: unknown = aReportInput()) =>
  call(app.deps, 'POST', '/reports', { body, ...(key ? { headers: { 'Idempotency-Key': key } } : {}) });
type Created = { caseId: string; status: string; reporterToken: string; statusUrl: string };
const phases = ['intake', 'triage', 'outreach', 'embargo'] as const;
async function allCases() {
  const ids = new Set<string>();
  for (const p of phases) for (const i of (await app.store.queue(p, { limit: 1000 })).items) ids.add(i.caseId);
  return [...ids];
}

describe('submitting a report', () => {
  it('opens a case, returns a reporter token once, stores only its hash, and starts the workflow', async () => {
    const r = await submitWith(undefined);
    expect(r.status).toBe(201);
    const body = r.body as Created;
    expect(body.caseId).toMatch(/^VU-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(body.status).toBe('intake');
    expect(body.reporterToken).toBe(app.tokens[0]);
    expect(body.statusUrl).toBe(`https://cvd.example/status#token=${body.reporterToken}&case=${body.caseId}`);
    expect(r.headers.location).toBe(`/reports/${body.caseId}`);
    const grant = await app.store.getGrant(hashToken(body.reporterToken));
    expect(grant).toMatchObject({ caseId: body.caseId, role: 'reporter', participantId: 'reporter' });
    expect(JSON.stringify(grant)).not.toContain(body.reporterToken);
    expect(app.signals.started).toEqual([{ name: body.caseId, input: { caseId: body.caseId } }]);
    const events = (await app.store.readEvents(body.caseId)).events;
    expect(events.map((e) => e.type)).toEqual(['report-submitted']);
    expect(events[0]?.by).toEqual({ role: 'reporter', participant: 'reporter' });
  });

  it('draws Crockford base32 case ids and draws again when one is taken', async () => {
    expect(newCaseId(() => new Uint8Array([0, 1, 10, 17, 18, 20, 21, 31]))).toBe('VU-01AHJMNZ');
    const ids = ['VU-AAAAAAAA', 'VU-AAAAAAAA', 'VU-BBBBBBBB'];
    const event = () => anEvent('POST', '/reports', { body: aReportInput() });
    const first = await submitReport(app.deps, event(), { newCaseId: () => ids.shift()! });
    const second = await submitReport(app.deps, event(), { newCaseId: () => ids.shift()! });
    expect(JSON.parse(first.body).caseId).toBe('VU-AAAAAAAA');
    expect(JSON.parse(second.body).caseId).toBe('VU-BBBBBBBB');
  });

  it('returns the same case to a retry with the same Idempotency-Key, without a token, and creates nothing more', async () => {
    const first = (await submitWith('key-1')).body as Created;
    const grants = app.tokens.length;
    const again = await submitWith('key-1');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // Whoever replays the key and the body (a proxy log, a shared script) gets no access.
    expect(again.body).toEqual({ caseId: first.caseId, status: 'intake' });
    expect(app.tokens.length).toBe(grants);
    expect(
      (
        await call(app.deps, 'GET', '/reports/{caseId}', {
          params: { caseId: first.caseId },
          caller: { kind: 'token', token: first.reporterToken },
        })
      ).status,
    ).toBe(200);
    expect(await allCases()).toEqual([first.caseId]);
    expect((await app.store.readEvents(first.caseId)).events).toHaveLength(1);
  });

  it('treats the same report with keys in another order as the same request', async () => {
    const input = aReportInput();
    const reordered = Object.fromEntries(Object.entries(input).reverse());
    const a = (await submitWith('key-2', input)).body as Created;
    const b = (await submitWith('key-2', reordered)).body as Created;
    expect(b.caseId).toBe(a.caseId);
  });

  it('refuses the same key with a different report, and says so', async () => {
    await submitWith('key-3');
    const r = await submitWith('key-3', aReportInput({ title: 'Something else entirely' }));
    expect(r.status).toBe(422);
    expect((r.body as { detail: string }).detail).toMatch(/already used with a different report/);
    expect(await allCases()).toHaveLength(1);
  });

  it('makes exactly one case from 20 concurrent submissions with one key', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => submitWith('key-4')));
    const created = results.filter((r) => r.status === 201);
    const busy = results.filter((r) => r.status === 409);
    expect(created.length + busy.length).toBe(20);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => (r.body as Created).caseId)).size).toBe(1);
    for (const b of busy) {
      expect((b.body as { detail: string }).detail).toMatch(/still in progress; retry/);
      expect(b.headers['retry-after']).toBe('1');
    }
    expect(await allCases()).toHaveLength(1);
    const retry = (await submitWith('key-4')).body as Created;
    expect(await allCases()).toEqual([retry.caseId]);
  });

  it('lets a key whose first attempt failed be used again', async () => {
    const failing = {
      ...app.deps,
      store: Object.assign(Object.create(Object.getPrototypeOf(app.store) as object), app.store, {
        append: () => Promise.reject(new Error('disk on fire')),
      }),
    };
    const r1 = await submitReportApi(
      () => failing,
      anEvent('POST', '/reports', { body: aReportInput(), headers: { 'Idempotency-Key': 'key-5' } }),
    );
    expect(r1.statusCode).toBe(500);
    expect(r1.body).not.toContain('disk on fire');
    const r2 = await submitWith('key-5');
    expect(r2.status).toBe(201);
  });

  it('does not claim a key for an invalid report', async () => {
    expect((await submitWith('key-6', { title: 'only a title' })).status).toBe(400);
    expect((await submitWith('key-6')).status).toBe(201);
  });
});
