// The SES mailer for functions that send e-mail (MAIL_FROM, MAIL_CONFIGURATION_SET from bindMailer),
// sealing mail to recipients with an OpenPGP key with the team key (PGP_KEY_SECRET_ARN, lib/pgp-key.ts).
import { parseMailEnv } from '../environment.js';
import { SESClient } from '@aws-sdk/client-ses';
import { type Mailer, SesMailer } from '../adapters/mailer.js';
import { teamKeySource } from '../adapters/team-key.js';
import { envPart } from './env.js';
import { part } from './parts.js';
import { secretOrNull } from './secret-or-null.js';

export const sesMailer = part<Mailer>('mail', () => {
  const { mailFrom, mailConfigurationSet, pgpKeySecretArn } = envPart('mail', parseMailEnv);
  const teamKey = pgpKeySecretArn ? teamKeySource(secretOrNull(pgpKeySecretArn, 'the team OpenPGP key')) : undefined;
  return new SesMailer(new SESClient({}), mailFrom, mailConfigurationSet, teamKey);
});
