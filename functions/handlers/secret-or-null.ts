// A Secrets Manager secret the operator may not have filled yet (the team's OpenPGP keys): null
// until they put a value (asked again every few minutes, not on every call), then read once per
// container.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerSecret } from '../adapters/link-keys.js';

const ABSENT_FOR_MS = 5 * 60_000;

export function secretOrNull(secretArn: string, what: string): () => Promise<string | null> {
  const read = secretsManagerSecret(new SecretsManagerClient({}), secretArn, what);
  let absentSince: number | undefined;
  return async () => {
    if (absentSince !== undefined && Date.now() - absentSince < ABSENT_FOR_MS) return null;
    try {
      const value = (await read()).trim() || null;
      absentSince = value === null ? Date.now() : undefined;
      return value;
    } catch (e) {
      // A secret created without a value has no AWSCURRENT version: "not put yet".
      if (e instanceof Error && e.name === 'ResourceNotFoundException') {
        absentSince = Date.now();
        return null;
      }
      throw e;
    }
  };
}
