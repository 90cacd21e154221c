// The whole product on one machine (npm start's runtime, in memory, random ports, a clock moved
// over HTTP), driven through HTTP only: one test per lifecycle path. Each checks the e-mails that
// went out (recipients, the case id in the subject, no task token anywhere) and the dates.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type E2E, type Mail, bootStack } from '../builders/local-stack.js';
import { aReportInput } from '../builders/case.js';

const REPORTER = 'ada@example.org';
const ACME = 'psirt@acme.example';
let e: E2E | undefined;
afterEach(async () => {
  await e?.stop();
  e = undefined;
});

interface CaseView {
  caseId: string;
  phase: string;
  embargo: { state: string; endsAt: string | null };
  vendors: { vendorId: string; name: string; firstContactAt: string | null; unresponsive: boolean }[];
  vulnerabilities: { vulnerabilityId: string; cveId: string | null }[];
  noteId?: string | null;
}

async function report(overrides: Record<string, unknown> = {}) {
  const r = await e!.call('POST', '/reports', { body: { ...aReportInput(), ...overrides } });
  expect(r.status, r.text).toBe(201);
  return r.json as { caseId: string; reporterToken: string; statusUrl: string };
}
const view = async (caseId: string) => {
  const r = await e!.call('GET', `/cases/${caseId}`, { token: e!.coordinator });
  expect(r.status, r.text).toBe(200);
  return r.json as CaseView;
};
const coordinator = async (method: string, p: string, body: unknown) => {
  const r = await e!.call(method, p, { token: e!.coordinator, body });
  expect(r.status, r.text).toBeLessThan(300);
  return r;
};
/** Accepts, then confirms the address the reporter suggested for Acme: only then is Acme mailed. */
const accept = async (caseId: string) => {
  await coordinator('POST', `/cases/${caseId}/triage`, { decision: 'accept', reasons: [], comment: 'we coordinate this' });
  expect((await view(caseId)).phase).toBe('outreach');
  return coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: ACME }] });
};
const tokenIn = (m: Mail) => decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(m.body.text ?? '')?.[1] ?? '');
const mailsTo = (mails: Mail[], to: string) => mails.filter((m) => m.destination.to.includes(to));
const vendorToken = async (to = ACME) => {
  const link = mailsTo(await e!.mail(), to).find((m) => tokenIn(m));
  if (!link) throw new Error(`no link mailed to ${to}`);
  return tokenIn(link);
};
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();
const expected45 = (firstContact: string) => `${addDays(firstContact, 45).slice(0, 10)}T12:00:00.000Z`;

/** Every mail: the case id in the subject, and no Step Functions task token anywhere. */
async function checkMails(caseId: string) {
  const mails = await e!.mail();
  expect(mails.length).toBeGreaterThan(0);
  for (const m of mails) {
    expect(m.subject).toContain(`[${caseId}]`);
    expect(`${m.subject}${m.body.text}${m.body.html}`).not.toMatch(/local-[A-Za-z0-9_-]{20,}/);
    expect(m.destination.to.length).toBeGreaterThan(0);
  }
  return mails;
}

async function toEmbargo() {
  const r = await report();
  await accept(r.caseId);
  const v = await view(r.caseId);
  expect(v.phase).toBe('embargo');
  const first = v.vendors[0]?.firstContactAt;
  expect(first).toBeTruthy();
  expect(v.embargo).toMatchObject({ state: 'ACTIVE', endsAt: expected45(first!) });
  return { ...r, endsAt: v.embargo.endsAt! };
}

