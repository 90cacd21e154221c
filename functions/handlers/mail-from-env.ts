// The SES mailer for functions that send e-mail (MAIL_FROM, MAIL_CONFIGURATION_SET from bindMailer).
import { SESClient } from '@aws-sdk/client-ses';
import { type Mailer, SesMailer } from '../adapters/mailer.js';
import { envPart } from './env.js';
import { part } from './parts.js';

export const sesMailer = part<Mailer>('mail', () => {
  const { mailFrom, mailConfigurationSet } = envPart('mail');
  return new SesMailer(new SESClient({}), mailFrom, mailConfigurationSet);
});
