// The local process stopped at a bad moment, while a workflow step is running, and started again
// on the same data folder: every open case resumes where its log says it stands, and what was
// mailed is mailed at most once more (at-least-once delivery: never lost).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aReportInput } from '../builders/case.js';
import { type E2E, type Mail, bootStack } from '../builders/local-stack.js';
import { until } from './helpers.js';

const ACME = 'psirt@acme.example';
let e: E2E | undefined;
let dir: string | undefined;
afterEach(async () => {
  await e?.stop();
  e = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const mailsTo = (mails: Mail[], to: string, subject: RegExp) =>
  mails.filter((m) => m.destination.to.includes(to) && subject.test(m.subject));
const now = async () => e!.now();
const view = async (caseId: string) =>
  (await e!.call('GET', `/cases/${caseId}`, { token: e!.coordinator })).json as { phase: string; embargo: { state: string } };
/** Stops the stack without letting the workflow finish what it is doing, and boots a new one on the same data. */
async function killAndRestart(): Promise<void> {
  const at = await now();
  await e!.stop();
  e = await bootStack({ dataDir: dir!, start: at, keepMail: true });
  await e.stack.settle();
}

describe('reliability: kill and restart', () => {
  it('scenario: stopped while the workflow handles a public exploit (mid-step); after restart the embargo ends and the case reaches draft review', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cvd-rel-'));
    e = await bootStack({ dataDir: dir });
    const { caseId } = (await e.call('POST', '/reports', { body: aReportInput() })).json as { caseId: string };
    expect(
      (
        await e.call('POST', `/cases/${caseId}/triage`, {
          token: e.coordinator,
          body: { decision: 'accept', reasons: [], comment: 'we coordinate this' },
        })
      ).status,
    ).toBe(202);
    expect(
      (await e.call('PUT', `/cases/${caseId}/vendors/vendor-1`, { token: e.coordinator, body: { contacts: [{ email: ACME }] } })).status,
    ).toBe(202);
    expect((await view(caseId)).phase).toBe('embargo');
    // Signal, and stop as soon as the API has answered: the woken execution is mid-step.
    const r = await fetch(`${e.stack.apiUrl}/cases/${caseId}/signals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${e.coordinator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'exploit-public', evidence: 'https://exploit.example/poc' }),
    });
    expect(r.status).toBe(202);
    await killAndRestart();
    expect(e.stack.resumed).toContain(caseId);
    await e.advance('PT1M');
    expect(
      await until(
        async () => (await view(caseId)).phase === 'draft-review',
        () => e!.stack.settle(),
      ),
    ).toBe(true);
    expect((await view(caseId)).embargo.state).toBe('EXITED');
    const mails = await e.mail();
    const ended = mailsTo(mails, ACME, /ended early/);
    expect(ended.length).toBeGreaterThanOrEqual(1);
    expect(ended.length).toBeLessThanOrEqual(2);
    // Everything mailed before the stop went out once.
    expect(mailsTo(mails, 'ada@example.org', /received your report/)).toHaveLength(1);
    expect(mailsTo(mails, ACME, /^\[[^\]]+\] Vulnerability report/)).toHaveLength(1);
  });

  it('scenario: stopped right after intake, before the workflow registered the case; after restart the case is acknowledged once and waits for triage', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cvd-rel-'));
    e = await bootStack({ dataDir: dir });
    const r = await fetch(`${e.stack.apiUrl}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(aReportInput()),
    });
    expect(r.status).toBe(201);
    const { caseId } = (await r.json()) as { caseId: string };
    await killAndRestart();
    expect(e.stack.resumed).toContain(caseId);
    expect(
      await until(
        async () => (await view(caseId)).phase === 'triage',
        () => e!.stack.settle(),
      ),
    ).toBe(true);
    const acks = mailsTo(await e.mail(), 'ada@example.org', /received your report/);
    expect(acks.length).toBeGreaterThanOrEqual(1);
    expect(acks.length).toBeLessThanOrEqual(2);
    // The resumed case still works: accepted, the vendor is contacted.
    expect(
      (
        await e.call('POST', `/cases/${caseId}/triage`, {
          token: e.coordinator,
          body: { decision: 'accept', reasons: [], comment: 'we coordinate this' },
        })
      ).status,
    ).toBe(202);
    expect(
      (await e.call('PUT', `/cases/${caseId}/vendors/vendor-1`, { token: e.coordinator, body: { contacts: [{ email: ACME }] } })).status,
    ).toBe(202);
    expect((await view(caseId)).phase).toBe('embargo');
  });

  it('scenario: stopped three times in a row across a 45-day embargo; the case still publishes, reminders not repeated', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cvd-rel-'));
    e = await bootStack({ dataDir: dir });
    const { caseId } = (await e.call('POST', '/reports', { body: aReportInput() })).json as { caseId: string };
    await e.call('POST', `/cases/${caseId}/triage`, {
      token: e.coordinator,
      body: { decision: 'accept', reasons: [], comment: 'we coordinate this' },
    });
    expect(
      (await e.call('PUT', `/cases/${caseId}/vendors/vendor-1`, { token: e.coordinator, body: { contacts: [{ email: ACME }] } })).status,
    ).toBe(202);
    const start = Date.parse(await now());
    const endsAt = `${new Date(start + 45 * 86_400_000).toISOString().slice(0, 10)}T12:00:00.000Z`;
    await e.advance('P7D');
    await killAndRestart();
    await e.advance('P7D');
    await killAndRestart();
    await e.to(new Date(Date.parse(endsAt) - 14 * 86_400_000).toISOString());
    expect((await view(caseId)).phase).toBe('draft-review');
    expect(
      (await e.call('POST', `/cases/${caseId}/publication`, { token: e.coordinator, body: { decision: 'approve' } })).status,
    ).toBeLessThan(300);
    await killAndRestart();
    await e.to(endsAt);
    expect((await view(caseId)).phase).toBe('published');
    const mails = await e.mail();
    expect(mailsTo(mails, ACME, /Reminder: please acknowledge/)).toHaveLength(2);
    expect(mailsTo(mails, ACME, /is published/)).toHaveLength(1);
  });
});
