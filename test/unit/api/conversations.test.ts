// Conversations through the API: a coordinator writes to an audience; each reporter and vendor
// reads only what names them and their own; hostile participants cannot address anyone, set an
// audience, or reply into a message they cannot read (the same 404 as an unknown id), and a refused
// message changes nothing.
import { describe, expect, it } from 'vitest';
import { type CallerName, type World, aWorld, snapshot } from '../../builders/api-world.js';
import { advance } from '../../../functions/app/workflow.js';
import { call } from '../../builders/http.js';

interface Listed {
  messages: { messageId: string | null; from: string; body: string; inReplyTo: string | null; threadId: string | null; unread: boolean }[];
  cursor: string | null;
  unread: number;
}

const LIST_PATH: Partial<Record<CallerName, string>> = {
  reporterOfCase: '/reports/{caseId}/messages',
  vendorOfCase: '/vendor/cases/{caseId}/messages',
  otherVendorOnCase: '/vendor/cases/{caseId}/messages',
  coordinator: '/cases/{caseId}/messages',
};
const VIEW_PATH: Partial<Record<CallerName, string>> = {
  reporterOfCase: '/reports/{caseId}',
  vendorOfCase: '/vendor/cases/{caseId}',
  otherVendorOnCase: '/vendor/cases/{caseId}',
  coordinator: '/cases/{caseId}',
};

async function list(w: World, who: CallerName, query?: Record<string, string>) {
  const r = await call(w.app.deps, 'GET', LIST_PATH[who]!, {
    params: { caseId: w.a },
    caller: w.callers[who],
    ...(query ? { query } : {}),
  });
  expect(r.status, r.raw).toBe(200);
  return r.body as Listed;
}
async function viewText(w: World, who: CallerName) {
  const r = await call(w.app.deps, 'GET', VIEW_PATH[who]!, { params: { caseId: w.a }, caller: w.callers[who] });
  expect(r.status, r.raw).toBe(200);
  return r.raw;
}
/** Each message a second after the last, so lists have one order. */
const tick = (w: World) => w.app.clock.advanceHours(1 / 3600);
async function coordinatorWrites(w: World, body: unknown, expected = 202) {
  tick(w);
  const r = await call(w.app.deps, 'POST', '/cases/{caseId}/messages', { params: { caseId: w.a }, caller: w.callers.coordinator, body });
  expect(r.status, r.raw).toBe(expected);
  return r.body as { messageId: string };
}
async function participantWrites(w: World, who: 'reporterOfCase' | 'vendorOfCase' | 'otherVendorOnCase', body: Record<string, unknown>) {
  const path = who === 'reporterOfCase' ? '/reports/{caseId}/messages' : '/vendor/cases/{caseId}/messages';
  tick(w);
  return call(w.app.deps, 'POST', path, {
    params: { caseId: w.a },
    caller: w.callers[who],
    body: who === 'reporterOfCase' ? { kind: 'comment', ...body } : body,
  });
}
const PARTICIPANTS = ['reporterOfCase', 'vendorOfCase', 'otherVendorOnCase'] as const;

