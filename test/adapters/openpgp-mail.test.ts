// OpenPGP mail, both ways: a sealed notification opens with its recipient's private key only and
// carries the team's signature; inbound PGP/MIME (encrypted, signed) and inline armor open, with
// each signature outcome; plain mail is not ours to open; garbage PGP throws; hostile header
// strings stay data.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { multipartParts, parseEntity, contentTypeOf, decodedBody, latin1 } from '../../functions/adapters/mime.js';
import { PgpMailOpener } from '../../functions/adapters/openpgp-mail.js';
import { MailSealer, type TeamKeyPair, generateTeamKey, publicKeyProblem } from '../../functions/adapters/openpgp-seal.js';
import { teamKeySource } from '../../functions/adapters/team-key.js';
import { localTeamKey } from '../../lib/local/secrets-service.js';

let team: TeamKeyPair;
let alice: TeamKeyPair; // a vendor contact or a reporter
let mallory: TeamKeyPair; // someone else

beforeAll(async () => {
  [team, alice, mallory] = await Promise.all([
    generateTeamKey({ name: 'CVD team', email: 'cvd@coord.test' }),
    generateTeamKey({ name: 'Alice', email: 'alice@vendor.test' }),
    generateTeamKey({ name: 'Mallory', email: 'mallory@evil.test' }),
  ]);
});

const text = (raw: Uint8Array) => Buffer.from(raw).toString('utf8');
const priv = (k: string) => openpgp.readPrivateKey({ armoredKey: k });
const pub = (k: string) => openpgp.readKey({ armoredKey: k });

/** The inner entity of a sealed message, decrypted with `key`, and the signatures' checks against the team key. */
async function unseal(raw: Uint8Array, key: string) {
  const outer = parseEntity(latin1(raw));
  const parts = multipartParts(outer.body, contentTypeOf(outer).params.boundary ?? '') ?? [];
  const message = await openpgp.readMessage({ armoredMessage: decodedBody(parseEntity(parts[1] ?? '')) });
  const result = await openpgp.decrypt({
    message,
    decryptionKeys: await priv(key),
    verificationKeys: await pub(team.publicKey),
    format: 'binary',
  });
  const inner = parseEntity(latin1(result.data as Uint8Array));
  const [plain = ''] = multipartParts(inner.body, contentTypeOf(inner).params.boundary ?? '') ?? [];
  return {
    outer,
    parts,
    inner,
    plain: Buffer.from(decodedBody(parseEntity(plain)), 'latin1').toString('utf8'),
    verified: await result.signatures[0]?.verified,
  };
}

const headers = (lines: string[]) => lines.join('\r\n');
const OUTER = [
  'From: Alice <alice@vendor.test>',
  'To: cvd@coord.test',
  'Subject: Re: [VU-1] report',
  'Message-ID: <m1@vendor.test>',
  'X-Trace: dropped',
];

async function encryptTo(data: string, signedBy?: TeamKeyPair): Promise<string> {
  return (await openpgp.encrypt({
    message: await openpgp.createMessage({ text: data }),
    encryptionKeys: await pub(team.publicKey),
    ...(signedBy ? { signingKeys: await priv(signedBy.privateKey) } : {}),
  })) as string;
}

const pgpMime = (armored: string) =>
  new TextEncoder().encode(
    headers([
      ...OUTER,
      'MIME-Version: 1.0',
      'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b1"',
      '',
      '--b1',
      'Content-Type: application/pgp-encrypted',
      '',
      'Version: 1',
      '--b1',
      'Content-Type: application/octet-stream',
      '',
      armored,
      '--b1--',
      '',
    ]),
  );

const INNER = 'Content-Type: text/plain; charset=utf-8\r\n\r\nThe heap overflow is in parse_header().\r\n';

