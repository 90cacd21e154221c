// The workflow's use cases against the in-memory twins: each step, its retry safety, and its
// failure paths (named errors thrown, never returned).
import { beforeEach, describe, expect, it } from 'vitest';
import { MailRejected, TransientError } from '../../functions/adapters/errors.js';
import { execute } from '../../functions/app/commands.js';
import { submit, wake } from '../../functions/app/inbox.js';
import { preScreen } from '../../functions/app/prescreen.js';
import * as wf from '../../functions/app/workflow.js';
import * as pub from '../../functions/app/publication-steps.js';
import * as cve from '../../functions/app/cve-ids.js';
import { vendorView } from '../../functions/app/api/views.js';
import { DECLINE_REASONS, DomainError } from '../../functions/domain/index.js';
import { DECLINE_REASON_TEXT } from '../../functions/domain/triage/decline-reasons.js';
import { COORDINATOR, REPORTER, aReport, vendorActor } from '../builders/case.js';
import { type TestApp, aTestApp } from '../builders/app.js';

const CASE = 'VU-TEST01';
let app: TestApp;

async function reported(report = aReport()) {
  await execute(app.deps, CASE, { type: 'submit-report', caseId: CASE, report }, REPORTER);
}
async function triaged() {
  await reported();
  await wf.registerCase(app.deps, { caseId: CASE });
  await preScreen(app.deps, { caseId: CASE });
  await submit(app.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'we coordinate this one' }, COORDINATOR);
  const r = await wf.advance(app.deps, { caseId: CASE });
  // The reporter's address for Acme is only a suggestion: a coordinator confirms it.
  await execute(app.deps, CASE, { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] }, COORDINATOR);
  return r;
}
async function embargoed() {
  await triaged();
  const out = await wf.prepareOutreach(app.deps, { caseId: CASE });
  for (const v of out.vendors ?? []) await wf.notifyVendor(app.deps, { caseId: CASE, vendorId: v.vendorId });
  return wf.openEmbargo(app.deps, { caseId: CASE });
}
const state = async () => (await app.store.load(CASE))!.state;
const mails = (template?: string) => app.mailer.sent.filter((m) => !template || m.tags?.template === template);

beforeEach(() => {
  app = aTestApp();
});

