// Files through the HTTP API of the running stack and its S3 stand-in: the coordinator writes to
// one vendor, the vendor answers with a patch, the coordinator passes it to the downstream vendors
// in one message. Whoever no message reached (another vendor, the reporter) gets the same 404 as
// for a file that does not exist; an internal note's file reaches no participant; uploads of other
// bytes than declared are refused; the limits answer 413 naming themselves.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aReportInput } from '../builders/case.js';
import { type E2E, type Mail, bootStack } from '../builders/local-stack.js';

let e: E2E;
beforeAll(async () => {
  e = await bootStack();
});
afterAll(async () => {
  await e.stop();
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tokenIn = (m: Mail) => decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(m.body.text ?? '')?.[1] ?? '');

interface Upload {
  attachmentId: string;
  uploadUrl: string;
  uploadHeaders: Record<string, string>;
  expiresAt: string;
}
interface Download {
  filename: string;
  size: number;
  sha256: string;
  downloadUrl: string;
  expiresAt: string;
}
interface ListedMessage {
  messageId: string;
  body: string;
  from: string;
  files: { attachmentId: string; filename: string; sha256: string }[];
}

describe('files on a case, over HTTP', () => {
  it('a vendor’s patch goes to the coordinators, then to the downstream vendors; nobody else can fetch it', async () => {
    const submitted = await e.call('POST', '/reports', {
      body: aReportInput({ vendors: [{ name: 'Acme', contactEmail: 'psirt@acme.example', contacted: false }] }),
    });
    expect(submitted.status, submitted.text).toBe(201);
    const { caseId, reporterToken } = submitted.json as { caseId: string; reporterToken: string };
    const coord = async (method: string, path: string, body?: unknown, status = 202) => {
      const r = await e.call(method, `/cases/${caseId}${path}`, { token: e.coordinator, ...(body === undefined ? {} : { body }) });
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(status);
      return r.json;
    };
    await coord('POST', '/triage', { decision: 'accept', reasons: [], comment: 'we coordinate this' });
    await coord('PUT', '/vendors/vendor-1', { contacts: [{ email: 'psirt@acme.example' }] });
    await coord('POST', '/vendors', {
      vendors: [
        { name: 'Beta', contacts: ['sec@beta.example'] },
        { name: 'Distro', contacts: ['sec@distro.example'], downstream: true },
      ],
    });
    const tokenOf = async (address: string) => {
      const m = (await e.mail()).find((x) => x.destination.to.includes(address) && tokenIn(x));
      if (!m) throw new Error(`no link mailed to ${address}`);
      return tokenIn(m);
    };
    const acme = await tokenOf('psirt@acme.example');
    const beta = await tokenOf('sec@beta.example');
    // Downstream vendors hear of the case once an upstream vendor answers.
    expect((await e.call('POST', `/vendor/cases/${caseId}/acknowledge`, { token: acme, body: {} })).status).toBe(202);
    const distro = await tokenOf('sec@distro.example');

    // The coordinator asks Acme alone; Acme sees one unread message.
    const asked = (await coord('POST', '/messages', { to: { vendorIds: ['vendor-1'] }, body: 'Can you share the fix?' })) as {
      messageId: string;
    };
    const acmeView = (await e.call('GET', `/vendor/cases/${caseId}`, { token: acme })).json as { unreadMessages: number };
    expect(acmeView.unreadMessages).toBe(1);

    // Acme uploads the patch through the presigned PUT and answers with it.
    const patch = Buffer.from('--- a/parser.c\n+++ b/parser.c\n@@ -1 +1 @@\n-len\n+len - 1\n');
    const declared = { filename: 'fix "1.2.3"\r\n.patch', contentType: 'text/x-diff', size: patch.length, sha256: sha256(patch) };
    const refusedName = await e.call('POST', `/vendor/cases/${caseId}/attachments`, { token: acme, body: declared });
    expect(refusedName.status, 'a name with control characters is refused').toBe(400);
    declared.filename = 'fix "1.2.3".patch';
    const up = await e.call('POST', `/vendor/cases/${caseId}/attachments`, { token: acme, body: declared });
    expect(up.status, up.text).toBe(201);
    const upload = up.json as Upload;
    expect(new URL(upload.uploadUrl).searchParams.get('X-Amz-Expires')).toBe('300');
    // Other bytes of another length are refused by the bucket itself.
    const wrong = await fetch(upload.uploadUrl, { method: 'PUT', headers: upload.uploadHeaders, body: Buffer.from('rm -rf /') });
    expect(wrong.ok).toBe(false);
    const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: upload.uploadHeaders, body: patch });
    expect(put.status, await put.text()).toBe(200);
    const replied = await e.call('POST', `/vendor/cases/${caseId}/messages`, {
      token: acme,
      body: { body: 'Here is our patch.', inReplyTo: asked.messageId, attachmentIds: [upload.attachmentId] },
    });
    expect(replied.status, replied.text).toBe(202);

    // Nobody the message did not reach can fetch the file: the same 404 as an unknown id.
    const unknown = await e.call('GET', `/reports/${caseId}/attachments/00000000-0000-4000-8000-000000000000`, { token: reporterToken });
    expect(unknown.status).toBe(404);
    for (const [path, token] of [
      [`/reports/${caseId}/attachments/${upload.attachmentId}`, reporterToken],
      [`/vendor/cases/${caseId}/attachments/${upload.attachmentId}`, beta],
      [`/vendor/cases/${caseId}/attachments/${upload.attachmentId}`, distro],
    ] as const) {
      const r = await e.call('GET', path, { token });
      expect(r.status, path).toBe(404);
      expect(r.text).toBe(unknown.text);
    }

    // The coordinators download it: the exact bytes, as an attachment, never inline.
    const got = (await coord('GET', `/attachments/${upload.attachmentId}`, undefined, 200)) as Download;
    expect(got).toMatchObject({ filename: 'fix "1.2.3".patch', size: patch.length, sha256: sha256(patch) });
    expect(new URL(got.downloadUrl).searchParams.get('X-Amz-Expires')).toBe('300');
    const file = await fetch(got.downloadUrl);
    expect(Buffer.from(await file.arrayBuffer()).equals(patch)).toBe(true);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="fix _1.2.3_.patch"; filename*=UTF-8''fix%20%221.2.3%22.patch`,
    );

    // One action passes the vendor's patch to the downstream vendors.
    await coord('POST', '/messages', {
      to: 'downstream',
      body: 'The vendor’s fix, for your builds.',
      attachmentIds: [upload.attachmentId],
    });
    expect(((await e.call('GET', `/vendor/cases/${caseId}`, { token: distro })).json as { unreadMessages: number }).unreadMessages).toBe(1);
    const distroList = (await e.call('GET', `/vendor/cases/${caseId}/messages`, { token: distro })).json as { messages: ListedMessage[] };
    const shared = distroList.messages.find((m) => m.files.length > 0);
    expect(shared?.files).toEqual([expect.objectContaining({ attachmentId: upload.attachmentId, sha256: sha256(patch) })]);
    const distroGot = await e.call('GET', `/vendor/cases/${caseId}/attachments/${upload.attachmentId}`, { token: distro });
    expect(distroGot.status, distroGot.text).toBe(200);
    expect(Buffer.from(await (await fetch((distroGot.json as Download).downloadUrl)).arrayBuffer()).equals(patch)).toBe(true);
    // Beta, not downstream, and the reporter still cannot.
    expect((await e.call('GET', `/vendor/cases/${caseId}/attachments/${upload.attachmentId}`, { token: beta })).status).toBe(404);
    expect((await e.call('GET', `/reports/${caseId}/attachments/${upload.attachmentId}`, { token: reporterToken })).status).toBe(404);
    const betaList = (await e.call('GET', `/vendor/cases/${caseId}/messages`, { token: beta })).json as { messages: ListedMessage[] };
    expect(betaList.messages.flatMap((m) => m.files)).toEqual([]);

    // Unread counts: Acme's question stays unread until Acme opens its list; the downstream vendor has the patch unread.
    const unread = async (token: string) =>
      ((await e.call('GET', `/vendor/cases/${caseId}`, { token })).json as { unreadMessages: number }).unreadMessages;
    expect(await unread(acme)).toBe(1);
    const acmeList = (await e.call('GET', `/vendor/cases/${caseId}/messages`, { token: acme })).json as { messages: ListedMessage[] };
    expect(acmeList.messages.map((m) => m.from).sort()).toEqual(['coordinator', 'you']);
    expect(await unread(acme)).toBe(0);
    expect(await unread(beta)).toBe(0);

    // An internal note's file reaches no participant.
    const note = Buffer.from('triage notes');
    const internal = (await coord(
      'POST',
      '/attachments',
      { filename: 'notes.txt', contentType: 'text/plain', size: note.length, sha256: sha256(note) },
      201,
    )) as Upload;
    expect((await fetch(internal.uploadUrl, { method: 'PUT', headers: internal.uploadHeaders, body: note })).status).toBe(200);
    await coord('POST', '/messages', { to: 'internal', body: 'for us only', attachmentIds: [internal.attachmentId] });
    for (const [path, token] of [
      [`/reports/${caseId}/attachments/${internal.attachmentId}`, reporterToken],
      [`/vendor/cases/${caseId}/attachments/${internal.attachmentId}`, acme],
      [`/vendor/cases/${caseId}/attachments/${internal.attachmentId}`, distro],
    ] as const)
      expect((await e.call('GET', path, { token })).status, path).toBe(404);
    // A participant cannot name another's file in its own message either.
    const borrowed = await e.call('POST', `/vendor/cases/${caseId}/messages`, {
      token: beta,
      body: { body: 'look', attachmentIds: [upload.attachmentId] },
    });
    expect(borrowed.status).toBe(404);
  });

  it('refuses a file whose stored bytes differ from what was declared, and answers the limits with 413', async () => {
    const submitted = await e.call('POST', '/reports', { body: aReportInput() });
    const { caseId, reporterToken } = submitted.json as { caseId: string; reporterToken: string };
    const poc = Buffer.from('proof of concept');
    const declared = {
      filename: 'poc.py',
      contentType: 'text/x-python',
      size: poc.length,
      sha256: sha256(Buffer.from('something else!!')),
    };
    const up = (await e.call('POST', `/reports/${caseId}/attachments`, { token: reporterToken, body: declared })).json as Upload;
    // Same length, other bytes: the stand-in takes them (it checks no digest); the message does not.
    const message = { kind: 'information', body: 'the PoC', attachmentIds: [up.attachmentId] };
    const early = await e.call('POST', `/reports/${caseId}/messages`, { token: reporterToken, body: message });
    expect(early.status, 'not uploaded yet').toBe(409);
    await fetch(up.uploadUrl, { method: 'PUT', headers: up.uploadHeaders, body: poc });
    const mismatch = await e.call('POST', `/reports/${caseId}/messages`, { token: reporterToken, body: message });
    expect(mismatch.status, mismatch.text).toBe(400);
    expect(mismatch.text).toContain('does not match');

    const tooBig = await e.call('POST', `/reports/${caseId}/attachments`, {
      token: reporterToken,
      body: { ...declared, size: 26 * 1024 * 1024 },
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json).toMatchObject({ limit: 'file-size', max: 25 * 1024 * 1024 });
    const many = await e.call('POST', `/reports/${caseId}/messages`, {
      token: reporterToken,
      body: { kind: 'comment', body: 'many', attachmentIds: Array.from({ length: 11 }, (_, i) => `id-${i}`) },
    });
    expect(many.status).toBe(413);
    expect(many.json).toMatchObject({ limit: 'files-per-message', max: 10 });
    // Three files of 25 MiB more fit in the reporter’s 100 MiB on the case; a fourth does not.
    for (let i = 0; i < 3; i++)
      expect(
        (await e.call('POST', `/reports/${caseId}/attachments`, { token: reporterToken, body: { ...declared, size: 25 * 1024 * 1024 } }))
          .status,
      ).toBe(201);
    const over = await e.call('POST', `/reports/${caseId}/attachments`, {
      token: reporterToken,
      body: { ...declared, size: 25 * 1024 * 1024 },
    });
    expect(over.status).toBe(413);
    expect(over.json).toMatchObject({ limit: 'file-bytes-per-case' });
  });

  it('removes the files once the note is published (410 to their readers, gone from the bucket) unless the coordinators keep them', async () => {
    const run = async (keep: boolean) => {
      const submitted = await e.call('POST', '/reports', {
        body: aReportInput({ vendors: [{ name: 'Acme', contactEmail: 'psirt@acme.example', contacted: false }] }),
      });
      const { caseId, reporterToken } = submitted.json as { caseId: string; reporterToken: string };
      const coord = async (method: string, path: string, body?: unknown) => {
        const r = await e.call(method, `/cases/${caseId}${path}`, { token: e.coordinator, ...(body === undefined ? {} : { body }) });
        expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
        return r.json;
      };
      await coord('POST', '/triage', { decision: 'accept', reasons: [], comment: 'we coordinate this' });
      await coord('PUT', '/vendors/vendor-1', { contacts: [{ email: 'psirt@acme.example' }] });
      if (keep) await coord('PUT', '/file-retention', { keep: true });
      const poc = Buffer.from(`proof of concept ${keep}`);
      const up = (
        await e.call('POST', `/reports/${caseId}/attachments`, {
          token: reporterToken,
          body: { filename: 'poc.py', contentType: 'text/x-python', size: poc.length, sha256: sha256(poc) },
        })
      ).json as Upload;
      expect((await fetch(up.uploadUrl, { method: 'PUT', headers: up.uploadHeaders, body: poc })).status).toBe(200);
      const sent = await e.call('POST', `/reports/${caseId}/messages`, {
        token: reporterToken,
        body: { kind: 'comment', body: 'the PoC', attachmentIds: [up.attachmentId] },
      });
      expect(sent.status, sent.text).toBe(202);
      const before = (await coord('GET', `/attachments/${up.attachmentId}`)) as Download;
      // Published at once: the exploit is public.
      await coord('POST', '/signals', { kind: 'exploit-public', evidence: 'https://exploit.example/poc' });
      await e.advance('PT1M');
      await coord('POST', '/publication', { decision: 'approve' });
      // Day by day until it is out (links stay valid 30 days after the case ends).
      for (let day = 0; day < 30 && ((await coord('GET', '')) as { phase: string }).phase !== 'published'; day++) await e.advance('P1D');
      expect(((await coord('GET', '')) as { phase: string }).phase).toBe('published');
      return { caseId, reporterToken, up, before, poc };
    };

    const removed = await run(false);
    const asked = await e.call('GET', `/reports/${removed.caseId}/attachments/${removed.up.attachmentId}`, {
      token: removed.reporterToken,
    });
    expect(asked.status, asked.text).toBe(410);
    expect((await fetch(removed.before.downloadUrl)).status).toBe(404);

    const kept = await run(true);
    const still = await e.call('GET', `/reports/${kept.caseId}/attachments/${kept.up.attachmentId}`, { token: kept.reporterToken });
    expect(still.status, still.text).toBe(200);
    expect(Buffer.from(await (await fetch((still.json as Download).downloadUrl)).arrayBuffer()).equals(kept.poc)).toBe(true);
  });
});
