// Outbound OpenPGP through the real API and workflow steps: a vendor contact with a key gets the
// full-detail notification encrypted to that key alone and signed by the team; a contact without
// a key gets the minimal clear one, exactly as without OpenPGP; a contact whose key cannot be used
// (expired) gets the clear minimal notice too, and the reason is logged; the reporter with a key
// gets their mail encrypted; without a team key nothing is encrypted. The subject stays minimal.
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentTypeOf, decodedBody, latin1, multipartParts, parseEntity } from '../../functions/adapters/mime.js';
import { type TeamKeyPair, generateTeamKey } from '../../functions/adapters/openpgp-seal.js';
import { preScreen } from '../../functions/app/prescreen.js';
import * as wf from '../../functions/app/workflow.js';
import { type TestApp, aTestApp } from '../builders/app.js';
import { aReportInput } from '../builders/case.js';
import { COORDINATOR_CALLER, call } from '../builders/http.js';

let team: TeamKeyPair;
let keyed: TeamKeyPair;
let other: TeamKeyPair;
let reporter: TeamKeyPair;
let expired: string;

beforeAll(async () => {
  const pair = (email: string) => generateTeamKey({ name: 'x', email });
  [team, keyed, other, reporter] = await Promise.all([
    pair('team@cvd.example'),
    pair('keyed@acme.example'),
    pair('o@acme.example'),
    pair('rep@example.org'),
  ]);
  expired = (
    await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ email: 'old@acme.example' }],
      keyExpirationTime: 1,
      date: new Date(Date.now() - 60_000),
      format: 'armored',
    })
  ).publicKey;
});

const SECRET_TITLE = 'Heap overflow in the parser of zzsecretproduct';

/** A case whose vendor has three contacts (key, none, expired key), contacted through the workflow. */
async function contacted(app: TestApp) {
  const input = aReportInput({
    title: SECRET_TITLE,
    reporter: {
      name: 'Rita <evil@evil.example>, Bcc: evil@evil.example',
      email: 'rep@example.org',
      pgpKey: reporter.publicKey,
      credit: 'named',
    },
    vendors: [{ name: 'Acme', contacted: false }],
  });
  const submitted = await call(app.deps, 'POST', '/reports', { body: input });
  expect(submitted.status, submitted.raw).toBe(201);
  const { caseId } = submitted.body as { caseId: string };
  await wf.registerCase(app.deps, { caseId });
  await preScreen(app.deps, { caseId });
  const coord = (method: 'POST' | 'PUT', path: string, body: unknown, params: Record<string, string> = {}) =>
    call(app.deps, method, path, { params: { caseId, ...params }, caller: COORDINATOR_CALLER, body });
  expect((await coord('POST', '/cases/{caseId}/triage', { decision: 'accept', reasons: [], comment: 'ok' })).status).toBe(202);
  await wf.advance(app.deps, { caseId });
  const contacts = [
    { email: 'keyed@acme.example', name: 'Keyed; Subject: hi', pgpKey: keyed.publicKey },
    { email: 'plain@acme.example' },
    { email: 'old@acme.example', pgpKey: expired },
  ];
  const put = await coord('PUT', '/cases/{caseId}/vendors/{vendorId}', { contacts }, { vendorId: 'vendor-1' });
  expect(put.status, put.raw).toBe(202);
  await wf.advance(app.deps, { caseId });
  return caseId;
}

async function open(raw: Uint8Array, key: string) {
  const outer = parseEntity(latin1(raw));
  const [, encrypted = ''] = multipartParts(outer.body, contentTypeOf(outer).params.boundary ?? '') ?? [];
  const message = await openpgp.readMessage({ armoredMessage: decodedBody(parseEntity(encrypted)) });
  const result = await openpgp.decrypt({
    message,
    decryptionKeys: await openpgp.readPrivateKey({ armoredKey: key }),
    verificationKeys: await openpgp.readKey({ armoredKey: team.publicKey }),
    format: 'binary',
  });
  const inner = parseEntity(latin1(result.data as Uint8Array));
  const [plain = ''] = multipartParts(inner.body, contentTypeOf(inner).params.boundary ?? '') ?? [];
  return {
    outer,
    text: Buffer.from(decodedBody(parseEntity(plain)), 'latin1').toString('utf8'),
    verified: await result.signatures[0]?.verified,
  };
}

describe('outbound OpenPGP mail', () => {
  it('encrypts the full notification to the contact with a key only; the others get the minimal clear one', async () => {
    const app = aTestApp(undefined, { teamKey: team.privateKey });
    const caseId = await contacted(app);
    const to = (address: string) => app.mailer.sent.filter((m) => m.to.includes(address) && m.tags?.template === 'vendor-notification');

    const [sealed] = to('keyed@acme.example');
    expect(sealed?.raw).toBeDefined();
    expect(sealed?.to).toEqual(['keyed@acme.example']);
    const raw = sealed?.raw ?? new Uint8Array();
    const { outer, text, verified } = await open(raw, keyed.privateKey);
    expect(verified).toBe(true);
    expect(text).toContain(`Report: ${SECRET_TITLE}`);
    expect(text).toContain('/vendor#token=');
    // The readable outside: the minimal subject, no detail; nobody else's key opens it.
    expect(outer.headers.find((h) => h.name === 'Subject')?.value).toBe(`[${caseId}] Vulnerability report for your organization`);
    expect(Buffer.from(raw).toString('utf8')).not.toContain('zzsecretproduct');
    await expect(open(raw, other.privateKey)).rejects.toThrow();

    for (const address of ['plain@acme.example', 'old@acme.example']) {
      const [clear] = to(address);
      expect(clear?.raw, address).toBeUndefined();
      expect(clear?.encryptTo, address).toBeUndefined();
      expect(clear?.text, address).not.toContain('zzsecretproduct');
      expect(clear?.subject, address).toBe(sealed?.subject);
    }
    // The unusable key is not silent.
    expect(app.telemetry.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'mail sent without encryption',
        fields: expect.objectContaining({ caseId, reason: 'recipient-key-unusable' }),
      }),
    );
  });

  it("encrypts the reporter's mail to the reporter's key, with the full details", async () => {
    const app = aTestApp(undefined, { teamKey: team.privateKey });
    await contacted(app);
    const mails = app.mailer.sent.filter((m) => m.to.includes('rep@example.org'));
    expect(mails.length).toBeGreaterThan(0);
    for (const m of mails) {
      expect(m.raw, m.tags?.template).toBeDefined();
      const { text } = await open(m.raw ?? new Uint8Array(), reporter.privateKey);
      expect(text).toContain('/status#token=');
    }
  });

  it('without a team key, nothing is encrypted and every participant gets the clear minimal mail', async () => {
    const app = aTestApp();
    await contacted(app);
    expect(app.mailer.sent.length).toBeGreaterThan(0);
    for (const m of app.mailer.sent) {
      expect(m.raw).toBeUndefined();
      if (!m.to.includes('coord@cert.example')) expect(m.text).not.toContain('zzsecretproduct');
    }
    expect(app.telemetry.logs.filter((l) => l.message === 'mail sent without encryption')).toEqual([]);
  });
});
