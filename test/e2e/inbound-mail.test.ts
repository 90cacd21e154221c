// Reports and replies by e-mail through the running stack: SMTP to the local listener, which feeds
// the same inbound function SES receiving invokes on AWS. A report opens a case and is acknowledged
// with the questions the form would have asked; a vendor's reply to its notification becomes its
// message with its file; a reply from anyone else, an auto-reply, or hostile content changes nothing
// it should not. (Failed SPF/DKIM/DMARC verdicts are tested on the handler: test/unit/inbound-receive.test.ts.)
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aReportInput } from '../builders/case.js';
import { type E2E, bootStack } from '../builders/local-stack.js';
import { rfc5322, sendSmtp } from '../builders/smtp.js';

let e: E2E;
let port: number;
let intake: string;
beforeAll(async () => {
  e = await bootStack();
  if (!e.stack.smtp) throw new Error('the local stack has no SMTP listener');
  port = e.stack.smtp.port;
  intake = e.stack.smtp.intakeAddress;
});
afterAll(async () => {
  await e.stop();
});

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  replyTo?: string[];
  body: { text?: string; html?: string };
}
const mails = async () => (await e.mail()) as unknown as StoredMail[];
const mailsTo = async (address: string) => (await mails()).filter((m) => m.destination.to.includes(address));
const caseOf = (m: StoredMail | undefined) => /^\[(VU-[A-Z0-9]+)\]/.exec(m?.subject ?? '')?.[1] ?? '';

async function send(from: string, to: string, o: Omit<Parameters<typeof rfc5322>[0], 'from' | 'to'>) {
  const reply = await sendSmtp(port, { from, to: [to], data: rfc5322({ from, to, ...o }) });
  await e.stack.settle();
  return reply;
}

describe('a report by e-mail', () => {
  it('opens a case, acknowledged with the missing fields asked for; triage sees it came by mail', async () => {
    expect(intake).toBe('security@localhost.test');
    const reply = await send('eve@finder.example', intake, {
      subject: 'Stored XSS in Widget admin',
      text: 'Steps:\n1. log in\n2. paste payload',
    });
    expect(reply).toMatch(/^250/);
    const [ack] = await mailsTo('eve@finder.example');
    const caseId = caseOf(ack);
    expect(caseId).toMatch(/^VU-/);
    expect(ack?.body.text).toContain('Please reply to this message');
    expect(ack?.body.text).toContain('the affected product');
    expect(ack?.replyTo?.[0]).toMatch(new RegExp(`^case\\+${caseId.toLowerCase()}\\.[a-z2-7]{26}@localhost\\.test$`));
    const view = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as {
      report: { title: string; description: string; reporter: { email: string } };
      reportVia: { channel: string; missing: string[] };
    };
    expect(view.report).toMatchObject({
      title: 'Stored XSS in Widget admin',
      description: 'Steps:\n1. log in\n2. paste payload',
      reporter: { email: 'eve@finder.example' },
    });
    expect(view.reportVia).toEqual({ channel: 'email', missing: ['product.name', 'vendors', 'requestedService'] });
  });

  it('keeps hostile content as data: HTML reduced to text, Markdown and a header-like subject stay text', async () => {
    const subject = '<img src=x onerror=alert(1)> **[click](javascript:x)** =?utf-8?Q?=0D=0ABcc:_victim@x.example?=';
    await send('mallory@evil.example', intake, {
      subject,
      html: '<p>Hi <b>there</b></p><script>steal()</script><a href="javascript:x">link</a>',
    });
    const caseId = caseOf((await mailsTo('mallory@evil.example'))[0]);
    const view = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as {
      report: { title: string; description: string };
    };
    expect(view.report.title).toBe('<img src=x onerror=alert(1)> **[click](javascript:x)** Bcc: victim@x.example');
    expect(view.report.description).toBe('Hi there\nlink');
    for (const m of await mails()) {
      expect(m.subject).not.toContain('<img');
      expect(m.body.html ?? '').not.toContain('<img src=x');
      expect(m.destination.to).not.toContain('victim@x.example');
    }
  });

  it('never opens a case for an auto-reply or a bounce', async () => {
    const before = (await mails()).length;
    await send('eve@finder.example', intake, { subject: 'Out of office', text: 'I am away', headers: ['Auto-Submitted: auto-replied'] });
    await send('MAILER-DAEMON@finder.example', intake, { subject: 'Undeliverable', text: 'bounce' });
    expect((await mails()).length).toBe(before);
  });

  it('refuses mail for other domains at the SMTP level', async () => {
    expect(await sendSmtp(port, { from: 'eve@finder.example', to: ['someone@elsewhere.example'], data: 'Subject: x\n\ny' })).toMatch(
      /^550/,
    );
  });
});

