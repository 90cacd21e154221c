// Message notices and their digest (functions/domain/message-digest.ts): one e-mail per message,
// but messages that follow within the window wait and go out as one digest; nothing is lost when
// the case ends, when a recipient goes away, or when a step is retried.
import { beforeEach, describe, expect, it } from 'vitest';
import { execute } from '../../functions/app/commands.js';
import { postCoordinatorMessage, postParticipantMessage } from '../../functions/app/messages.js';
import * as wf from '../../functions/app/workflow.js';
import { submit } from '../../functions/app/inbox.js';
import { sendDigests } from '../../functions/app/message-notices.js';
import { applyDigestEvent, holdsNotice } from '../../functions/domain/message-digest.js';
import type { StoredEvent } from '../../functions/domain/events.js';
import { DEFAULT_POLICY, addHours, loadPolicy } from '../../functions/domain/index.js';
import { COORDINATOR, T0, vendorActor } from '../builders/case.js';
import { type TestApp, aTestApp } from '../builders/app.js';
import { embargoedThroughSteps } from '../builders/embargoed.js';

const CASE = 'VU-DIGEST1';
let app: TestApp;

async function embargoed() {
  await embargoedThroughSteps(app, CASE);
}
const state = async () => (await app.store.load(CASE))!.state;
const mailsTo = (to: string, template?: string) =>
  app.mailer.sent.filter((m) => m.to.includes(to) && (!template || m.tags?.template === template));
const advanceMinutes = (min: number) => app.clock.set(new Date(Date.parse(app.clock.now) + min * 60_000).toISOString());
const toVendor = async (body: string) => {
  await postCoordinatorMessage(app.deps, await state(), COORDINATOR, { body, to: { vendorIds: ['vendor-1'] } });
  return wf.advance(app.deps, { caseId: CASE });
};
const fromVendor = async (body: string) => {
  await postParticipantMessage(app.deps, await state(), vendorActor('vendor-1'), { type: 'add-comment', body });
  return wf.advance(app.deps, { caseId: CASE });
};

beforeEach(() => {
  app = aTestApp();
});

