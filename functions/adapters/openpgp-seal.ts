// The team's OpenPGP key and outbound sealing: a notification for one recipient with a key becomes
// an RFC 3156 PGP/MIME message (multipart/encrypted), encrypted to that recipient's key only and
// signed with the team key. Keys are ECC curve25519 in the widely read (RFC 4880) form, so every
// OpenPGP implementation in use, GnuPG 2.2 included, reads them.
import { randomBytes } from 'node:crypto';
import type * as OpenPgp from 'openpgp';
import { address, alternative, bytesOf, oneLine, pgpEncrypted, unstructured } from './mime.js';

/**
 * openpgp.js, loaded on first use: a mail function pays its import (about 120 ms cold, README
 * "Benchmarks") only when it mails someone with a key.
 */
const pgp = (): Promise<typeof OpenPgp> => import('openpgp');

export interface TeamKeyPair {
  /** Armored private key (unprotected: Secrets Manager, or the local data folder, protects it). */
  privateKey: string;
  publicKey: string;
}

/** A new team key pair: ECC curve25519 (EdDSA signing key, ECDH encryption subkey), no expiry. */
export async function generateTeamKey(user: { name: string; email: string }): Promise<TeamKeyPair> {
  const { privateKey, publicKey } = await (await pgp()).generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: oneLine(user.name), email: address(user.email) }],
    format: 'armored',
  });
  return { privateKey, publicKey };
}

/** Why an armored text is not a public key we can encrypt to now (expired, revoked, no encryption key…), or null. */
export async function publicKeyProblem(armored: string): Promise<string | null> {
  let key: OpenPgp.Key;
  try {
    key = await (await pgp()).readKey({ armoredKey: armored });
  } catch (e) {
    return `is not a readable OpenPGP key (${e instanceof Error ? e.message : String(e)})`;
  }
  if (key.isPrivate()) return 'is a private key: give the public key only';
  try {
    await key.getEncryptionKey();
  } catch {
    return 'has no usable encryption key (expired, revoked, or signing only)';
  }
  return null;
}

/**
 * The armored private keys in the team key's secret, newest first: after a rotation the secret
 * holds the new key followed by the previous one, so mail encrypted to the old key still opens.
 * Sealing signs with the first.
 */
export const privateKeyBlocks = (secret: string): string[] =>
  secret.match(/-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]*?-----END PGP PRIVATE KEY BLOCK-----/g) ?? [];

/** The team's public key, armored, from its private key. */
export async function publicKeyOf(armoredPrivate: string): Promise<string> {
  return (await (await pgp()).readPrivateKey({ armoredKey: armoredPrivate })).toPublic().armor();
}

/** One notification for one recipient, as the mailer composes it. */
export interface SealInput {
  from: string;
  to: string;
  /** The outer, readable subject: fixed words and the case id only. */
  subject: string;
  text: string;
  html: string;
  /** The recipient's own reply address (inbound mail on), outside the encryption like From and To. */
  replyTo?: string;
  date?: Date;
}

const boundary = () => `cvd-${randomBytes(12).toString('hex')}`;

/** Seals notifications with the team's key. */
export class MailSealer {
  private signing: Promise<OpenPgp.PrivateKey>;

  /** teamPrivateKey: the secret's text; the first armored private key in it signs. */
  constructor(teamPrivateKey: string) {
    this.signing = pgp().then((o) => o.readPrivateKey({ armoredKey: privateKeyBlocks(teamPrivateKey)[0] ?? teamPrivateKey }));
    this.signing.catch(() => undefined);
  }

  /**
   * The whole RFC 5322 message, ready for SendRawEmail. Throws when the recipient's key cannot be
   * encrypted to (malformed, expired, revoked): the caller then falls back to the clear notification.
   */
  async seal(mail: SealInput, recipientKey: string): Promise<Uint8Array> {
    const openpgp = await pgp();
    const recipient = await openpgp.readKey({ armoredKey: recipientKey });
    const inner = alternative(mail.text, mail.html, boundary());
    const armored = await openpgp.encrypt({
      message: await openpgp.createMessage({ binary: bytesOf(Buffer.from(inner, 'utf8').toString('latin1')) }),
      encryptionKeys: recipient,
      signingKeys: await this.signing,
      format: 'armored',
    });
    const outer = pgpEncrypted(armored, boundary());
    const head = [
      `From: ${address(mail.from)}`,
      `To: ${address(mail.to)}`,
      `Subject: ${unstructured(mail.subject)}`,
      ...(mail.replyTo ? [`Reply-To: ${address(mail.replyTo)}`] : []),
      `Date: ${(mail.date ?? new Date()).toUTCString()}`,
      'MIME-Version: 1.0',
      `Content-Type: ${outer.contentType}`,
    ];
    return new Uint8Array(Buffer.from(`${head.join('\r\n')}\r\n\r\n${outer.body}`, 'utf8'));
  }
}