async function multipartSigned(entity: string, by: TeamKeyPair, tamper = false): Promise<string> {
  const signature = await openpgp.sign({
    message: await openpgp.createMessage({ binary: new TextEncoder().encode(entity) }),
    signingKeys: await priv(by.privateKey),
    detached: true,
  });
  return headers([
    'Content-Type: multipart/signed; micalg=pgp-sha512; protocol="application/pgp-signature"; boundary="s1"',
    '',
    '--s1',
    tamper ? entity.replace('heap', 'stack') : entity,
    '--s1',
    'Content-Type: application/pgp-signature',
    '',
    signature as string,
    '--s1--',
    '',
  ]);
}

describe('sealing a notification', () => {
  it('encrypts to the recipient only, signed by the team; the subject stays the minimal one', async () => {
    const sealer = new MailSealer(team.privateKey);
    const raw = await sealer.seal(
      {
        from: 'cvd@coord.test',
        to: 'alice@vendor.test',
        subject: '[VU-1] New message',
        text: 'Détails: overflow in parse()',
        html: '<p>x</p>',
      },
      alice.publicKey,
    );
    const { outer, parts, inner, plain, verified } = await unseal(raw, alice.privateKey);
    expect(contentTypeOf(outer)).toMatchObject({ type: 'multipart/encrypted', params: { protocol: 'application/pgp-encrypted' } });
    expect(parts[0]).toContain('Version: 1');
    expect(contentTypeOf(inner).type).toBe('multipart/alternative');
    expect(plain).toBe('Détails: overflow in parse()');
    expect(verified).toBe(true);
    expect(text(raw)).not.toContain('overflow');
    await expect(unseal(raw, mallory.privateKey)).rejects.toThrow();
  });

  it("carries the recipient's own reply address outside the encryption, and refuses one that is not a plain address", async () => {
    const sealer = new MailSealer(team.privateKey);
    const mail = { from: 'cvd@coord.test', to: 'alice@vendor.test', subject: '[VU-1] New message', text: 't', html: 'h' };
    const raw = await sealer.seal({ ...mail, replyTo: 'case+vu-1.abcdefghijklmnopqrstuvwxyz@cert.example' }, alice.publicKey);
    expect(parseEntity(latin1(raw)).headers.find((h) => h.name === 'Reply-To')?.value).toBe(
      'case+vu-1.abcdefghijklmnopqrstuvwxyz@cert.example',
    );
    expect(parseEntity(latin1(await sealer.seal(mail, alice.publicKey))).headers.map((h) => h.name)).not.toContain('Reply-To');
    await expect(sealer.seal({ ...mail, replyTo: 'a@b.test\r\nBcc: mallory@evil.test' }, alice.publicKey)).rejects.toThrow(/address/);
  });

  it('keeps CR/LF in a subject or address from becoming a header', async () => {
    const sealer = new MailSealer(team.privateKey);
    const raw = await sealer.seal(
      { from: 'cvd@coord.test', to: 'alice@vendor.test', subject: '[VU-1] hi\r\nBcc: mallory@evil.test\r\n\r\nbody', text: 't', html: 'h' },
      alice.publicKey,
    );
    const outer = parseEntity(latin1(raw));
    expect(outer.headers.map((h) => h.name.toLowerCase())).not.toContain('bcc');
    expect(outer.headers.find((h) => h.name === 'Subject')?.value).toBe('[VU-1] hi Bcc: mallory@evil.test body');
    await expect(
      sealer.seal(
        { from: 'cvd@coord.test', to: 'alice@vendor.test\r\nBcc: mallory@evil.test', subject: 's', text: 't', html: 'h' },
        alice.publicKey,
      ),
    ).rejects.toThrow(/address/);
  });

  it('throws on a recipient key it cannot encrypt to, and says why a key is unusable', async () => {
    const sealer = new MailSealer(team.privateKey);
    await expect(
      sealer.seal({ from: 'cvd@coord.test', to: 'a@b.test', subject: 's', text: 't', html: 'h' }, 'not a key'),
    ).rejects.toThrow();
    expect(await publicKeyProblem(alice.publicKey)).toBeNull();
    expect(await publicKeyProblem(alice.privateKey)).toMatch(/private key/);
    expect(await publicKeyProblem('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----')).toMatch(
      /not a readable/,
    );
    const expired = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ email: 'old@x.test' }],
      keyExpirationTime: 1,
      date: new Date(Date.now() - 10_000),
      format: 'armored',
    });
    expect(await publicKeyProblem(expired.publicKey)).toMatch(/no usable encryption key/);
    await expect(
      sealer.seal({ from: 'cvd@coord.test', to: 'a@b.test', subject: 's', text: 't', html: 'h' }, expired.publicKey),
    ).rejects.toThrow();
  });
});

