// SES bounce and complaint notifications (functions/app/mail-feedback.ts): untrusted input, parsed
// with zod; a wrong shape is dropped and logged by its reason, never thrown; only a permanent bounce
// or a complaint for a confirmed contact of the tagged case marks anything, and the workflow then
// tells the coordinators.
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../functions/adapters/errors.js';
import { postCoordinatorMessage } from '../../functions/app/messages.js';
import { execute } from '../../functions/app/commands.js';
import { submit } from '../../functions/app/inbox.js';
import { notificationsOf, parseNotification, recordMailFeedback } from '../../functions/app/mail-feedback.js';
import { preScreen } from '../../functions/app/prescreen.js';
import * as wf from '../../functions/app/workflow.js';
import { DEFAULT_POLICY, attentionOf } from '../../functions/domain/index.js';
import { COORDINATOR, REPORTER, aReport } from '../builders/case.js';
import { type TestApp, aTestApp } from '../builders/app.js';

const CASE = 'VU-TEST01';

/** A notification as SES's event publishing sends it through SNS (trimmed to what matters, plus noise). */
function sesEvent(o: { type?: string; bounceType?: string; emails?: string[]; tags?: Record<string, string[]> } = {}): object {
  const type = o.type ?? 'Bounce';
  const recipients = (o.emails ?? ['psirt@acme.example']).map((emailAddress) => ({ emailAddress, action: 'failed', status: '5.1.1' }));
  return {
    eventType: type,
    mail: {
      timestamp: '2026-11-02T10:00:00.000Z',
      source: 'cvd@cert.example',
      messageId: '0100018c-aaaa',
      destination: (o.emails ?? ['psirt@acme.example']).slice(0, 1),
      tags: o.tags ?? { 'ses:configuration-set': ['CvdMail'], case: [CASE], template: ['vendor-notification'] },
    },
    ...(type === 'Bounce'
      ? { bounce: { bounceType: o.bounceType ?? 'Permanent', bounceSubType: 'General', bouncedRecipients: recipients, timestamp: 'x' } }
      : {}),
    ...(type === 'Complaint' ? { complaint: { complainedRecipients: recipients, complaintFeedbackType: 'abuse', timestamp: 'x' } } : {}),
  };
}
/** What the feedback queue hands the function: each message's body one notification (SNS raw delivery). */
let nextId = 0;
const sns = (...messages: (object | string)[]) => ({
  Records: messages.map((m) => ({
    messageId: `m-${++nextId}`,
    eventSource: 'aws:sqs',
    body: typeof m === 'string' ? m : JSON.stringify(m),
  })),
});

