// The SES mailer for functions that send e-mail (MAIL_FROM, MAIL_CONFIGURATION_SET from bindMailer).
import { SESClient } from '@aws-sdk/client-ses';
import { type Mailer, SesMailer } from '../adapters/mailer.js';
import type { Env } from './runtime.js';

export const sesMailer = (env: Env): Mailer =>
  new SesMailer(new SESClient({}), env.MAIL_FROM ?? 'cvd@example.org', env.MAIL_CONFIGURATION_SET || undefined);