describe('opening inbound mail', () => {
  const opener = () => new PgpMailOpener([team.privateKey]);

  it('PGP/MIME encrypted and signed inside: decrypted, outer headers kept, signature valid against the sender key', async () => {
    const opened = await opener().open(pgpMime(await encryptTo(INNER, alice)), [alice.publicKey]);
    expect(opened).toMatchObject({ encrypted: true, signature: 'valid' });
    const raw = text(opened?.raw ?? new Uint8Array());
    expect(raw).toContain('Subject: Re: [VU-1] report');
    expect(raw).toContain('Message-ID: <m1@vendor.test>');
    expect(raw).not.toContain('X-Trace');
    expect(raw).toContain('Content-Type: text/plain; charset=utf-8');
    expect(raw).toContain('The heap overflow is in parse_header().');
  });

  it('signature outcomes: none, unknown-key, invalid', async () => {
    expect((await opener().open(pgpMime(await encryptTo(INNER)), [alice.publicKey]))?.signature).toBe('none');
    expect((await opener().open(pgpMime(await encryptTo(INNER, mallory)), [alice.publicKey]))?.signature).toBe('unknown-key');
    expect((await opener().open(pgpMime(await encryptTo(INNER, mallory)), []))?.signature).toBe('unknown-key');
    // Signed (multipart/signed) then encrypted, with the signed part altered after signing.
    const tampered = await multipartSigned(INNER, alice, true);
    expect(await opener().open(pgpMime(await encryptTo(tampered)), [alice.publicKey])).toMatchObject({
      encrypted: true,
      signature: 'invalid',
    });
    const intact = await multipartSigned(INNER, alice);
    const opened = await opener().open(pgpMime(await encryptTo(intact)), [alice.publicKey]);
    expect(opened).toMatchObject({ encrypted: true, signature: 'valid' });
    expect(text(opened?.raw ?? new Uint8Array())).toContain('The heap overflow');
  });

  it('PGP/MIME signed, not encrypted: verified over the exact part bytes', async () => {
    const msg = (body: string) => new TextEncoder().encode(`${headers(OUTER)}\r\n${body}`);
    const valid = await opener().open(msg(await multipartSigned(INNER, alice)), [alice.publicKey]);
    expect(valid).toMatchObject({ encrypted: false, signature: 'valid' });
    expect(text(valid?.raw ?? new Uint8Array())).toContain('The heap overflow');
    expect((await opener().open(msg(await multipartSigned(INNER, alice, true)), [alice.publicKey]))?.signature).toBe('invalid');
    expect((await opener().open(msg(await multipartSigned(INNER, mallory)), [alice.publicKey]))?.signature).toBe('unknown-key');
    // A bare-LF copy of the same mail (as some relays store it) verifies over its CRLF form.
    const lf = new TextEncoder().encode(`${headers(OUTER)}\r\n${await multipartSigned(INNER, alice)}`.replace(/\r\n/g, '\n'));
    expect((await opener().open(lf, [alice.publicKey]))?.signature).toBe('valid');
  });

  it('inline armor in a text/plain body: encrypted, or clear-signed', async () => {
    const inline = (body: string) =>
      new TextEncoder().encode(
        `${headers([...OUTER, 'Content-Type: text/plain; charset=utf-8'])}\r\n\r\nHello,\r\n${body.trimEnd()}\r\nBye\r\n`,
      );
    const opened = await opener().open(inline(await encryptTo('Secret détail', alice)), [alice.publicKey]);
    expect(opened).toMatchObject({ encrypted: true, signature: 'valid' });
    const entity = parseEntity(latin1(opened?.raw ?? new Uint8Array()));
    expect(Buffer.from(decodedBody(entity), 'latin1').toString('utf8')).toBe('Hello,\r\nSecret détail\r\nBye\r\n');
    const clear = await openpgp.sign({
      message: await openpgp.createCleartextMessage({ text: 'I agree to the date.' }),
      signingKeys: await priv(alice.privateKey),
    });
    const signed = await opener().open(inline(clear), [alice.publicKey]);
    expect(signed).toMatchObject({ encrypted: false, signature: 'valid' });
    expect(Buffer.from(decodedBody(parseEntity(latin1(signed?.raw ?? new Uint8Array()))), 'latin1').toString('utf8')).toContain(
      'I agree to the date.',
    );
    expect((await opener().open(inline(clear.replace('agree', 'refuse')), [alice.publicKey]))?.signature).toBe('invalid');
  });

  it("after a rotation, the secret's previous key still opens mail encrypted to it", async () => {
    const next = await generateTeamKey({ name: 'CVD team', email: 'cvd@coord.test' });
    const rotated = new PgpMailOpener(`${next.privateKey}\n${team.privateKey}`);
    expect(await rotated.open(pgpMime(await encryptTo(INNER)), [])).toMatchObject({ encrypted: true, signature: 'none' });
    // The new key signs what goes out.
    const raw = await new MailSealer(`${next.privateKey}\n${team.privateKey}`).seal(
      { from: 'cvd@coord.test', to: 'alice@vendor.test', subject: 's', text: 't', html: 'h' },
      alice.publicKey,
    );
    const outer = parseEntity(latin1(raw));
    const parts = multipartParts(outer.body, contentTypeOf(outer).params.boundary ?? '') ?? [];
    const message = await openpgp.readMessage({ armoredMessage: decodedBody(parseEntity(parts[1] ?? '')) });
    const result = await openpgp.decrypt({
      message,
      decryptionKeys: await priv(alice.privateKey),
      verificationKeys: await pub(next.publicKey),
    });
    expect(await result.signatures[0]?.verified).toBe(true);
  });

  it('inline armor in the text/plain part of a multipart/alternative (a client that adds HTML)', async () => {
    const armored = await encryptTo('Détail inline', alice);
    const raw = new TextEncoder().encode(
      headers([
        ...OUTER,
        'Content-Type: multipart/alternative; boundary="a1"',
        '',
        '--a1',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        armored.replace(/=/g, '=3D'),
        '--a1',
        'Content-Type: text/html',
        '',
        '<pre>armored</pre>',
        '--a1--',
        '',
      ]),
    );
    const opened = await opener().open(raw, [alice.publicKey]);
    expect(opened).toMatchObject({ encrypted: true, signature: 'valid' });
    expect(Buffer.from(decodedBody(parseEntity(latin1(opened?.raw ?? new Uint8Array()))), 'latin1').toString('utf8')).toContain(
      'Détail inline',
    );
    const plainAlternative = new TextEncoder().encode(
      headers([
        ...OUTER,
        'Content-Type: multipart/alternative; boundary="a1"',
        '',
        '--a1',
        'Content-Type: text/plain',
        '',
        'hi',
        '--a1--',
        '',
      ]),
    );
    expect(await opener().open(plainAlternative, [])).toBeNull();
  });

  it('plain mail is not PGP: null; PGP it cannot decrypt: throws', async () => {
    const plain = new TextEncoder().encode(`${headers(OUTER)}\r\n\r\nJust text.\r\n`);
    expect(await opener().open(plain, [])).toBeNull();
    const html = new TextEncoder().encode(`${headers([...OUTER, 'Content-Type: text/html'])}\r\n\r\n<p>hi</p>\r\n`);
    expect(await opener().open(html, [])).toBeNull();
    await expect(opener().open(pgpMime('-----BEGIN PGP MESSAGE-----\n\nZ2FyYmFnZQ==\n-----END PGP MESSAGE-----'), [])).rejects.toThrow();
    // Encrypted to someone else's key.
    const other = (await openpgp.encrypt({
      message: await openpgp.createMessage({ text: 'x' }),
      encryptionKeys: await pub(mallory.publicKey),
    })) as string;
    await expect(opener().open(pgpMime(other), [])).rejects.toThrow();
  });

  it('reads hostile shapes in one pass: BEGIN lines without an END, a Content-Type without one "="', async () => {
    // Each would rescan the rest of the message from every position with a backtracking pattern:
    // hours at these sizes, so a return at all is the proof (no timing is asserted).
    const begins = '-----BEGIN PGP MESSAGE-----\r\n'.repeat(200_000);
    expect(await opener().open(new TextEncoder().encode(`${headers(OUTER)}\r\n\r\n${begins}`), [])).toBeNull();
    const params = `Content-Type: multipart/encrypted; ${'a'.repeat(1_000_000)}`;
    await expect(opener().open(new TextEncoder().encode(`${headers([...OUTER, params])}\r\n\r\nx\r\n`), [])).rejects.toThrow(
      /multipart\/encrypted without its encrypted part/,
    );
  });

  it('refuses to inflate a compressed bomb past the cap', async () => {
    const big = new Uint8Array(11 * 1024 * 1024); // zeros: compresses to almost nothing
    const armored = (await openpgp.encrypt({
      message: await openpgp.createMessage({ binary: big }),
      encryptionKeys: await pub(team.publicKey),
      config: { preferredCompressionAlgorithm: openpgp.enums.compression.zlib },
    })) as string;
    expect(armored.length).toBeLessThan(200_000);
    await expect(opener().open(pgpMime(armored), [])).rejects.toThrow();
  });
});