describe('intake and triage steps', () => {
  it('registers the case and acknowledges the reporter once, with a status link whose token sits in the fragment', async () => {
    await reported();
    const out = await wf.registerCase(app.deps, { caseId: CASE });
    await wf.registerCase(app.deps, { caseId: CASE });
    expect(out).toEqual({ caseId: CASE, phase: 'triage' });
    const [ack, ...rest] = mails();
    expect(rest).toEqual([]);
    expect(ack?.to).toEqual(['ada@example.org']);
    expect(ack?.subject).toContain(`[${CASE}]`);
    expect(ack?.text).toContain(`https://cvd.example/status#token=${app.tokens[0]}`);
    expect(ack?.html).toContain('<a href="https://cvd.example/status#token=');
    expect((await app.store.getGrant((await import('../../functions/adapters/event-store.js')).hashToken(app.tokens[0]!)))?.role).toBe(
      'reporter',
    );
  });

  it('throws NotFound for a case that does not exist', async () => {
    await expect(wf.registerCase(app.deps, { caseId: 'VU-NOPE' })).rejects.toBeInstanceOf(DomainError);
    await expect(wf.locateCase(app.deps, { caseId: 'VU-NOPE' })).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('pre-screens once: scores, the SSVC recommendation, and one e-mail to the coordinators', async () => {
    await reported();
    await wf.registerCase(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    const s = await state();
    expect(s.prescreen?.scores.v2).toMatchObject({ base: 7.5 });
    expect(s.prescreen?.scores.v3).toMatchObject({ base: 9.8, severity: 'critical' });
    expect(['decline', 'track', 'coordinate']).toContain(s.prescreen?.triage.recommendation);
    expect(mails('triage-needed')).toHaveLength(1);
    expect(mails('triage-needed')[0]?.to).toEqual(['coord@cert.example']);
  });

  it('records invalid CVSS vectors as pre-screen errors instead of failing', async () => {
    // Intake refuses such a vector now; a report stored before that may still hold one.
    await reported({ ...aReport(), cvss: { v3: 'CVSS:3.1/AV:Q' } });
    await wf.registerCase(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    expect((await state()).prescreen?.scoreErrors.map((e) => e.field)).toEqual(['cvss.v3']);
  });

  it('routes an accepted report to outreach and marks the decision applied', async () => {
    const out = await triaged();
    expect(out).toMatchObject({ phase: 'outreach', route: 'accept' });
    expect((await state()).appliedSeq).toBeGreaterThan(0);
  });

  it('asks for information, then closes the case as invalid when the reporter stays silent', async () => {
    await reported();
    await wf.registerCase(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    await submit(app.deps, CASE, { type: 'decide-triage', decision: 'request-info' }, COORDINATOR);
    expect((await wf.advance(app.deps, { caseId: CASE })).route).toBe('request-info');
    await wf.requestInformation(app.deps, { caseId: CASE });
    expect(mails('information-request')).toHaveLength(1);
    app.clock.advanceDays(14);
    const out = await wf.closeAsInvalid(app.deps, { caseId: CASE });
    expect(out).toMatchObject({ phase: 'closed', route: 'closed' });
    expect(mails('case-closed').map((m) => m.to)).toEqual([['ada@example.org']]);
  });

  it('keeps triage going when the answer beats the information-request timer', async () => {
    await reported();
    await wf.registerCase(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    await submit(app.deps, CASE, { type: 'decide-triage', decision: 'request-info' }, COORDINATOR);
    await wf.requestInformation(app.deps, { caseId: CASE });
    app.clock.advanceDays(14);
    await submit(app.deps, CASE, { type: 'provide-information', body: 'it is 4.2.1', messageId: 'm-1' }, REPORTER);
    const out = await wf.closeAsInvalid(app.deps, { caseId: CASE });
    expect(out).toMatchObject({ phase: 'triage', route: 'prescreen' });
  });

  it('tells a declined reporter each reason with its guidance', async () => {
    await reported(aReport({ requestedService: 'cve-id-only' }));
    await wf.registerCase(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    await submit(app.deps, CASE, { type: 'decide-triage', decision: 'decline', reasons: ['cve-id-only'] }, COORDINATOR);
    expect((await wf.advance(app.deps, { caseId: CASE })).route).toBe('decline');
    await wf.notifyDeclined(app.deps, { caseId: CASE });
    await wf.notifyDeclined(app.deps, { caseId: CASE });
    expect(mails('declined')).toHaveLength(1);
    expect(mails('declined')[0]?.text).toMatch(/CVE/);
    expect(mails('declined')[0]?.text).toMatch(/contact the vendor or maintainer directly/);
  });

  it.each(DECLINE_REASONS)('sends the seed guidance for a %s decline: the reason, then how to self-publish with care', async (reason) => {
    await reported(aReport({ title: '<b>Pwn</b> [x](https://evil.example)' }));
    await wf.registerCase(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    await submit(app.deps, CASE, { type: 'decide-triage', decision: 'decline', reasons: [reason], comment: 'see <below>' }, COORDINATOR);
    await wf.advance(app.deps, { caseId: CASE });
    await wf.notifyDeclined(app.deps, { caseId: CASE });
    const [m] = mails('declined');
    const text = (m?.text ?? '').replace(/\s+/g, ' ');
    expect(text).toContain(`${DECLINE_REASON_TEXT[reason].title}.`);
    expect(text).toContain(DECLINE_REASON_TEXT[reason].guidance.slice(0, 60));
    expect(text).toContain('Full Disclosure (https://seclists.org/fulldisclosure/)');
    expect(text).toContain('only enough for users to understand the issue and mitigate attacks, not a full proof of concept');
    // The reporter's own text is never part of the mail, and the coordinator's is escaped.
    expect(`${m?.text}${m?.html}${m?.subject}`).not.toMatch(/Pwn|evil\.example/);
    expect(m?.html).toContain('see &lt;below&gt;');
  });

  it('escalates an undecided report to the coordinators after 48 hours', async () => {
    await reported();
    await wf.registerCase(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    app.clock.advanceHours(48);
    expect((await wf.advance(app.deps, { caseId: CASE })).route).toBe('wait');
    expect(mails('triage-escalation')).toHaveLength(1);
    expect((await state()).triage.escalations).toBe(1);
  });
});

describe('the durable inbox', () => {
  it('parks the task token and resumes at once when an event is already waiting', async () => {
    await reported();
    await wf.registerCase(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    await execute(app.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'we coordinate this one' }, COORDINATOR);
    app.signals.waiting.add('token-1');
    await wf.awaitSignal(app.deps, { caseId: CASE, kind: 'triage', taskToken: 'token-1' });
    expect(app.signals.succeeded).toEqual([{ token: 'token-1', output: { caseId: CASE } }]);
    expect(await app.store.getWait(CASE)).toBeNull();
  });

  it('keeps waiting when nothing is pending, and a later event wakes the stored token', async () => {
    await reported();
    await wf.registerCase(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    await wf.advance(app.deps, { caseId: CASE });
    app.signals.waiting.add('token-2');
    await wf.awaitSignal(app.deps, { caseId: CASE, kind: 'triage', taskToken: 'token-2' });
    expect(app.signals.succeeded).toEqual([]);
    expect((await app.store.getWait(CASE))?.token).toBe('token-2');
    const r = await submit(app.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'we coordinate this one' }, COORDINATOR);
    expect(r.woke).toBe(true);
    expect(app.signals.succeeded.map((s) => s.token)).toEqual(['token-2']);
  });

  it('loses nothing when the token is gone: the event stays unapplied for the next loop', async () => {
    await reported();
    await wf.registerCase(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    await app.store.putWait(CASE, { kind: 'triage', token: 'expired', since: app.clock.now });
    const r = await submit(app.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'we coordinate this one' }, COORDINATOR);
    expect(r.woke).toBe(false);
    expect(await wake(app.deps, CASE)).toBe(false);
    expect((await wf.advance(app.deps, { caseId: CASE })).route).toBe('accept');
  });

  it('resumes a blocked case only for an event after the block, so a failing step cannot spin', async () => {
    await embargoed();
    // A vendor's comment arrives; a wait resumes at once for it, as the durable inbox should.
    await execute(app.deps, CASE, { type: 'add-comment', body: 'any news?', messageId: 'm-1' }, vendorActor('vendor-1'));
    app.signals.waiting.add('before-block');
    await wf.awaitSignal(app.deps, { caseId: CASE, kind: 'case-event', taskToken: 'before-block' });
    expect(app.signals.succeeded.map((x) => x.token)).toEqual(['before-block']);
    // Then the step that would react fails: the same pending comment must not resume it again.
    await wf.reportBlocked(app.deps, { caseId: CASE, error: { Error: 'MailRejected', Cause: 'address rejected' } });
    app.signals.waiting.add('unblock-1');
    await wf.awaitSignal(app.deps, { caseId: CASE, kind: 'unblock', taskToken: 'unblock-1' });
    expect(app.signals.succeeded.map((x) => x.token)).toEqual(['before-block']);
    expect((await app.store.getWait(CASE))?.token).toBe('unblock-1');
    // The coordinator's fix is a new event: it wakes the blocked execution.
    const r = await submit(
      app.deps,
      CASE,
      { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'sec@acme.example' }] },
      COORDINATOR,
    );
    expect(r.woke).toBe(true);
    expect(app.signals.succeeded.map((x) => x.token)).toEqual(['before-block', 'unblock-1']);
  });

  it('parks a wait without reading the case when its summary is current, and reads the case when the log is past it', async () => {
    await embargoed();
    await wf.advance(app.deps, { caseId: CASE });
    const load = app.store.load.bind(app.store);
    let loads = 0;
    app.store.load = (id) => {
      loads += 1;
      return load(id);
    };
    app.signals.waiting.add('quiet');
    await wf.awaitSignal(app.deps, { caseId: CASE, kind: 'case-event', taskToken: 'quiet' });
    expect(app.signals.succeeded).toEqual([]);
    expect(loads).toBe(0);

    // A vendor's comment, then the workflow blocks on it; the summary a reader gets is from before both.
    const stale = await app.store.summary(CASE);
    await execute(app.deps, CASE, { type: 'add-comment', body: 'any news?', messageId: 'm-1' }, vendorActor('vendor-1'));
    await wf.reportBlocked(app.deps, { caseId: CASE, error: { Error: 'MailRejected', Cause: 'address rejected' } });
    app.store.summary = async () => stale;
    loads = 0;
    app.signals.waiting.add('unblock-1');
    await wf.awaitSignal(app.deps, { caseId: CASE, kind: 'unblock', taskToken: 'unblock-1' });
    // The stale summary knows no block and would resume for the comment: the case is read instead.
    expect(loads).toBeGreaterThan(0);
    expect(app.signals.succeeded).toEqual([]);
    expect((await app.store.getWait(CASE))?.token).toBe('unblock-1');
  });

  it('reads the case when the summary carries no cursor (written before it did), and stays parked on a quiet case', async () => {
    await embargoed();
    await wf.advance(app.deps, { caseId: CASE });
    const current = await app.store.summary(CASE);
    if (!current) throw new Error('no summary');
    const { appliedSeq: _a, blockedSeq: _b, ...older } = current.entry;
    app.store.summary = async () => ({ version: current.version, entry: older as typeof current.entry });
    app.signals.waiting.add('quiet');
    await wf.awaitSignal(app.deps, { caseId: CASE, kind: 'case-event', taskToken: 'quiet' });
    // Taken at its word, the entry would say nothing is applied yet, and every wait would resume at once.
    expect(app.signals.succeeded).toEqual([]);
    expect((await app.store.getWait(CASE))?.token).toBe('quiet');
  });

  it('checks in daily while blocked: the block and its cause stand, a metric after a day, the coordinators mailed again weekly', async () => {
    await embargoed();
    await wf.reportBlocked(app.deps, { caseId: CASE, error: { Error: 'MailRejected', Cause: 'address rejected' } });
    const blockedAt = (await state()).blocked;
    const stillBlocked = () => app.telemetry.metrics.filter((m) => m.name === 'CasesStillBlocked').length;
    for (let day = 1; day <= 8; day++) {
      app.clock.advanceDays(1);
      await wf.reportBlocked(app.deps, { caseId: CASE, error: { Error: 'States.Timeout', Cause: 'no unblock within a day' } });
    }
    expect((await state()).blocked).toEqual(blockedAt);
    expect(stillBlocked()).toBe(8);
    const told = mails('workflow-blocked');
    expect(told).toHaveLength(2);
    expect(told[1]?.subject).toContain('MailRejected');
    expect(told[1]?.text).toContain('Still blocked after 7 days');
  });

  it('clears the block once the workflow moves on, and keeps it while only coordinators act', async () => {
    await embargoed();
    await wf.reportBlocked(app.deps, { caseId: CASE, error: { Error: 'MailRejected', Cause: 'address rejected' } });
    await execute(app.deps, CASE, { type: 'add-comment', body: 'looking at it', messageId: 'm-2' }, COORDINATOR);
    expect((await state()).blocked).toMatchObject({ error: 'MailRejected' });
    await wf.advance(app.deps, { caseId: CASE });
    expect((await state()).blocked).toBeNull();
  });

  it('wakes the waiting workflow when a coordinator sets or clears a CVE ID (it may unblock publication)', async () => {
    await embargoed();
    await execute(
      app.deps,
      CASE,
      { type: 'add-vulnerability', vulnerability: { title: 'x', description: '', cvss: {}, affected: [] } },
      COORDINATOR,
    );
    const vul = (await state()).vulnerabilities[0]!.vulnerabilityId;
    await wf.advance(app.deps, { caseId: CASE });
    for (const [token, cveId] of [
      ['cve-1', 'CVE-2026-1234'],
      ['cve-2', null],
    ] as const) {
      await app.store.putWait(CASE, { kind: 'case-event', token, since: app.clock.now });
      app.signals.waiting.add(token);
      const r = await submit(app.deps, CASE, { type: 'set-cve', vulnerabilityId: vul, cveId }, COORDINATOR);
      expect(r.woke).toBe(true);
    }
  });

  it('refuses a wait without a task token, and malformed task input, with named errors', async () => {
    await expect(wf.awaitSignal(app.deps, { caseId: CASE })).rejects.toMatchObject({ name: 'InvalidCommand' });
    expect(() => wf.parseStepInput({ caseId: 42 })).toThrow(/caseId/);
    expect(() => wf.parseStepInput(null)).toThrow(DomainError);
  });
});

describe('outreach and the embargo loop', () => {
  it('mails each vendor once with its own vendor link and starts the 45-day clock at the first attempt', async () => {
    app.clock.set('2026-11-02T17:30:00.000Z');
    const out = await embargoed();
    await wf.notifyVendor(app.deps, { caseId: CASE, vendorId: 'vendor-1' });
    expect(out.phase).toBe('embargo');
    const vendorMails = mails('vendor-notification');
    expect(vendorMails).toHaveLength(1);
    expect(vendorMails[0]?.to).toEqual(['psirt@acme.example']);
    expect(vendorMails[0]?.text).toMatch(/https:\/\/cvd\.example\/vendor#token=[A-Za-z0-9_-]{43}&case=VU-TEST01/);
    // Nothing embargoed in a participant's mail by default: no title, product or date.
    expect(`${vendorMails[0]?.subject}${vendorMails[0]?.text}`).not.toMatch(/2026-12-17|Widget Server|Unauthenticated RCE/);
    expect((await state()).embargo.endsAt).toBe('2026-12-17T12:00:00.000Z');
    expect(mails('embargo-opened').map((m) => m.to)).toEqual([['ada@example.org']]);
  });

  it('throws NotFound for an unknown vendor', async () => {
    await triaged();
    await expect(wf.notifyVendor(app.deps, { caseId: CASE, vendorId: 'vendor-9' })).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('plans the wait until the next deadline and reminds, then gives up on a silent vendor and alerts downstream', async () => {
    await triaged();
    await submit(
      app.deps,
      CASE,
      { type: 'add-vendors', vendors: [{ name: 'Distro', contacts: [{ email: 'sec@distro.example' }], downstream: true }] },
      COORDINATOR,
    );
    const out = await wf.prepareOutreach(app.deps, { caseId: CASE });
    expect(out.vendors).toEqual([{ vendorId: 'vendor-1' }]);
    await wf.notifyVendor(app.deps, { caseId: CASE, vendorId: 'vendor-1' });
    await wf.openEmbargo(app.deps, { caseId: CASE });
    expect((await wf.planNextDeadline(app.deps, { caseId: CASE })).waitSeconds).toBe(7 * 86_400);
    app.clock.advanceDays(7);
    await wf.advance(app.deps, { caseId: CASE });
    app.clock.advanceDays(7);
    await wf.advance(app.deps, { caseId: CASE });
    expect(mails('vendor-reminder')).toHaveLength(2);
    app.clock.advanceDays(14);
    const r = await wf.advance(app.deps, { caseId: CASE });
    expect(r.route).toBe('embargo');
    expect(mails('final-notice')).toHaveLength(1);
    expect(mails('downstream-alert').map((m) => m.to)).toEqual([['sec@distro.example']]);
    expect((await state()).vendors[0]?.unresponsiveAt).not.toBeNull();
  });

  it('on a day-20 disclosure, reminds, sends the final notice and alerts downstream a week before publication', async () => {
    await triaged();
    await submit(
      app.deps,
      CASE,
      { type: 'add-vendors', vendors: [{ name: 'Distro', contacts: [{ email: 'sec@distro.example' }], downstream: true }] },
      COORDINATOR,
    );
    await wf.notifyVendor(app.deps, { caseId: CASE, vendorId: 'vendor-1' });
    await wf.openEmbargo(app.deps, { caseId: CASE });
    const endsAt = new Date(Date.parse(app.clock.now) + 20 * 86_400_000).toISOString();
    await submit(app.deps, CASE, { type: 'set-embargo', endsAt, reason: 'the reporter publishes on day 20' }, COORDINATOR);
    await wf.advance(app.deps, { caseId: CASE });
    for (let i = 0; i < 8 && mails('final-notice').length === 0; i++) {
      app.clock.advanceHours((await wf.planNextDeadline(app.deps, { caseId: CASE })).waitSeconds! / 3600);
      await wf.advance(app.deps, { caseId: CASE });
    }
    expect(mails('vendor-reminder').length).toBeGreaterThan(0);
    expect(mails('final-notice')).toHaveLength(1);
    expect(mails('downstream-alert').map((m) => m.to)).toEqual([['sec@distro.example']]);
    expect(Date.parse(app.clock.now)).toBe(Date.parse(endsAt) - 7 * 86_400_000);
  });

  it('ends the embargo early on a public exploit, tells everyone, and goes to draft review', async () => {
    await embargoed();
    await submit(app.deps, CASE, { type: 'raise-signal', kind: 'exploit-public', evidence: 'https://exploit.example' }, COORDINATOR);
    const r = await wf.advance(app.deps, { caseId: CASE });
    expect(r).toMatchObject({ phase: 'draft-review', route: 'draft-review' });
    // One message per recipient: nobody sees who else is on the case.
    expect(mails('embargo-ended').map((m) => m.to)).toEqual([['ada@example.org'], ['psirt@acme.example'], ['coord@cert.example']]);
  });

  it('contacts a vendor added during the embargo from the event loop', async () => {
    await embargoed();
    await submit(
      app.deps,
      CASE,
      { type: 'add-vendors', vendors: [{ name: 'Beta', contacts: [{ email: 'psirt@beta.example' }] }] },
      COORDINATOR,
    );
    await wf.advance(app.deps, { caseId: CASE });
    expect(mails('vendor-notification').map((m) => m.to[0])).toEqual(['psirt@acme.example', 'psirt@beta.example']);
  });

  it('announces a negotiated embargo change to the participants', async () => {
    await embargoed();
    await submit(
      app.deps,
      CASE,
      { type: 'set-embargo', endsAt: '2027-01-20T12:00:00Z', reason: 'vendor needs a release cycle' },
      COORDINATOR,
    );
    await wf.advance(app.deps, { caseId: CASE });
    const m = mails('embargo-changed').at(-1);
    expect(m?.text).toContain('The planned publication date of this case has changed.');
    expect(m?.text).not.toMatch(/2027-01-20|release cycle/);
  });

  it('puts the date and the reason in the body when the deployment asks for detailed mail, never in the subject', async () => {
    app.deps.config.mailDetail = 'full';
    await embargoed();
    await submit(
      app.deps,
      CASE,
      { type: 'set-embargo', endsAt: '2027-01-20T12:00:00Z', reason: 'vendor needs a release cycle' },
      COORDINATOR,
    );
    await wf.advance(app.deps, { caseId: CASE });
    const m = mails('embargo-changed').at(-1);
    expect(m?.text).toContain('2027-01-20 12:00:00 UTC');
    expect(m?.text).toContain('vendor needs a release cycle');
    expect(m?.subject).toBe(`[${CASE}] The planned publication date changed`);
  });
});

describe('draft review and publication', () => {
  it('drafts, shares with each participant, waits for approval, and publishes on the date', async () => {
    await embargoed();
    await submit(app.deps, CASE, { type: 'acknowledge' }, vendorActor('vendor-1'));
    await submit(
      app.deps,
      CASE,
      {
        type: 'update-vendor-status',
        statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }],
        fixReady: true,
        statement: 'Fixed in 4.2.2 <b>now</b>',
      },
      vendorActor('vendor-1'),
    );
    await wf.advance(app.deps, { caseId: CASE });
    app.clock.set('2026-12-02T12:00:00.000Z');
    expect((await wf.advance(app.deps, { caseId: CASE })).route).toBe('draft-review');
    await cve.assignCveIds(app.deps, { caseId: CASE });
    await wf.draftNote(app.deps, { caseId: CASE });
    await wf.draftNote(app.deps, { caseId: CASE });
    const shared = await wf.shareDraft(app.deps, { caseId: CASE });
    expect(shared.waitSeconds).toBe(14 * 86_400); // the vendor gave a statement: the next deadline is the publication decision
    expect((await state()).draft.revisions).toHaveLength(1);
    // The revision is the body coordinators edit; the vendor's statement is written into each reader's copy.
    expect((await state()).draft.revisions[0]?.markdown).not.toContain('Fixed in');
    expect(vendorView(await state(), 'vendor-1').draft?.markdown).toContain('Fixed in 4\\.2\\.2 \\<b\\>now\\</b\\>');
    expect(
      mails('draft-shared')
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['ada@example.org', 'psirt@acme.example']);
    await submit(app.deps, CASE, { type: 'decide-publication', decision: 'approve' }, COORDINATOR);
    const approved = await wf.advance(app.deps, { caseId: CASE });
    expect(approved).toMatchObject({ route: 'approve', waitSeconds: 14 * 86_400 });
    app.clock.set('2026-12-16T12:00:00.000Z');
    expect((await wf.advance(app.deps, { caseId: CASE })).route).toBe('publish');
    expect(await pub.publishNote(app.deps, { caseId: CASE })).toMatchObject({ phase: 'published' });
    await cve.publishCveRecords(app.deps, { caseId: CASE });
    await wf.notifyPublished(app.deps, { caseId: CASE });
    await wf.notifyPublished(app.deps, { caseId: CASE });
    expect(
      mails('published')
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['ada@example.org', 'coord@cert.example', 'psirt@acme.example']);
    expect(mails('published')[0]?.text).toContain(`https://cvd.example/notes/${CASE}.html`);
  });

  it('re-drafts and re-shares when the coordinator asks for a revision', async () => {
    await embargoed();
    app.clock.set('2026-12-02T12:00:00.000Z');
    await wf.advance(app.deps, { caseId: CASE });
    await wf.draftNote(app.deps, { caseId: CASE });
    await wf.shareDraft(app.deps, { caseId: CASE });
    app.clock.advanceHours(1);
    await submit(app.deps, CASE, { type: 'decide-publication', decision: 'revise', reason: 'add mitigation' }, COORDINATOR);
    expect((await wf.advance(app.deps, { caseId: CASE })).route).toBe('revise');
    await wf.draftNote(app.deps, { caseId: CASE });
    await wf.shareDraft(app.deps, { caseId: CASE });
    expect((await state()).draft.shared?.revision).toBe(2);
    expect((await wf.advance(app.deps, { caseId: CASE })).route).toBe('wait');
  });

  it('closes without publishing and tells the participants why', async () => {
    await embargoed();
    app.clock.set('2026-12-02T12:00:00.000Z');
    await wf.advance(app.deps, { caseId: CASE });
    await wf.draftNote(app.deps, { caseId: CASE });
    await wf.shareDraft(app.deps, { caseId: CASE });
    await submit(
      app.deps,
      CASE,
      { type: 'decide-publication', decision: 'do-not-publish', reason: 'the vendor advisory says it all' },
      COORDINATOR,
    );
    expect((await wf.advance(app.deps, { caseId: CASE })).route).toBe('closed');
    expect(
      mails('case-closed')
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['ada@example.org', 'psirt@acme.example']);
    // The reason is the coordinators' words about an embargoed case: not in a minimal mail.
    expect(mails('case-closed')[0]?.text).not.toContain('the vendor advisory says it all');
  });
});

describe('failures', () => {
  it('throws a TransientError when SES throttles, records nothing, and sends exactly once on the retry', async () => {
    await reported();
    app.mailer.failNext(new TransientError('throttled'));
    await expect(wf.registerCase(app.deps, { caseId: CASE })).rejects.toBeInstanceOf(TransientError);
    expect((await state()).notifications).toEqual({});
    await wf.registerCase(app.deps, { caseId: CASE });
    await wf.registerCase(app.deps, { caseId: CASE });
    expect(mails('reporter-acknowledgement')).toHaveLength(1);
  });

  it('throws MailRejected for a refused message, and the blocked case is reported to the coordinators', async () => {
    await triaged();
    app.mailer.failNext(new MailRejected('address rejected'));
    await expect(wf.notifyVendor(app.deps, { caseId: CASE, vendorId: 'vendor-1' })).rejects.toMatchObject({ name: 'MailRejected' });
    expect((await state()).vendors[0]?.firstContactAt).toBeNull();
    const out = await wf.reportBlocked(app.deps, { caseId: CASE, error: { Error: 'MailRejected', Cause: 'address rejected' } });
    expect(out.phase).toBe('outreach');
    expect((await state()).blocked).toMatchObject({ error: 'MailRejected' });
    expect(mails('workflow-blocked')[0]?.to).toEqual(['coord@cert.example']);
  });

  it('tells the coordinators of an embargo proposal, with its date but not the proposer’s reason', async () => {
    await embargoed();
    const endsAt = '2027-03-01T12:00:00.000Z';
    const r = await submit(app.deps, CASE, { type: 'request-embargo', endsAt, reason: 'PRIVATE release plan' }, vendorActor('vendor-1'));
    expect(r.appended.map((e) => e.type)).toEqual(['embargo-requested']);
    await wf.advance(app.deps, { caseId: CASE });
    await wf.advance(app.deps, { caseId: CASE });
    const told = mails('embargo-proposal');
    expect(told.map((m) => m.to)).toEqual([['coord@cert.example']]);
    expect(told[0]?.text).toContain(endsAt);
    for (const m of app.mailer.sent) expect(m.text + m.html + m.subject).not.toContain('PRIVATE');
  });

  it('lets no task token into any e-mail', async () => {
    await embargoed();
    app.signals.waiting.add('SECRET-TASK-TOKEN');
    await wf.awaitSignal(app.deps, { caseId: CASE, kind: 'case-event', taskToken: 'SECRET-TASK-TOKEN' });
    await submit(app.deps, CASE, { type: 'raise-signal', kind: 'public', evidence: 'blog' }, COORDINATOR);
    await wf.advance(app.deps, { caseId: CASE });
    expect(mails().length).toBeGreaterThan(3);
    for (const m of mails()) expect(m.text + m.html + m.subject).not.toContain('SECRET-TASK-TOKEN');
  });
});

describe('abuse of the intake and of the item limit', () => {
  it('mails at most five acknowledgements a day to one address; further reports still open cases', async () => {
    for (let i = 1; i <= 7; i++) {
      const id = `VU-ACK0000${i}`;
      await execute(
        app.deps,
        id,
        { type: 'submit-report', caseId: id, report: aReport({ reporter: { email: 'victim@example.org' } }) },
        REPORTER,
      );
      expect(await wf.registerCase(app.deps, { caseId: id })).toMatchObject({ phase: 'triage' });
    }
    expect(mails('reporter-acknowledgement').map((m) => m.to[0])).toEqual(Array(5).fill('victim@example.org'));
    app.clock.advanceDays(1);
    await execute(
      app.deps,
      'VU-ACK00008',
      { type: 'submit-report', caseId: 'VU-ACK00008', report: aReport({ reporter: { email: 'Victim@Example.org' } }) },
      REPORTER,
    );
    await wf.registerCase(app.deps, { caseId: 'VU-ACK00008' });
    expect(mails('reporter-acknowledgement')).toHaveLength(6);
  });

  it('tells the coordinators of a case too large to record even the blocked event, and sends nothing twice in one run', async () => {
    await reported();
    const real = app.deps.store;
    app.deps.store = new Proxy(real, {
      get(target, prop, receiver) {
        const v: unknown = Reflect.get(target, prop, receiver);
        if (prop === 'append')
          return () =>
            Promise.reject(
              Object.assign(new Error('the snapshot of case VU-TEST01 would take 360000 bytes'), { name: 'ItemTooLargeError' }),
            );
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const out = await wf.reportBlocked(app.deps, {
      caseId: CASE,
      error: { Error: 'ItemTooLargeError', Cause: 'the snapshot would take 360000 bytes' },
    });
    expect(out.caseId).toBe(CASE);
    const blocked = mails('workflow-blocked');
    expect(blocked.map((m) => m.to)).toEqual([['coord@cert.example']]);
    expect(blocked[0]?.text).toContain('too large to record more');
  });
});