describe('a coordinator writing to an audience', () => {
  it('reaches one vendor only: never the other vendor or the reporter, in their lists or views', async () => {
    const w = await aWorld();
    const { messageId } = await coordinatorWrites(w, { to: { vendorIds: [w.vendorIds.acme] }, body: 'for Acme only canaryAcme1' });
    expect((await list(w, 'vendorOfCase')).messages.map((m) => m.body)).toEqual(['for Acme only canaryAcme1']);
    expect(await viewText(w, 'vendorOfCase')).toContain('canaryAcme1');
    for (const who of ['otherVendorOnCase', 'reporterOfCase'] as const) {
      expect((await list(w, who)).messages).toEqual([]);
      expect(await viewText(w, who)).not.toContain('canaryAcme1');
      expect(await viewText(w, who)).not.toContain(messageId);
    }
    const all = await list(w, 'coordinator');
    expect(all.messages[0]).toMatchObject({ messageId, audience: 'selected', to: { reporter: false, vendorIds: ['vendor-1'] } });
  });

  it('keeps an internal note from every participant', async () => {
    const w = await aWorld();
    await coordinatorWrites(w, { to: 'internal', body: 'internal canaryNote9' });
    for (const who of PARTICIPANTS) {
      expect((await list(w, who)).messages).toEqual([]);
      expect(await viewText(w, who)).not.toContain('canaryNote9');
    }
    expect((await list(w, 'coordinator')).messages[0]).toMatchObject({ audience: 'internal', to: { reporter: false, vendorIds: [] } });
    expect(await viewText(w, 'coordinator')).toContain('canaryNote9');
  });

  it('reaches the reporter alone, every vendor, or everyone, as named', async () => {
    const w = await aWorld();
    await coordinatorWrites(w, { to: 'reporter', body: 'to the reporter' });
    await coordinatorWrites(w, { to: 'vendors', body: 'to the vendors' });
    await coordinatorWrites(w, { to: 'everyone', body: 'to everyone' });
    const bodies = async (who: CallerName) => (await list(w, who)).messages.map((m) => m.body);
    expect(await bodies('reporterOfCase')).toEqual(['to everyone', 'to the reporter']);
    expect(await bodies('vendorOfCase')).toEqual(['to everyone', 'to the vendors']);
    expect(await bodies('otherVendorOnCase')).toEqual(['to everyone', 'to the vendors']);
  });

  it('refuses an audience that names nobody it may reach, and changes nothing', async () => {
    const w = await aWorld();
    const before = await snapshot(w.app, [w.a]);
    for (const to of ['nobody', { vendorIds: [] }, { vendorIds: ['vendor-9'] }, { vendorIds: 'vendor-1' }, 42])
      await coordinatorWrites(w, { to, body: 'x' }, 400);
    await coordinatorWrites(w, { body: 'no audience' }, 400);
    await coordinatorWrites(w, { to: 'downstream', body: 'no downstream vendor was contacted' }, 409);
    expect(await snapshot(w.app, [w.a])).toEqual(before);
    expect((await list(w, 'coordinator')).messages).toEqual([]);
  });

  it('answers an attachment id as an unknown one (files are not stored yet), writing nothing', async () => {
    const w = await aWorld();
    const r = await call(w.app.deps, 'POST', '/cases/{caseId}/messages', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      body: { to: 'everyone', body: 'see the file', attachmentIds: ['att-1'] },
    });
    expect(r.status).toBe(404);
    expect((await participantWrites(w, 'vendorOfCase', { body: 'a file', attachmentIds: ['att-1'] })).status).toBe(404);
    expect((await list(w, 'coordinator')).messages).toEqual([]);
  });
});

