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

export function hmacLinkKeys(secret: () => Promise<string>): LinkKeys {
  return {
    async token(caseId, holder, generation) {
      const key = await secret();
      if (Buffer.byteLength(key, 'utf8') < MIN_SECRET_BYTES) throw new Error(`the link secret must be at least ${MIN_SECRET_BYTES} bytes`);
      return createHmac('sha256', key)
        .update(linkMaterial(caseId, holder, generation), 'utf8')
        .digest('base64url');
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