describe('parseNotification', () => {
  it('reads a permanent bounce and a complaint, with the case from the tag SES echoes', () => {
    expect(parseNotification(JSON.stringify(sesEvent({ emails: ['PSIRT@acme.example', 'psirt@acme.example'] })))).toEqual({
      ok: true,
      feedback: [{ caseId: CASE, email: 'psirt@acme.example', kind: 'bounce' }],
    });
    expect(parseNotification(JSON.stringify(sesEvent({ type: 'Complaint' })))).toEqual({
      ok: true,
      feedback: [{ caseId: CASE, email: 'psirt@acme.example', kind: 'complaint' }],
    });
    // An identity notification says notificationType; the rest is the same.
    const { eventType: _, ...identity } = sesEvent() as { eventType: string };
    expect(parseNotification(JSON.stringify({ ...identity, notificationType: 'Bounce' })).ok).toBe(true);
  });

  it.each(['Transient', 'Undetermined'])('records nothing for a %s bounce: SES retries, the address may work tomorrow', (bounceType) => {
    expect(parseNotification(JSON.stringify(sesEvent({ bounceType })))).toEqual({ ok: false, reason: 'transient-bounce' });
  });

  it.each(['Delivery', 'Send', 'Open', 'DeliveryDelay'])('drops a %s event as not feedback', (type) => {
    expect(parseNotification(JSON.stringify(sesEvent({ type })))).toEqual({ ok: false, reason: 'not-feedback' });
  });

  it.each<[string, Record<string, string[]> | undefined]>([
    ['no case tag', { 'ses:configuration-set': ['CvdMail'] }],
    ['two case tags', { case: [CASE, 'VU-OTHER01'] }],
    ['a case tag that is no case id', { case: ['VU-1#"><script>'] }],
    ['an over-long case tag', { case: ['V'.repeat(65)] }],
  ])('drops a notification with %s', (_what, tags) => {
    expect(parseNotification(JSON.stringify(sesEvent({ tags: tags ?? {} })))).toEqual({ ok: false, reason: 'no-case-tag' });
  });

  it.each<[string, string]>([
    ['not JSON', '{"eventType":"Bounce"'],
    ['JSON but no object', '"Bounce"'],
    ['null', 'null'],
    ['an array', '[1,2]'],
    ['a bounce without its bounce', JSON.stringify({ eventType: 'Bounce', mail: { tags: { case: [CASE] } } })],
    ['a bounce of an unknown type', JSON.stringify(sesEvent({ bounceType: 'Soft' }))],
    ['no recipient', JSON.stringify(sesEvent({ emails: [] }))],
    ['51 recipients', JSON.stringify(sesEvent({ emails: Array.from({ length: 51 }, (_, i) => `a${i}@acme.example`) }))],
    ['a recipient with a newline', JSON.stringify(sesEvent({ emails: ['psirt@acme.example\nBcc: eve@attacker.example'] }))],
    ['a recipient that is no address', JSON.stringify(sesEvent({ emails: ['<script>alert(1)</script>'] }))],
    ['an over-long address', JSON.stringify(sesEvent({ emails: [`${'a'.repeat(250)}@acme.example`] }))],
    [
      'a recipient that is an object',
      JSON.stringify({ ...sesEvent(), bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: { toString: 'x' } }] } }),
    ],
    ['tags that are no list', JSON.stringify({ ...sesEvent(), mail: { tags: { case: CASE } } })],
    ['a prototype-polluting key', `{"eventType":"Bounce","__proto__":{"polluted":true},"mail":{"tags":{"case":["${CASE}"]}}}`],
    ['a message over 256 KiB', JSON.stringify({ ...sesEvent(), pad: 'x'.repeat(300_000) })],
  ])('drops %s as malformed', (_what, message) => {
    expect(parseNotification(message)).toEqual({ ok: false, reason: 'malformed' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops an event that is not a delivery of the feedback queue', () => {
    for (const e of [null, undefined, 'x', 1, {}, { Records: [] }, { Records: [{}] }, { Records: [{ messageId: 'm', body: 7 }] }])
      expect(notificationsOf(e)).toEqual([{ ok: false, reason: 'malformed', messageId: null }]);
  });
});