describe('the team key source', () => {
  it('reads the secret once; "no key put yet" is believed for five minutes, then asked again', async () => {
    let now = 0;
    let reads = 0;
    let value: string | null = null;
    const source = teamKeySource(
      async () => {
        reads++;
        return value;
      },
      () => now,
    );
    expect(await source.sealProblem(alice.publicKey)).toBe('no team key is configured');
    await expect(
      source.seal({ from: 'cvd@coord.test', to: 'a@b.test', subject: 's', text: 't', html: 'h' }, alice.publicKey),
    ).rejects.toThrow(/no team key/);
    expect(reads).toBe(1);
    value = team.privateKey;
    now = 4 * 60_000;
    expect(await source.sealProblem(alice.publicKey)).toBe('no team key is configured');
    now = 6 * 60_000;
    expect(await source.sealProblem(alice.publicKey)).toBeNull();
    expect(await source.sealProblem(mallory.privateKey)).toMatch(/^the recipient's key is a private key/);
    expect(await source.sealProblem('garbage')).toMatch(/^the recipient's key is not a readable OpenPGP key/);
    expect(reads).toBe(2);
  });
});

describe('the local team key', () => {
  it('is made on the first start under the data folder (private key mode 600) and read back after', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cvd-pgp-'));
    try {
      const first = await localTeamKey(dir, { name: 'Local CVD', email: 'cvd@localhost.test' });
      expect(statSync(path.join(dir, 'pgp', 'private.asc')).mode & 0o777).toBe(0o600);
      expect(await localTeamKey(dir, { name: 'Local CVD', email: 'cvd@localhost.test' })).toEqual(first);
      expect(await publicKeyProblem(first.publicKey)).toBeNull();
      // In memory: a fresh pair each time.
      expect((await localTeamKey(null, { name: 'x', email: 'cvd@localhost.test' })).privateKey).not.toBe(first.privateKey);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