describe('npm start, end to end over HTTP', () => {
  it('accepts a report and publishes it after the embargo', async () => {
    e = await bootStack();
    const { caseId, endsAt } = await toEmbargo();
    const vt = await vendorToken();
    expect((await e.call('POST', `/vendor/cases/${caseId}/acknowledge`, { token: vt, body: {} })).status).toBe(202);
    expect(
      (
        await e.call('PUT', `/vendor/cases/${caseId}/status`, {
          token: vt,
          body: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], fixReady: true, statement: 'Fixed in 4.2.2.' },
        })
      ).status,
    ).toBe(202);
    await e.to(addDays(endsAt, -14));
    expect((await view(caseId)).phase).toBe('draft-review');
    await coordinator('POST', `/cases/${caseId}/publication`, { decision: 'approve' });
    await e.to(endsAt);
    const v = await view(caseId);
    expect(v.phase).toBe('published');
    const mails = await checkMails(caseId);
    expect(
      mailsTo(mails, REPORTER)
        .map((m) => m.subject)
        .join('\n'),
    ).toMatch(/received your report[\s\S]*Draft|Draft[\s\S]*received/);
    expect(mailsTo(mails, ACME).length).toBeGreaterThanOrEqual(2);
    expect(mails.filter((m) => /is published/.test(m.subject)).length).toBeGreaterThan(0);
    expect((await e.call('GET', `/notes/${v.noteId ?? caseId}`)).status).toBe(200);
  });

  it.each([
    ['low-cvss-v2-environmental', { cvss: { v2: 'AV:L/AC:H/Au:M/C:N/I:P/A:N/CDP:N/TD:L/CR:L/IR:L/AR:L' } }],
    ['insufficient-evidence', { evidence: { proofOfConcept: '', patch: '' } }],
    ['cve-id-only', { requestedService: 'cve-id-only' }],
    ['publication-only', { requestedService: 'publication-only' }],
    ['resources', {}],
  ])('declines for %s and tells the reporter why', async (reason, overrides) => {
    e = await bootStack();
    const { caseId } = await report(overrides);
    const v = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as {
      triage: { suggestedReasons: { reason: string }[] };
    };
    if (reason !== 'resources') expect(v.triage.suggestedReasons.map((r) => r.reason)).toContain(reason);
    await coordinator('POST', `/cases/${caseId}/triage`, { decision: 'decline', reasons: [reason], comment: 'declined with regret' });
    expect((await view(caseId)).phase).toBe('declined');
    const declined = mailsTo(await checkMails(caseId), REPORTER).find((m) => /will not coordinate/.test(m.subject));
    expect(declined?.body.text).toContain('declined with regret');
  });

  it('requests information and closes the case when the reporter stays silent for 14 days', async () => {
    e = await bootStack();
    const { caseId } = await report();
    await coordinator('POST', `/cases/${caseId}/triage`, { decision: 'request-info', reasons: [] });
    expect(mailsTo(await e.mail(), REPORTER).some((m) => /more information/.test(m.subject))).toBe(true);
    await e.advance('P14DT1H');
    expect((await view(caseId)).phase).toBe('closed');
    expect(mailsTo(await checkMails(caseId), REPORTER).some((m) => /closed/i.test(m.subject))).toBe(true);
  });

  it('handles an unresponsive vendor: reminders, downstream alert, final notice, then publication', async () => {
    e = await bootStack();
    const { caseId, endsAt } = await toEmbargo();
    await coordinator('POST', `/cases/${caseId}/vendors`, {
      vendors: [{ name: 'Distro', contacts: ['sec@distro.example'], isCna: false, downstream: true }],
    });
    await e.advance('P7D');
    await e.advance('P7D');
    await e.advance('P14D');
    const mails = await e.mail();
    expect(mailsTo(mails, ACME).filter((m) => /Reminder/.test(m.subject))).toHaveLength(2);
    expect(mailsTo(mails, ACME).some((m) => /Final notice/.test(m.subject))).toBe(true);
    expect(mailsTo(mails, 'sec@distro.example')).toHaveLength(1);
    expect((await view(caseId)).vendors[0]?.unresponsive).toBe(true);
    await e.to(addDays(endsAt, -14));
    await coordinator('POST', `/cases/${caseId}/publication`, { decision: 'approve' });
    await e.to(endsAt);
    expect((await view(caseId)).phase).toBe('published');
    await checkMails(caseId);
  });

  it('takes the CVE ID a CNA vendor proposes once a coordinator accepts it', async () => {
    e = await bootStack();
    const { caseId } = await toEmbargo();
    const vt = await vendorToken();
    const r = await e.call('PUT', `/vendor/cases/${caseId}/status`, {
      token: vt,
      body: {
        vulnerabilities: [{ id: 'vul-1', status: 'affected' }],
        isCna: true,
        cveIds: [{ vulnerabilityId: 'vul-1', cveId: 'CVE-2026-31337' }],
      },
    });
    expect(r.status, r.text).toBe(202);
    expect((await view(caseId)).vulnerabilities[0]?.cveId).toBeNull();
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, { isCna: true });
    await coordinator('PUT', `/cases/${caseId}/vulnerabilities/vul-1/cve`, { acceptProposalFrom: 'vendor-1' });
    expect((await view(caseId)).vulnerabilities[0]?.cveId).toBe('CVE-2026-31337');
  });

  it('extends the embargo and tells the participants', async () => {
    e = await bootStack();
    const { caseId, endsAt } = await toEmbargo();
    const later = addDays(endsAt, 30);
    await coordinator('PUT', `/cases/${caseId}/embargo`, { endsAt: later, reason: 'the vendor needs one more release cycle' });
    expect((await view(caseId)).embargo.endsAt).toBe(later);
    await e.to(addDays(endsAt, -13));
    expect((await view(caseId)).phase).toBe('embargo');
    expect(mailsTo(await checkMails(caseId), ACME).some((m) => /publication date changed/.test(m.subject))).toBe(true);
  });

  it('shortens the embargo, and the draft comes due earlier', async () => {
    e = await bootStack();
    const { caseId, endsAt } = await toEmbargo();
    const sooner = addDays(endsAt, -20);
    await coordinator('PUT', `/cases/${caseId}/embargo`, { endsAt: sooner, reason: 'the patch is already out' });
    await e.to(addDays(sooner, -14));
    expect((await view(caseId)).phase).toBe('draft-review');
    await checkMails(caseId);
  });

  it('releases the embargo early when an exploit is public', async () => {
    e = await bootStack();
    const { caseId } = await toEmbargo();
    await coordinator('POST', `/cases/${caseId}/signals`, { kind: 'exploit-public', evidence: 'https://exploit.example/poc' });
    await e.advance('PT1M');
    const v = await view(caseId);
    expect(v.embargo.state).toBe('EXITED');
    expect(v.phase).toBe('draft-review');
    expect(mailsTo(await checkMails(caseId), ACME).some((m) => /ended early/.test(m.subject))).toBe(true);
  });

  it('ends the embargo when the reporter discloses on their own', async () => {
    e = await bootStack();
    const { caseId, reporterToken } = await toEmbargo();
    const r = await e.call('POST', `/reports/${caseId}/messages`, {
      token: reporterToken,
      body: { kind: 'self-disclosure', body: 'my blog post is live', disclosureDate: '2026-11-01T09:00:00Z' },
    });
    expect(r.status, r.text).toBe(202);
    await e.advance('PT1M');
    const v = await view(caseId);
    expect(v.embargo.state).toBe('EXITED');
    expect(v.phase).toBe('draft-review');
    await checkMails(caseId);
  });

  it('closes without publishing when the coordinator decides not to publish', async () => {
    e = await bootStack();
    const { caseId, endsAt } = await toEmbargo();
    await e.to(addDays(endsAt, -14));
    await coordinator('POST', `/cases/${caseId}/publication`, { decision: 'do-not-publish', reason: 'the vendor advisory covers it' });
    expect((await view(caseId)).phase).toBe('closed');
    expect((await e.call('GET', `/notes/${caseId}`)).status).toBe(404);
    expect(mailsTo(await checkMails(caseId), REPORTER).some((m) => /closed/i.test(m.subject))).toBe(true);
  });

  it('continues every open case after a restart in the middle of the embargo, without mailing twice', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cvd-e2e-'));
    try {
      e = await bootStack({ dataDir: dir });
      const { caseId, endsAt } = await toEmbargo();
      await e.advance('P10D');
      const before = (await e.mail()).length;
      const now = await e.now();
      await e.stop();
      e = await bootStack({ dataDir: dir, start: now, keepMail: true });
      expect(e.stack.resumed).toContain(caseId);
      await e.stack.settle();
      expect((await view(caseId)).phase).toBe('embargo');
      await e.to(addDays(endsAt, -14));
      expect((await view(caseId)).phase).toBe('draft-review');
      // The SES emulator keeps its inbox in this process, across the restart: nothing is sent twice.
      const after = await checkMails(caseId);
      expect(after.length).toBeGreaterThan(before);
      expect(after.filter((m) => /received your report/.test(m.subject))).toHaveLength(1);
      expect(mailsTo(after, ACME).filter((m) => /^\[[^\]]+\] Vulnerability report/.test(m.subject))).toHaveLength(1);
      expect(mailsTo(after, ACME).filter((m) => /Reminder: please acknowledge/.test(m.subject))).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
