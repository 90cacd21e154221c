// The inbound use case on the in-memory twins: what each received message does to the cases, and
// that the hostile ones (a forged reply, failed checks, a revoked address, a loop) change nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryHeldMail, MemoryRawMailStore } from '../../functions/adapters/inbound-mail-store.js';
import { execute } from '../../functions/app/commands.js';
import { postCoordinatorMessage } from '../../functions/app/messages.js';
import { submit } from '../../functions/app/inbox.js';
import { replyAddress } from '../../functions/app/inbound-routes.js';
import { type InboundDecryptor, receiveMail } from '../../functions/app/inbound-mail.js';
import type { InboundDeps } from '../../functions/app/inbound-received.js';
import { preScreen } from '../../functions/app/prescreen.js';
import * as wf from '../../functions/app/workflow.js';
import { COORDINATOR, REPORTER, aReport } from '../builders/case.js';
import { type TestApp, aTestApp } from '../builders/app.js';

const CASE = 'VU-TEST0001';
const DOMAIN = 'cert.example';
const PASS = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };

let app: TestApp;
let raw: MemoryRawMailStore;
let held: MemoryHeldMail;
let inbound: InboundDeps;
let n = 0;

/** Stores the message where the receipt rule would and returns SES's Lambda event for it. */
function received(mail: string, recipients: string[], verdicts: Partial<typeof PASS> = {}) {
  const id = `msg-${++n}`;
  raw.messages.set(`mail/${id}`, new TextEncoder().encode(mail.replace(/\n/g, '\r\n')));
  const v = { ...PASS, ...verdicts };
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: { messageId: id, source: 'x@y.example', destination: recipients },
          receipt: {
            recipients,
            spfVerdict: { status: v.spf },
            dkimVerdict: { status: v.dkim },
            dmarcVerdict: { status: v.dmarc },
            spamVerdict: { status: 'PASS' },
            virusVerdict: { status: 'PASS' },
          },
        },
      },
    ],
  };
}

const message = (o: { from: string; to: string; subject?: string; body?: string; headers?: string[] }) =>
  [
    `From: ${o.from}`,
    `To: ${o.to}`,
    `Subject: ${o.subject ?? 'Hello'}`,
    'Message-ID: <1@y.example>',
    ...(o.headers ?? []),
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body ?? 'Body',
  ].join('\n');

