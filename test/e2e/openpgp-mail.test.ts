// OpenPGP on the running local stack: the team's public key is served (/pgp-key.asc) and named in
// security.txt; a vendor contact with a key receives its notification as PGP/MIME through the SES
// stand-in (SendRawEmail), which opens with that contact's private key only and carries the team's
// signature and the full details; a contact of the same vendor without a key gets the minimal
// clear notification.
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeOf, decodedBody, latin1, multipartParts, parseEntity } from '../../functions/adapters/mime.js';
import { type TeamKeyPair, generateTeamKey } from '../../functions/adapters/openpgp-seal.js';
import { aReportInput } from '../builders/case.js';
import { type E2E, type Mail, bootStack } from '../builders/local-stack.js';

let e: E2E;
let contact: TeamKeyPair;
let stranger: TeamKeyPair;
beforeAll(async () => {
  [e, contact, stranger] = await Promise.all([
    bootStack(),
    generateTeamKey({ name: 'Acme PSIRT', email: 'pgp@acme.example' }),
    generateTeamKey({ name: 'Someone', email: 'someone@else.example' }),
  ]);
});
afterAll(async () => {
  await e.stop();
});

const TITLE = 'Stack smash in zzembargoedwidget firmware';

async function coordinator(method: string, path: string, body?: unknown, expected = 202) {
  const r = await e.call(method, path, { token: e.coordinator, ...(body === undefined ? {} : { body }) });
  expect(r.status, `${method} ${path}: ${r.text}`).toBe(expected);
  return r;
}
const mailsTo = async (to: string, caseId: string) =>
  (await e.mail()).filter((m) => m.destination.to.includes(to) && m.subject.includes(`[${caseId}]`));

/** The encrypted part of a PGP/MIME mail as the stand-in keeps it, opened with `key`. */
async function open(m: Mail, key: string, teamPublicKey: string) {
  const part = (m.attachments ?? []).find((a) => a.contentType === 'application/octet-stream');
  expect(part, 'the encrypted part').toBeDefined();
  const message = await openpgp.readMessage({ armoredMessage: Buffer.from(part?.content ?? '', 'base64').toString('utf8') });
  const result = await openpgp.decrypt({
    message,
    decryptionKeys: await openpgp.readPrivateKey({ armoredKey: key }),
    verificationKeys: await openpgp.readKey({ armoredKey: teamPublicKey }),
    format: 'binary',
  });
  const inner = parseEntity(latin1(result.data as Uint8Array));
  const [plain = ''] = multipartParts(inner.body, contentTypeOf(inner).params.boundary ?? '') ?? [];
  return { text: Buffer.from(decodedBody(parseEntity(plain)), 'latin1').toString('utf8'), verified: await result.signatures[0]?.verified };
}

describe('OpenPGP mail on the local stack', () => {
  it('serves the team key and names it in security.txt', async () => {
    const key = await e.call('GET', '/pgp-key.asc');
    expect(key.status).toBe(200);
    expect(key.headers.get('content-type')).toBe('application/pgp-keys');
    const pub = await openpgp.readKey({ armoredKey: key.text });
    expect(pub.isPrivate()).toBe(false);
    expect((await e.call('GET', '/.well-known/security.txt')).text).toMatch(/^Encryption: .+\/pgp-key\.asc$/m);
  });

  it('mails a contact with a key encrypted and signed, with the details; its keyless colleague the minimal clear notice', async () => {
    const teamKey = (await e.call('GET', '/pgp-key.asc')).text;
    const r = await e.call('POST', '/reports', { body: aReportInput({ title: TITLE, vendors: [{ name: 'Acme', contacted: false }] }) });
    expect(r.status, r.text).toBe(201);
    const { caseId } = r.json as { caseId: string };
    await e.advance('PT0S');
    await coordinator('POST', `/cases/${caseId}/triage`, { decision: 'accept', reasons: [], comment: 'we coordinate this' });
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, {
      contacts: [{ email: 'pgp@acme.example', pgpKey: contact.publicKey }, { email: 'plain@acme.example' }],
    });
    await e.advance('PT0S');

    const [sealed] = await mailsTo('pgp@acme.example', caseId);
    expect(sealed?.subject).toBe(`[${caseId}] Vulnerability report for your organization`);
    expect(JSON.stringify(sealed)).not.toContain('zzembargoedwidget');
    const { text, verified } = await open(sealed!, contact.privateKey, teamKey);
    expect(verified).toBe(true);
    expect(text).toContain(`Report: ${TITLE}`);
    expect(text).toMatch(/\/vendor#token=/);
    await expect(open(sealed!, stranger.privateKey, teamKey)).rejects.toThrow();

    const [clear] = await mailsTo('plain@acme.example', caseId);
    expect(clear?.subject).toBe(sealed?.subject);
    expect(clear?.body.text).toMatch(/\/vendor#token=/);
    expect(clear?.body.text).not.toContain('zzembargoedwidget');
  });
});