describe('hostile participants', () => {
  it('cannot set an audience or address another vendor: 400, and nothing is written', async () => {
    const w = await aWorld();
    const before = await snapshot(w.app, [w.a]);
    for (const to of ['everyone', 'vendors', { vendorIds: [w.vendorIds.beta] }, 'coordinators']) {
      const v = await participantWrites(w, 'vendorOfCase', { body: 'hello Beta', to });
      expect(v.status, v.raw).toBe(400);
      expect(v.raw).toContain('coordinators only');
      expect((await participantWrites(w, 'reporterOfCase', { body: 'hello vendors', to })).status).toBe(400);
    }
    expect(await snapshot(w.app, [w.a])).toEqual(before);
    for (const who of ['otherVendorOnCase', 'coordinator'] as const) expect((await list(w, who)).messages).toEqual([]);
  });

  it('cannot reply into a message it cannot read: the same 404 as an unknown id, and nothing is written', async () => {
    const w = await aWorld();
    const toBeta = await coordinatorWrites(w, { to: { vendorIds: [w.vendorIds.beta] }, body: 'for Beta' });
    const note = await coordinatorWrites(w, { to: 'internal', body: 'internal' });
    const fromBeta = await participantWrites(w, 'otherVendorOnCase', { body: 'Beta writes' });
    const before = await snapshot(w.app, [w.a]);
    const unknown = await participantWrites(w, 'vendorOfCase', { body: 'reply', inReplyTo: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    const foreign = [toBeta.messageId, note.messageId, (fromBeta.body as { messageId: string }).messageId];
    for (const inReplyTo of foreign) {
      const r = await participantWrites(w, 'vendorOfCase', { body: 'reply', inReplyTo });
      expect(r.status).toBe(404);
      expect(r.raw).toBe(unknown.raw);
    }
    const reporter = await participantWrites(w, 'reporterOfCase', { body: 'reply', inReplyTo: note.messageId });
    expect(reporter.raw).toBe(unknown.raw);
    expect(await snapshot(w.app, [w.a])).toEqual(before);
    expect((await list(w, 'vendorOfCase')).messages).toEqual([]);
  });

  it('cannot attach a reply to information or a self-disclosure: 400, nothing written', async () => {
    const w = await aWorld();
    const { messageId } = await coordinatorWrites(w, { to: 'reporter', body: 'a question' });
    const before = await snapshot(w.app, [w.a]);
    for (const kind of ['information', 'self-disclosure']) {
      const r = await call(w.app.deps, 'POST', '/reports/{caseId}/messages', {
        params: { caseId: w.a },
        caller: w.callers.reporterOfCase,
        body: { kind, body: 'answer', inReplyTo: messageId },
      });
      expect(r.status, r.raw).toBe(400);
      expect((r.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['inReplyTo']);
    }
    expect(await snapshot(w.app, [w.a])).toEqual(before);
  });

  it('cannot read another reader’s list with its cursor', async () => {
    const w = await aWorld();
    for (let i = 0; i < 3; i++) await coordinatorWrites(w, { to: 'vendors', body: `m${i}` });
    const page = await list(w, 'otherVendorOnCase', { limit: '1' });
    expect(page.cursor).not.toBeNull();
    const r = await call(w.app.deps, 'GET', '/vendor/cases/{caseId}/messages', {
      params: { caseId: w.a },
      caller: w.callers.vendorOfCase,
      query: { cursor: page.cursor! },
    });
    expect(r.status).toBe(400);
    expect(r.raw).toContain('cursor');
  });
});

describe('threads and unread messages', () => {
  it('threads a vendor’s reply under the coordinator’s message, for both', async () => {
    const w = await aWorld();
    const { messageId } = await coordinatorWrites(w, { to: { vendorIds: [w.vendorIds.acme] }, body: 'Is 4.2 affected?' });
    const reply = await participantWrites(w, 'vendorOfCase', { body: 'Yes, fixed in 4.2.1', inReplyTo: messageId });
    expect(reply.status, reply.raw).toBe(202);
    const replyId = (reply.body as { messageId: string }).messageId;
    const acme = await list(w, 'vendorOfCase');
    expect(acme.messages.map((m) => [m.from, m.inReplyTo, m.threadId])).toEqual([
      ['you', messageId, messageId],
      ['coordinator', null, messageId],
    ]);
    const all = await list(w, 'coordinator');
    expect(all.messages[0]).toMatchObject({ messageId: replyId, inReplyTo: messageId, threadId: messageId, audience: 'coordinators' });
    // The coordinator answers in the thread, to the vendor again.
    await coordinatorWrites(w, { to: { vendorIds: [w.vendorIds.acme] }, body: 'Thanks', inReplyTo: replyId });
    expect((await list(w, 'vendorOfCase')).messages[0]).toMatchObject({ inReplyTo: replyId, threadId: messageId });
  });

  it('counts unread messages per reader, never their own, and opening the list reads them', async () => {
    const w = await aWorld();
    await coordinatorWrites(w, { to: 'vendors', body: 'one' });
    await coordinatorWrites(w, { to: { vendorIds: [w.vendorIds.acme] }, body: 'two' });
    await participantWrites(w, 'vendorOfCase', { body: 'mine' });
    const unreadIn = async (who: CallerName) => {
      const r = await call(w.app.deps, 'GET', VIEW_PATH[who]!, { params: { caseId: w.a }, caller: w.callers[who] });
      return (r.body as { unreadMessages: number }).unreadMessages;
    };
    expect(await unreadIn('vendorOfCase')).toBe(2);
    expect(await unreadIn('otherVendorOnCase')).toBe(1);
    expect(await unreadIn('reporterOfCase')).toBe(0);
    const first = await list(w, 'vendorOfCase');
    expect(first.unread).toBe(2);
    expect(first.messages.map((m) => [m.body, m.unread])).toEqual([
      ['mine', false],
      ['two', true],
      ['one', true],
    ]);
    expect(await unreadIn('vendorOfCase')).toBe(0);
    expect(await unreadIn('otherVendorOnCase')).toBe(1);
  });

  it('shows on the coordinators’ timeline that a message was sent, to whom, and never its words', async () => {
    const w = await aWorld();
    const { messageId } = await coordinatorWrites(w, { to: { vendorIds: [w.vendorIds.acme] }, body: 'words canaryTimeline' });
    const r = await call(w.app.deps, 'GET', '/cases/{caseId}', { params: { caseId: w.a }, caller: w.callers.coordinator });
    const timeline = (r.body as { timeline: Record<string, unknown>[] }).timeline;
    expect(timeline.at(-1)).toMatchObject({
      type: 'comment-added',
      messageId,
      audience: 'selected',
      to: { reporter: false, vendorIds: ['vendor-1'] },
    });
    expect(JSON.stringify(timeline)).not.toContain('canaryTimeline');
  });

  it('pages a list newest first with a cursor', async () => {
    const w = await aWorld();
    for (let i = 0; i < 5; i++) {
      await coordinatorWrites(w, { to: 'reporter', body: `m${i}` });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Listed = await list(w, 'reporterOfCase', { limit: '2', ...(cursor ? { cursor } : {}) });
      expect(page.messages.length).toBeLessThanOrEqual(2);
      seen.push(...page.messages.map((m) => m.body));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
  });

  it('keeps the bodies the routes took before: a vendor’s { body }, a reporter’s { kind, body }', async () => {
    const w = await aWorld();
    expect(
      (
        await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
          params: { caseId: w.a },
          caller: w.callers.vendorOfCase,
          body: { body: 'hi' },
        })
      ).status,
    ).toBe(202);
    tick(w);
    expect(
      (
        await call(w.app.deps, 'POST', '/reports/{caseId}/messages', {
          params: { caseId: w.a },
          caller: w.callers.reporterOfCase,
          body: { kind: 'comment', body: 'more' },
        })
      ).status,
    ).toBe(202);
    expect((await list(w, 'coordinator')).messages.map((m) => m.body)).toEqual(['more', 'hi']);
  });
});

describe('messages written before readers had copies', () => {
  it('still shows a vendor its own older message, and nobody else', async () => {
    const w = await aWorld();
    const { state, version } = (await w.app.store.load(w.a))!;
    const at = w.app.clock.now;
    await w.app.content.putMessage({
      caseId: w.a,
      messageId: 'legacy-1',
      at,
      by: { role: 'vendor', participant: 'vendor-1' },
      audience: 'coordinators',
      onDraft: false,
      kind: 'comment',
      body: 'an older note canaryLegacy',
    });
    await w.app.store.append(w.a, version, [
      {
        type: 'comment-added',
        at,
        by: { role: 'vendor', participant: 'vendor-1' },
        messageId: 'legacy-1',
        bytes: 26,
        onDraft: false,
        audience: 'coordinators',
      },
    ]);
    expect(state.comments).toHaveLength(0);
    expect((await list(w, 'vendorOfCase')).messages.map((m) => [m.from, m.body])).toEqual([['you', 'an older note canaryLegacy']]);
    expect(await viewText(w, 'vendorOfCase')).toContain('canaryLegacy');
    for (const who of ['otherVendorOnCase', 'reporterOfCase'] as const) expect(await viewText(w, who)).not.toContain('canaryLegacy');
  });
});

describe('notifications of a coordinator’s message', () => {
  const mailsOf = (w: World, since: number) => w.app.mailer.sent.slice(since).filter((m) => m.tags?.template === 'message');
  it('mails each recipient once, with their own link and no words of the message; an internal note mails nobody', async () => {
    const w = await aWorld();
    const since = w.app.mailer.sent.length;
    await coordinatorWrites(w, { to: { vendorIds: [w.vendorIds.acme] }, body: 'secret canaryMail3 <b>x</b>' });
    await coordinatorWrites(w, { to: 'internal', body: 'internal canaryMail4' });
    await advance(w.app.deps, { caseId: w.a });
    await advance(w.app.deps, { caseId: w.a });
    const mails = mailsOf(w, since);
    expect(mails.map((m) => m.to)).toEqual([['psirt@acme.example']]);
    const all = JSON.stringify(w.app.mailer.sent.slice(since));
    expect(all).not.toContain('canaryMail3');
    expect(all).not.toContain('canaryMail4');
    expect(mails[0]!.subject).toBe(`[${w.a}] New message from the coordinators`);
    expect(mails[0]!.text).toMatch(/\/vendor#token=/);
  });

  it('carries the words, escaped and in the body only, when the deployment asks for details', async () => {
    const w = await aWorld();
    w.app.deps.config.mailDetail = 'full';
    const since = w.app.mailer.sent.length;
    await coordinatorWrites(w, { to: 'everyone', body: 'patch at <script>x</script> canaryMail5' });
    await advance(w.app.deps, { caseId: w.a });
    const mails = mailsOf(w, since);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['ada@example.org', 'psirt@acme.example', 'psirt@beta.example'].sort());
    for (const m of mails) {
      expect(m.subject).not.toContain('canaryMail5');
      expect(m.text).toContain('canaryMail5');
      expect(m.html).toContain('&lt;script&gt;');
      expect(m.html).not.toContain('<script>');
    }
  });
});