const withAttachment = (o: { from: string; to: string; body: string; filename: string; content: string }) =>
  [
    `From: ${o.from}`,
    `To: ${o.to}`,
    'Subject: Re: [VU-TEST0001] news',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body,
    '--b1',
    `Content-Type: application/pdf; name="${o.filename}"`,
    `Content-Disposition: attachment; filename="${o.filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(o.content).toString('base64'),
    '--b1--',
    '',
  ].join('\n');

async function contactedCase() {
  await execute(app.deps, CASE, { type: 'submit-report', caseId: CASE, report: aReport() }, REPORTER);
  await wf.registerCase(app.deps, { caseId: CASE });
  await preScreen(app.deps, { caseId: CASE });
  await submit(app.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'ok' }, COORDINATOR);
  await wf.advance(app.deps, { caseId: CASE });
  await execute(app.deps, CASE, { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] }, COORDINATOR);
  for (const v of (await wf.prepareOutreach(app.deps, { caseId: CASE })).vendors ?? [])
    await wf.notifyVendor(app.deps, { caseId: CASE, vendorId: v.vendorId });
}
const state = async () => (await app.store.load(CASE))?.state;
const vendorHolder = { role: 'vendor' as const, vendorId: 'vendor-1', email: 'psirt@acme.example' };

beforeEach(() => {
  app = aTestApp();
  app.deps.config.replyDomain = DOMAIN;
  raw = new MemoryRawMailStore();
  held = new MemoryHeldMail();
  inbound = { raw, held, domain: DOMAIN, intakeAddress: `security@${DOMAIN}`, ownAddresses: ['cvd@cert.example'], objectPrefix: 'mail/' };
});

describe('a report to the intake address', () => {
  it('opens a case: subject as title, text as description, sender as reporter, the missing fields recorded', async () => {
    const out = await receiveMail(
      app.deps,
      inbound,
      received(
        message({ from: 'Eve Finder <eve@finder.example>', to: 'security@cert.example', subject: 'SQLi in /login', body: 'Details here.' }),
        ['security@cert.example'],
      ),
    );
    expect(out[0]?.kind).toBe('case-opened');
    const caseId = out[0]?.kind === 'case-opened' ? out[0].caseId : '';
    const s = (await app.store.load(caseId))?.state;
    expect(s?.report?.title).toBe('SQLi in /login');
    expect(s?.report?.description).toBe('Details here.');
    expect(s?.report?.reporter).toMatchObject({ email: 'eve@finder.example', name: 'Eve Finder' });
    expect(s?.report?.vendors).toEqual([]);
    expect(s?.reportVia).toEqual({ channel: 'email', missing: ['product.name', 'vendors', 'requestedService'] });
    expect(app.signals.started.map((x) => x.name)).toContain(caseId);
  });

  it('opens one case when Lambda retries the receipt after a failure midway, and finishes it', async () => {
    const event = received(
      withAttachment({
        from: 'eve@finder.example',
        to: 'security@cert.example',
        body: 'PoC attached.',
        filename: 'poc.py',
        content: 'print(1)',
      }),
      ['security@cert.example'],
    );
    // The first attempt opens the case, then dies before starting the workflow.
    const start = app.signals.start.bind(app.signals);
    app.signals.start = async () => {
      throw new Error('Step Functions unreachable');
    };
    await expect(receiveMail(app.deps, inbound, event)).rejects.toThrow(/unreachable/);
    app.signals.start = start;
    const [again] = await receiveMail(app.deps, inbound, event);
    expect(again?.kind).toBe('case-opened');
    const caseId = again?.kind === 'case-opened' ? again.caseId : '';
    expect((await app.store.queue('intake')).items.map((x) => x.caseId)).toEqual([caseId]);
    expect(app.signals.started.map((x) => x.name)).toEqual([caseId]);
    // The file came once, with the first attempt's message.
    expect((await app.store.load(caseId))?.state.messageCount).toBe(1);
  });

  it('holds, unparsed, a message cut into thousands of tiny parts, and opens nothing', async () => {
    const parts = Array.from({ length: 2000 }, (_, i) => `--b1\nContent-Type: text/plain\n\n${i}`).join('\n');
    const mail = [
      'From: eve@finder.example',
      'To: security@cert.example',
      'Subject: parts',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      parts,
      '--b1--',
    ].join('\n');
    const [out] = await receiveMail(app.deps, inbound, received(mail, ['security@cert.example']));
    expect(out).toMatchObject({ kind: 'held', reason: 'too-many-files' });
    expect(app.signals.started).toEqual([]);
    expect(held.items[0]).toMatchObject({ reason: 'too-many-files', subject: '' });
  });

  it('keeps the subject and the text as data: HTML reduced to text, header-like subject one line', async () => {
    const html = [
      'From: eve@finder.example',
      'To: security@cert.example',
      'Subject: =?utf-8?Q?x=0D=0ABcc:_victim@x.example?=',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>**bold** [link](javascript:alert(1))</p><script>alert(1)</script><img src=x onerror=alert(1)>',
    ].join('\n');
    const out = await receiveMail(app.deps, inbound, received(html, ['security@cert.example']));
    const caseId = out[0]?.kind === 'case-opened' ? out[0].caseId : '';
    const s = (await app.store.load(caseId))?.state;
    expect(s?.report?.title).toBe('x Bcc: victim@x.example');
    expect(s?.report?.description).toBe('**bold** [link](javascript:alert(1))');
  });

  it('never opens a case for an auto-reply, a bounce or our own mail', async () => {
    for (const headers of [['Auto-Submitted: auto-replied'], ['Precedence: bulk'], ['Return-Path: <>'], ['X-Autoreply: yes']])
      expect(
        (
          await receiveMail(
            app.deps,
            inbound,
            received(message({ from: 'eve@finder.example', to: 'security@cert.example', headers }), ['security@cert.example']),
          )
        )[0]?.kind,
      ).toBe('dropped');
    expect(
      (
        await receiveMail(
          app.deps,
          inbound,
          received(message({ from: 'cvd@cert.example', to: 'security@cert.example' }), ['security@cert.example']),
        )
      )[0],
    ).toEqual({ kind: 'dropped', reason: 'own-address' });
    expect(app.signals.started).toEqual([]);
    expect(held.items).toEqual([]);
  });

  it('holds a report whose domain does not vouch for it, and rate-limits a flooding sender', async () => {
    const report = (from: string, verdicts: Partial<typeof PASS>) =>
      receiveMail(app.deps, inbound, received(message({ from, to: 'security@cert.example' }), ['security@cert.example'], verdicts));
    const forged = await report('eve@finder.example', { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' });
    expect(forged[0]).toMatchObject({ kind: 'held', reason: 'auth-failed' });
    // SPF passes for the forger's own envelope domain, but the From domain's DMARC disowns the mail.
    const spoofed = await report('ceo@bank.example', { spf: 'PASS', dkim: 'FAIL', dmarc: 'FAIL' });
    expect(spoofed[0]).toMatchObject({ kind: 'held', reason: 'auth-failed' });
    expect(app.signals.started).toEqual([]);
    const outcomes = [];
    for (let i = 0; i < app.deps.policy.acknowledgementsPerAddressPerDay + 2; i++)
      outcomes.push(
        (
          await receiveMail(
            app.deps,
            inbound,
            received(message({ from: 'eve@finder.example', to: 'security@cert.example' }), ['security@cert.example']),
          )
        )[0]?.kind,
      );
    expect(outcomes.filter((k) => k === 'case-opened')).toHaveLength(app.deps.policy.acknowledgementsPerAddressPerDay);
    expect(outcomes.filter((k) => k === 'dropped')).toHaveLength(2);
  });

  it('holds an encrypted report without a decryptor, and reads it through one', async () => {
    const pgp = message({
      from: 'eve@finder.example',
      to: 'security@cert.example',
      body: '-----BEGIN PGP MESSAGE-----\nabc\n-----END PGP MESSAGE-----',
    });
    expect((await receiveMail(app.deps, inbound, received(pgp, ['security@cert.example'])))[0]).toMatchObject({
      kind: 'held',
      reason: 'encrypted',
    });
    const decryptor: InboundDecryptor = {
      open: async () => ({
        raw: new TextEncoder().encode(
          message({ from: 'eve@finder.example', to: 'security@cert.example', subject: 'Secret', body: 'Decrypted text' }),
        ),
        encrypted: true,
        signature: 'none',
      }),
    };
    const out = await receiveMail(app.deps, { ...inbound, decryptor }, received(pgp, ['security@cert.example']));
    const caseId = out[0]?.kind === 'case-opened' ? out[0].caseId : '';
    expect((await app.store.load(caseId))?.state.report?.description).toBe('Decrypted text');
  });
});

describe('a reply to a reply address', () => {
  beforeEach(contactedCase);

  it('is on every participant mail only when inbound is on, and is not the link token', async () => {
    const vendorMail = app.mailer.sent.find((m) => m.to.includes('psirt@acme.example'));
    const address = await replyAddress(app.deps, (await state())!, vendorHolder);
    expect(vendorMail?.replyTo).toBe(address);
    expect(address).toMatch(/^case\+vu-test0001\.[a-z2-7]{26}@cert\.example$/);
    for (const t of app.tokens) expect(address).not.toContain(t.toLowerCase());
  });

  it("becomes the vendor's message, quoted history trimmed, with its attachment", async () => {
    const to = (await replyAddress(app.deps, (await state())!, vendorHolder))!;
    const body = 'We confirm; fix in 2.0.\n\nOn Mon, 2 Nov 2026, CVD <cvd@cert.example> wrote:\n> old text';
    const out = await receiveMail(
      app.deps,
      inbound,
      received(withAttachment({ from: 'PSIRT@acme.example', to, body, filename: 'advisory.pdf', content: '%PDF-1.4 x' }), [to]),
    );
    expect(out[0]?.kind).toBe('message-added');
    const [m] = (await app.deps.content.listMessages(CASE, {})).messages.filter((x) => x.by.role === 'vendor');
    expect(m?.body).toBe('We confirm; fix in 2.0.');
    expect(m?.by).toEqual({ role: 'vendor', participant: 'vendor-1' });
    expect(m?.files?.map((f) => f.filename)).toEqual(['advisory.pdf']);
  });

  it('is posted once when Lambda retries its receipt, after a failure midway or after success', async () => {
    const to = (await replyAddress(app.deps, (await state())!, vendorHolder))!;
    const event = received(
      withAttachment({ from: 'psirt@acme.example', to, body: 'Patch attached.', filename: 'fix.diff', content: '+ok' }),
      [to],
    );
    const before = (await state())!.messageCount;
    // The first attempt stores the message and its file, then dies before the case records it.
    const append = app.store.append.bind(app.store);
    app.store.append = (caseId, expected, events, opts) =>
      events.some((e) => e.type === 'comment-added')
        ? Promise.reject(new Error('the function was killed'))
        : append(caseId, expected, events, opts);
    await expect(receiveMail(app.deps, inbound, event)).rejects.toThrow(/killed/);
    app.store.append = append;
    const [again] = await receiveMail(app.deps, inbound, event);
    expect(again?.kind).toBe('message-added');
    // And once more, as an at-least-once delivery may.
    const [third] = await receiveMail(app.deps, inbound, event);
    expect(third).toEqual(again);
    expect((await state())!.messageCount).toBe(before + 1);
    const mine = (await app.deps.content.listMessages(CASE, {})).messages.filter((x) => x.by.role === 'vendor');
    expect(mine.map((x) => x.body)).toEqual(['Patch attached.']);
    expect(mine[0]?.files?.map((f) => f.filename)).toEqual(['fix.diff']);
    expect((await app.deps.files.records.listForCase(CASE)).map((f) => f.filename)).toEqual(['fix.diff']);
  });

  it('is not posted again when its receipt comes back after a hundred later messages', async () => {
    const to = (await replyAddress(app.deps, (await state())!, vendorHolder))!;
    const event = received(message({ from: 'psirt@acme.example', to, body: 'Confirmed.' }), [to]);
    const [first] = await receiveMail(app.deps, inbound, event);
    expect(first?.kind).toBe('message-added');
    for (let i = 0; i < 100; i++)
      await postCoordinatorMessage(app.deps, (await state())!, COORDINATOR, { body: `note ${i}`, to: 'internal' });
    expect((await state())!.comments.some((c) => first?.kind === 'message-added' && c.messageId === first.messageId)).toBe(false);
    const [late] = await receiveMail(app.deps, inbound, event);
    expect(late).toEqual(first);
    const mine = (await app.deps.content.listMessages(CASE, { limit: 200 })).messages.filter((x) => x.by.role === 'vendor');
    expect(mine.map((x) => x.body)).toEqual(['Confirmed.']);
    expect(
      (await app.store.readEvents(CASE, { limit: 1000 })).events.filter((e) => e.type === 'comment-added' && e.by.role === 'vendor'),
    ).toHaveLength(1);
  });

  it('from another sender, with failed checks, or to an unknown or revoked address, is held and changes nothing', async () => {
    const to = (await replyAddress(app.deps, (await state())!, vendorHolder))!;
    const before = (await state())?.version;
    const send = async (from: string, recipient: string, v: Partial<typeof PASS> = {}) =>
      (await receiveMail(app.deps, inbound, received(message({ from, to: recipient, body: 'forged' }), [recipient], v)))[0];
    expect(await send('attacker@evil.example', to)).toMatchObject({ kind: 'held', reason: 'wrong-sender' });
    // The vendor's address spelled only inside an encoded word (DMARC found no From domain to fail),
    // or a second From: such mail names no sender here, and is held as unreadable.
    expect(await send('=?utf-8?B?PHBzaXJ0QGFjbWUuZXhhbXBsZT4=?=', to)).toMatchObject({ kind: 'held', reason: 'unreadable' });
    expect(await send('attacker@evil.example\nFrom: psirt@acme.example', to)).toMatchObject({ kind: 'held', reason: 'unreadable' });
    expect(await send('psirt@acme.example, attacker@evil.example', to)).toMatchObject({ kind: 'held', reason: 'unreadable' });
    expect(await send('psirt@acme.example', to, { dmarc: 'FAIL' })).toMatchObject({ kind: 'held', reason: 'auth-failed' });
    expect(await send('psirt@acme.example', to, { spf: 'FAIL', dkim: 'FAIL' })).toMatchObject({ kind: 'held', reason: 'auth-failed' });
    expect(await send('psirt@acme.example', to.replace(/\.[a-z2-7]{26}@/, `.${'a'.repeat(26)}@`))).toMatchObject({
      kind: 'held',
      reason: 'unknown-route',
    });
    // The reporter's address answered from the vendor's mailbox: the address names the reporter, the sender is not them.
    const reporterTo = (await replyAddress(app.deps, (await state())!, { role: 'reporter' }))!;
    expect(await send('psirt@acme.example', reporterTo)).toMatchObject({ kind: 'held', reason: 'wrong-sender' });
    await submit(app.deps, CASE, { type: 'manage-links', action: 'reissue', vendorId: 'vendor-1' }, COORDINATOR);
    expect(await send('psirt@acme.example', to)).toMatchObject({ kind: 'held', reason: 'unknown-route' });
    expect((await app.deps.content.listMessages(CASE, {})).messages.filter((x) => x.body === 'forged')).toEqual([]);
    // The three without a readable sender are held before their address is read: no case on them.
    expect(held.items.map((h) => h.caseId)).toEqual([CASE, null, null, null, ...Array(5).fill(CASE)]);
    expect(held.items.every((h) => h.text === 'forged')).toBe(true);
    expect((await state())!.version).toBeGreaterThan(before!); // the reissue only
    expect((await state())!.comments.filter((c) => c.by.role === 'vendor')).toEqual([]);
  });

  it('is held at most 20 times a day per sender: a flood of forgeries is dropped past that', async () => {
    const to = (await replyAddress(app.deps, (await state())!, vendorHolder))!;
    const kinds: string[] = [];
    for (let i = 0; i < 22; i++)
      kinds.push(
        (await receiveMail(app.deps, inbound, received(message({ from: 'flood@evil.example', to, body: `x${i}` }), [to])))[0]?.kind ?? '',
      );
    expect(kinds.filter((k) => k === 'held')).toHaveLength(20);
    expect(kinds.slice(20)).toEqual(['dropped', 'dropped']);
    expect(held.items).toHaveLength(20);
  });

  it('signed with a bad signature is held', async () => {
    const to = (await replyAddress(app.deps, (await state())!, vendorHolder))!;
    const decryptor: InboundDecryptor = { open: async (r) => ({ raw: r, encrypted: false, signature: 'invalid' }) };
    const pgp = message({ from: 'psirt@acme.example', to, body: '-----BEGIN PGP SIGNED MESSAGE-----\nx' });
    expect((await receiveMail(app.deps, { ...inbound, decryptor }, received(pgp, [to])))[0]).toMatchObject({
      kind: 'held',
      reason: 'bad-signature',
    });
  });
});

it('drops an event of another shape without throwing', async () => {
  expect(await receiveMail(app.deps, inbound, { Records: [{ eventSource: 'aws:sqs' }] })).toEqual([
    { kind: 'dropped', reason: 'malformed' },
  ]);
});