describe('recordMailFeedback', () => {
  let app: TestApp;
  const state = async () => (await app.store.load(CASE))!.state;
  const mails = (template: string) => app.mailer.sent.filter((m) => m.tags?.template === template);

  /** An embargoed case: Acme's address confirmed and contacted; the execution waits on the case. */
  async function embargoed() {
    await execute(app.deps, CASE, { type: 'submit-report', caseId: CASE, report: aReport() }, REPORTER);
    await wf.registerCase(app.deps, { caseId: CASE });
    await preScreen(app.deps, { caseId: CASE });
    await submit(app.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'ok' }, COORDINATOR);
    await wf.advance(app.deps, { caseId: CASE });
    await execute(
      app.deps,
      CASE,
      { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] },
      COORDINATOR,
    );
    for (const v of (await wf.prepareOutreach(app.deps, { caseId: CASE })).vendors ?? [])
      await wf.notifyVendor(app.deps, { caseId: CASE, vendorId: v.vendorId });
    await wf.openEmbargo(app.deps, { caseId: CASE });
    await wf.advance(app.deps, { caseId: CASE });
    app.signals.waiting.add('token-1');
    await wf.awaitSignal(app.deps, { caseId: CASE, kind: 'case-event', taskToken: 'token-1' });
  }

  beforeEach(async () => {
    app = aTestApp();
    await embargoed();
  });

  it('marks the contact, wakes the workflow, which tells the coordinators; the vendor is then flagged and escalated', async () => {
    expect((await state()).phase).toBe('embargo');
    const out = await recordMailFeedback(app.deps, sns(sesEvent()));
    expect(out).toEqual({ marked: 1, dropped: [], batchItemFailures: [] });
    expect(app.signals.succeeded.map((x) => x.token)).toEqual(['token-1']);
    expect((await state()).vendors[0]?.contacts[0]?.bounced).toEqual({ at: app.clock.now, kind: 'bounce' });
    await wf.advance(app.deps, { caseId: CASE });
    const [alert, ...more] = mails('contact-bounced');
    expect(more).toEqual([]);
    expect(alert?.to).toEqual(['coord@cert.example']);
    expect(alert?.subject).toBe(`[${CASE}] A vendor contact bounced`);
    expect(alert?.text).toContain('psirt@acme.example');
    expect(alert?.text).toContain('no other contact that works');
    expect(attentionOf(await state(), DEFAULT_POLICY)).toEqual([{ kind: 'vendor-contacts-bounced', vendorIds: ['vendor-1'] }]);
    // Two days on: escalated like a vendor without contact, and no reminder goes to the dead address.
    const sentToVendor = app.mailer.sent.filter((m) => m.to.includes('psirt@acme.example')).length;
    app.clock.advanceHours(49);
    await wf.advance(app.deps, { caseId: CASE });
    expect(mails('vendor-contact-needed').map((m) => m.subject)).toEqual([`[${CASE}] Every contact of a vendor bounced (escalation 1)`]);
    app.clock.advanceDays(30);
    await wf.advance(app.deps, { caseId: CASE });
    expect(app.mailer.sent.filter((m) => m.to.includes('psirt@acme.example')).length).toBe(sentToVendor);
    expect((await state()).vendors[0]?.unresponsiveAt).toBeNull();
    // A coordinator confirms another address: it gets the vendor's notification with its own link.
    await submit(
      app.deps,
      CASE,
      { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }, { email: 'cert@acme.example' }] },
      COORDINATOR,
    );
    await wf.advance(app.deps, { caseId: CASE });
    expect(mails('vendor-notification').map((m) => m.to)).toEqual([['psirt@acme.example'], ['cert@acme.example']]);
    expect(attentionOf(await state(), DEFAULT_POLICY)).toEqual([]);
  });

  it('mails a bounced contact nothing more, not even a link a coordinator reissues', async () => {
    await recordMailFeedback(app.deps, sns(sesEvent()));
    await wf.advance(app.deps, { caseId: CASE });
    const toVendor = () => app.mailer.sent.filter((m) => m.to.includes('psirt@acme.example')).length;
    const before = toVendor();
    await submit(app.deps, CASE, { type: 'manage-links', action: 'reissue', vendorId: 'vendor-1' }, COORDINATOR);
    await wf.advance(app.deps, { caseId: CASE });
    expect(toVendor()).toBe(before);
  });

  it("marks the reporter's address: the coordinators are told once, and the reporter is mailed nothing more", async () => {
    const toReporter = () => app.mailer.sent.filter((m) => m.to.includes('ada@example.org')).length;
    expect(await recordMailFeedback(app.deps, sns(sesEvent({ emails: ['Ada@Example.org'] })))).toEqual({
      marked: 1,
      dropped: [],
      batchItemFailures: [],
    });
    expect((await state()).reporterBounced).toEqual({ at: app.clock.now, kind: 'bounce' });
    // The same notification again (SNS delivers at least once) changes nothing.
    expect(await recordMailFeedback(app.deps, sns(sesEvent({ emails: ['ada@example.org'] })))).toEqual({
      marked: 0,
      dropped: ['not-a-contact'],
      batchItemFailures: [],
    });
    await wf.advance(app.deps, { caseId: CASE });
    const told = mails('reporter-bounced');
    expect(told.map((m) => [m.to, m.subject])).toEqual([[['coord@cert.example'], `[${CASE}] The reporter's address bounced`]]);
    const before = toReporter();
    // A coordinator's message to the reporter, and the embargo ending early: no mail to the dead address.
    await postCoordinatorMessage(app.deps, await state(), COORDINATOR, { body: 'still there?', to: 'reporter' });
    await submit(app.deps, CASE, { type: 'raise-signal', kind: 'exploit-public', evidence: 'seen in the wild' }, COORDINATOR);
    await wf.advance(app.deps, { caseId: CASE });
    expect(toReporter()).toBe(before);
    expect(mails('embargo-ended').length).toBeGreaterThan(0);
  });

  it('hands back only the message whose marking failed, so the queue retries it alone and it is marked then', async () => {
    const delivery = sns(sesEvent({ emails: ['ada@example.org'] }), sesEvent());
    const [reporterMessage, vendorMessage] = delivery.Records;
    // The store fails for the vendor's bounce only (a throttled write, say).
    const append = app.store.append.bind(app.store);
    let failures = 1;
    app.store.append = async (...args: Parameters<typeof append>) => {
      const events = args[2] as readonly { type: string }[];
      if (failures > 0 && events.some((e) => e.type === 'contact-bounced')) {
        failures--;
        throw new TransientError('throttled');
      }
      return append(...args);
    };
    const first = await recordMailFeedback(app.deps, delivery);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: vendorMessage!.messageId }]);
    expect((await state()).reporterBounced?.kind).toBe('bounce');
    expect((await state()).vendors[0]?.contacts[0]?.bounced).toBeUndefined();
    // The queue delivers the failed message again: now it marks the contact, and the reporter's is not marked twice.
    const again = await recordMailFeedback(app.deps, { Records: [reporterMessage!, vendorMessage!] });
    expect(again).toEqual({ marked: 1, dropped: ['not-a-contact'], batchItemFailures: [] });
    expect((await state()).vendors[0]?.contacts[0]?.bounced?.kind).toBe('bounce');
  });

  it('a complaint marks the contact as well', async () => {
    expect(await recordMailFeedback(app.deps, sns(sesEvent({ type: 'Complaint' })))).toEqual({
      marked: 1,
      dropped: [],
      batchItemFailures: [],
    });
    expect((await state()).vendors[0]?.contacts[0]?.bounced?.kind).toBe('complaint');
  });

  it('changes nothing for an address that is not a contact on the tagged case, nor for an unknown case', async () => {
    const before = await state();
    const mailed = app.mailer.sent.length;
    const out = await recordMailFeedback(
      app.deps,
      sns(
        sesEvent({ emails: ['eve@attacker.example'] }),
        sesEvent({ emails: ['cert@globex.example'] }),
        sesEvent({ tags: { case: ['VU-NOPE0001'] } }),
        sesEvent({ bounceType: 'Transient' }),
      ),
    );
    expect(out).toEqual({
      marked: 0,
      dropped: ['not-a-contact', 'not-a-contact', 'unknown-case', 'transient-bounce'],
      batchItemFailures: [],
    });
    expect((await state()).version).toBe(before.version);
    expect(app.mailer.sent.length).toBe(mailed);
    expect(app.signals.succeeded).toEqual([]);
    expect(app.telemetry.logs.filter((l) => l.message === 'mail feedback dropped').map((l) => l.fields.reason)).toEqual([
      'not-a-contact',
      'not-a-contact',
      'unknown-case',
      'transient-bounce',
    ]);
  });

  it('never throws and never writes for any event that is not a well-formed notification', async () => {
    const version = (await state()).version;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.anything().map((m) => sns(JSON.stringify(m))),
          fc.string().map((m) => sns(m)),
          fc.record({ eventType: fc.constantFrom('Bounce', 'Complaint'), mail: fc.anything(), bounce: fc.anything() }).map((m) => sns(m)),
        ),
        async (event) => {
          const out = await recordMailFeedback(app.deps, event);
          expect(out.marked).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
    expect((await state()).version).toBe(version);
  });

  it('logs no address: only the reason and the case', async () => {
    await recordMailFeedback(app.deps, sns(sesEvent(), sesEvent({ emails: ['eve@attacker.example'] }), 'junk'));
    expect(JSON.stringify(app.telemetry.logs)).not.toMatch(/acme\.example|attacker|junk/);
  });
});