describe('message notices and the digest', () => {
  it('mails the first message at once, holds the next ones, and sends one digest when the window is up', async () => {
    await embargoed();
    await toVendor('first');
    expect(mailsTo('psirt@acme.example', 'message')).toHaveLength(1);
    advanceMinutes(2);
    await toVendor('second');
    advanceMinutes(3);
    const step = await toVendor('third');
    // Held, not sent: and the workflow waits no longer than the digest (10 minutes after the first notice).
    expect(mailsTo('psirt@acme.example', 'message')).toHaveLength(1);
    expect(mailsTo('psirt@acme.example', 'message-digest')).toHaveLength(0);
    expect(step.waitSeconds).toBe(5 * 60);
    advanceMinutes(5);
    await wf.advance(app.deps, { caseId: CASE });
    const digest = mailsTo('psirt@acme.example', 'message-digest');
    expect(digest).toHaveLength(1);
    expect(digest[0]?.text).toContain('2 more messages');
    // Minimal mail: the digest carries the reader's own link and none of the words.
    expect(digest[0]?.text).toContain('/vendor#token=');
    expect(digest[0]?.text).not.toContain('second');
    // Repeating the step sends nothing more.
    await wf.advance(app.deps, { caseId: CASE });
    expect(mailsTo('psirt@acme.example', 'message-digest')).toHaveLength(1);
    // Long after the window a message is mailed on its own again.
    advanceMinutes(30);
    await toVendor('fourth');
    expect(mailsTo('psirt@acme.example', 'message')).toHaveLength(2);
  });

  it('holds a flood of participant messages for the coordinators: one e-mail per window, whatever the vendor sends', async () => {
    await embargoed();
    for (let i = 0; i < 15; i++) {
      await fromVendor(`ping ${i}`);
      advanceMinutes(1);
    }
    const told = () =>
      mailsTo('coord@cert.example').filter((m) => m.tags?.template === 'comment-received' || m.tags?.template === 'message-digest');
    // 0 min: a notice; 10 min: a digest of the nine held since; the rest wait for the next window.
    expect(told().map((m) => m.tags?.template)).toEqual(['comment-received', 'message-digest']);
    advanceMinutes(10);
    await wf.advance(app.deps, { caseId: CASE });
    expect(told().map((m) => m.tags?.template)).toEqual(['comment-received', 'message-digest', 'message-digest']);
    const held = told()
      .slice(1)
      .map((m) => Number(/(\d+) more messages/.exec(m.text)?.[1]));
    expect(held.reduce((a, b) => a + b, 0)).toBe(14);
  });

  it('sends what is held when the case ends, so no notice is lost with the workflow', async () => {
    await embargoed();
    await toVendor('first');
    await toVendor('second');
    await submit(app.deps, CASE, { type: 'close-case', closure: 'withdrawn', reason: 'the reporter withdrew' }, COORDINATOR);
    await wf.advance(app.deps, { caseId: CASE });
    expect((await state()).phase).toBe('closed');
    expect(mailsTo('psirt@acme.example', 'message-digest')).toHaveLength(1);
    expect(Object.values((await state()).mailDigests ?? {}).every((a) => a.waiting.length === 0)).toBe(true);
  });

  it('clears a hold without mail when its recipient went away (a revoked contact), so nothing waits forever', async () => {
    await embargoed();
    await toVendor('first');
    await toVendor('second');
    expect((await state()).mailDigests?.['psirt@acme.example']?.waiting).toHaveLength(1);
    await execute(
      app.deps,
      CASE,
      { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'other@acme.example' }] },
      COORDINATOR,
    );
    advanceMinutes(10);
    await sendDigests(app.deps, await state());
    expect(mailsTo('psirt@acme.example', 'message-digest')).toHaveLength(0);
    const d = (await state()).mailDigests?.['psirt@acme.example'];
    expect(d?.waiting).toEqual([]);
  });

  it('keeps a notice held while its address’s digest was being sent: the digest clears only what it carried', () => {
    const holder = { role: 'vendor' as const, vendorId: 'vendor-1', email: 'psirt@acme.example' };
    const base = { caseId: CASE, by: { role: 'system' as const } };
    const held = (key: string, seq: number) =>
      ({ ...base, seq, at: T0, type: 'notice-held', key, address: 'psirt@acme.example', holder, template: 'message' }) as StoredEvent;
    let d = applyDigestEvent(undefined, held('message:1:vendor-1→psirt@acme.example', 1));
    d = applyDigestEvent(d, held('message:2:vendor-1→psirt@acme.example', 2));
    // The digest of those two is being sent when a third is held (another turn, a re-decided record).
    d = applyDigestEvent(d, held('message:3:vendor-1→psirt@acme.example', 3));
    d = applyDigestEvent(d, {
      ...base,
      seq: 4,
      at: T0,
      type: 'digest-sent',
      address: 'psirt@acme.example',
      count: 2,
      delivered: true,
    } as StoredEvent);
    expect(d?.['psirt@acme.example']?.waiting.map((w) => w.key)).toEqual(['message:3:vendor-1→psirt@acme.example']);
  });

  it('never holds in the reader’s place: a different holder at the same address gets its own notice', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const d = { 'x@y.example': { lastAt: at, holder: { role: 'reporter' as const }, waiting: [] } };
    const vendor = { role: 'vendor' as const, vendorId: 'vendor-2', email: 'x@y.example' };
    expect(holdsNotice(d, 'X@y.example', { role: 'reporter' }, addHours(at, 0.1), DEFAULT_POLICY)).toBe(true);
    expect(holdsNotice(d, 'x@y.example', vendor, addHours(at, 0.1), DEFAULT_POLICY)).toBe(false);
    expect(holdsNotice(d, 'x@y.example', { role: 'reporter' }, addHours(at, 1), DEFAULT_POLICY)).toBe(false);
    // A window of 0 turns digests off; a window over a day is refused.
    expect(holdsNotice(d, 'x@y.example', { role: 'reporter' }, at, { messageDigestMinutes: 0 })).toBe(false);
    expect(() => loadPolicy({ MESSAGE_DIGEST_MINUTES: '2000' })).toThrow(/at most 1440/);
  });

  it('with detailed mail, the digest quotes each held message as text', async () => {
    app.deps.config.mailDetail = 'full';
    await embargoed();
    await toVendor('first');
    await toVendor('<b>second</b> [x](javascript:alert(1))');
    advanceMinutes(10);
    await wf.advance(app.deps, { caseId: CASE });
    const digest = mailsTo('psirt@acme.example', 'message-digest')[0];
    expect(digest?.text).toContain('<b>second</b>');
    expect(digest?.html).toContain('&lt;b&gt;second&lt;/b&gt;');
    expect(digest?.html).not.toContain('href="javascript');
  });
});