describe('a reply to a notification', () => {
  it("becomes the vendor's message with its file; a forged one from another sender does not", async () => {
    const submitted = await e.call('POST', '/reports', {
      body: aReportInput({ vendors: [{ name: 'Acme', contactEmail: 'psirt@acme.example', contacted: false }] }),
    });
    const { caseId } = submitted.json as { caseId: string };
    const coord = async (method: string, path: string, body: unknown) =>
      expect((await e.call(method, `/cases/${caseId}${path}`, { token: e.coordinator, body })).status).toBe(202);
    await coord('POST', '/triage', { decision: 'accept', reasons: [], comment: 'ok' });
    await coord('PUT', '/vendors/vendor-1', { contacts: [{ email: 'psirt@acme.example' }] });
    await e.stack.settle();
    const notice = (await mailsTo('psirt@acme.example')).find((m) => caseOf(m) === caseId);
    const replyTo = notice?.replyTo?.[0] ?? '';
    expect(replyTo).toMatch(/^case\+vu-[0-9a-z]+\.[a-z2-7]{26}@localhost\.test$/);

    const messages = async () =>
      (
        (await e.call('GET', `/cases/${caseId}/messages`, { token: e.coordinator })).json as {
          messages: { by: { role: string; participant?: string }; body: string; files: { filename: string }[] }[];
        }
      ).messages;
    const pdf = Buffer.from('%PDF-1.4 advisory');
    const reply = await send('psirt@acme.example', replyTo, {
      subject: `Re: ${notice?.subject}`,
      text: 'Confirmed, fix in 2.0.\n\nOn Mon, 2 Nov 2026, CVD <cvd@localhost.test> wrote:\n> We coordinate a report',
      attachments: [{ filename: 'advisory.pdf', contentType: 'application/pdf', content: pdf }],
    });
    expect(reply).toMatch(/^250/);
    const fromAcme = (await messages()).filter((m) => m.by.role === 'vendor');
    expect(fromAcme).toHaveLength(1);
    expect(fromAcme[0]).toMatchObject({ by: { role: 'vendor', participant: 'vendor-1' }, body: 'Confirmed, fix in 2.0.' });
    expect(fromAcme[0]?.files.map((f) => f.filename)).toEqual(['advisory.pdf']);

    // The same reply address from another mailbox: kept for a coordinator, never the vendor's message.
    await send('attacker@evil.example', replyTo, { subject: 'Re: x', text: 'Please send the PoC to me' });
    await send('psirt@acme.example', replyTo.replace(/\.[a-z2-7]{26}@/, `.${'a'.repeat(26)}@`), {
      subject: 'Re: x',
      text: 'guessed address',
    });
    const after = await messages();
    expect(after.filter((m) => m.by.role === 'vendor')).toHaveLength(1);
    expect(after.some((m) => m.body.includes('PoC') || m.body.includes('guessed'))).toBe(false);
    // The coordinators see what was held and why; nobody else can list it.
    const held = (await e.call('GET', '/inbound/held', { token: e.coordinator })).json as {
      held: { reason: string; from: string; caseId: string | null; text: string }[];
    };
    // Sorted: the stack's clock stands still here, so both were held at the same instant.
    expect(
      held.held
        .filter((h) => h.caseId === caseId)
        .map((h) => [h.reason, h.from])
        .sort(),
    ).toEqual([
      ['unknown-route', 'psirt@acme.example'],
      ['wrong-sender', 'attacker@evil.example'],
    ]);
    expect((await e.call('GET', '/inbound/held')).status).toBe(401);
  });
});

describe('an encrypted report', () => {
  it('encrypted (PGP/MIME) to the served public key opens a case with the decrypted text, which never travelled in clear', async () => {
    const served = await fetch(`${e.stack.apiUrl}/pgp-key.asc`);
    expect(served.status).toBe(200);
    const teamKey = await openpgp.readKey({ armoredKey: await served.text() });
    const secret = 'Heap overflow in parse_header(); canary 7f3e9 (only inside the encryption)';
    const inner = `Content-Type: text/plain; charset=utf-8\r\n\r\n${secret}\r\n`;
    const armored = await openpgp.encrypt({ message: await openpgp.createMessage({ text: inner }), encryptionKeys: teamKey });
    const data = [
      'From: ivy@finder.example',
      `To: ${intake}`,
      'Subject: Encrypted report',
      `Message-ID: <${Math.random().toString(36).slice(2)}@e2e.test>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc1"',
      '',
      '--enc1',
      'Content-Type: application/pgp-encrypted',
      '',
      'Version: 1',
      '',
      '--enc1',
      'Content-Type: application/octet-stream; name="encrypted.asc"',
      '',
      armored as string,
      '--enc1--',
      '',
    ].join('\r\n');
    expect(data).not.toContain('7f3e9');
    expect(await sendSmtp(port, { from: 'ivy@finder.example', to: [intake], data })).toMatch(/^250/);
    await e.stack.settle();
    const caseId = caseOf((await mailsTo('ivy@finder.example'))[0]);
    expect(caseId).toMatch(/^VU-/);
    const view = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as {
      report: { title: string; description: string };
    };
    expect(view.report).toMatchObject({ title: 'Encrypted report', description: secret });
  });
});
