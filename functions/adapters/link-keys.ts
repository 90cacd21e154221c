// Private links: each link's token is derived with HMAC-SHA256 from one secret and what the link
// is for (case, holder, generation). The table keeps only the token's hash, as ever; the secret
// lets the system mail a holder's live link again (reminders, a new draft) instead of minting a
// new one each time, so every contact has exactly one live link, and a new generation (reissue)
// kills the old one. The secret lives in Secrets Manager on AWS, read once per container.
import { createHmac } from 'node:crypto';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LinkHolder } from '../domain/events.js';
import { TransientError, isTransient } from './errors.js';

export interface LinkKeys {
  /** The token of a holder's link of this generation: 256 bits, URL-safe, the same every time. */
  token(caseId: string, holder: LinkHolder, generation: number): Promise<string>;
  /**
   * The routing id of a holder's reply address (functions/app/inbound-routes.ts): 128 bits, lower-case
   * base32, from the same secret with another label, so it is never the token nor leads to it, and a
   * new generation or a revoked link gives it no holder any more.
   */
  routingId(caseId: string, holder: LinkHolder, generation: number): Promise<string>;
}

/** What a link token is derived from; email in lower case so a spelling change keeps the link. */
export const linkMaterial = (caseId: string, holder: LinkHolder, generation: number): string =>
  [
    'cvd-link-v1',
    caseId,
    holder.role,
    holder.role === 'vendor' ? holder.vendorId : '',
    holder.role === 'vendor' ? holder.email.trim().toLowerCase() : '',
    String(generation),
  ].join('\n');

/** A secret shorter than this is a configuration mistake, not a key. */
const MIN_SECRET_BYTES = 32;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** The first 130 bits of a digest as 26 lower-case base32 characters. */
const base32 = (bytes: Buffer): string => {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
};

export function hmacLinkKeys(secret: () => Promise<string>): LinkKeys {
  const mac = async (material: string) => {
    const key = await secret();
    if (Buffer.byteLength(key, 'utf8') < MIN_SECRET_BYTES) throw new Error(`the link secret must be at least ${MIN_SECRET_BYTES} bytes`);
    return createHmac('sha256', key).update(material, 'utf8').digest();
  };
  return {
    async token(caseId, holder, generation) {
      return (await mac(linkMaterial(caseId, holder, generation))).toString('base64url');
    },
    async routingId(caseId, holder, generation) {
      return base32(await mac(`cvd-reply-v1\n${linkMaterial(caseId, holder, generation)}`));
    },
  };
}

/** A secret from Secrets Manager, fetched once per container; a failed fetch is retried next call. */
export function secretsManagerSecret(client: SecretsManagerClient, secretId: string, what = 'the link secret'): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= client.send(new GetSecretValueCommand({ SecretId: secretId })).then(
      (out) => {
        if (!out.SecretString) throw new Error(`${what} has no string value`);
        return out.SecretString;
      },
      (e: unknown) => {
        cached = undefined;
        if (isTransient(e)) throw new TransientError('Secrets Manager is busy', e);
        throw e;
      },
    );
    return cached;
  };
}
