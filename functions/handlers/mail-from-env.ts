// The SES mailer for functions that send e-mail (MAIL_FROM, MAIL_CONFIGURATION_SET from bindMailer),
// sealing mail to recipients with an OpenPGP key with the team key (PGP_KEY_SECRET_ARN, lib/pgp-key.ts).
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { secretsManagerSecret } from '../adapters/link-keys.js';
import { type Mailer, SesMailer } from '../adapters/mailer.js';
import { type TeamKeySource, teamKeySource } from '../adapters/team-key.js';
import { envPart } from './env.js';
import { part } from './parts.js';

/** A secret that exists but has no value yet: the operator has not put one. */
export function secretOrNull(secretArn: string, what: string): () => Promise<string | null> {
  const read = secretsManagerSecret(new SecretsManagerClient({}), secretArn, what);
  return async () => {
    try {
      return (await read()).trim() || null;
    } catch (e) {
      if (e instanceof Error && e.name === 'ResourceNotFoundException') return null;
      throw e;
    }
  };
}

export const sesMailer = part<Mailer>('mail', () => {
  const { mailFrom, mailConfigurationSet, pgpKeySecretArn } = envPart('mail');
  const teamKey: TeamKeySource | undefined = pgpKeySecretArn
    ? teamKeySource(secretOrNull(pgpKeySecretArn, 'the team OpenPGP key'))
    : undefined;
  return new SesMailer(new SESClient({}), mailFrom, mailConfigurationSet, teamKey);
});
