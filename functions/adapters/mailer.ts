// The mailer: SES (v1 API, which the local emulator serves too) and an in-memory twin. A mail
// with `encryptTo` goes out as PGP/MIME through SendRawEmail, sealed with the team's OpenPGP key
// (functions/adapters/openpgp-seal.ts), loaded only when such a mail is sent.
import { type SESClient, SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { MailRejected, TransientError, isTransient } from './errors.js';
import type { SealInput } from './openpgp-seal.js';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The recipient's own reply address, when inbound mail is on: SES sets Reply-To. */
  replyTo?: string;
  /** Tags for the configuration set's event destinations (case id, template). */
  tags?: Record<string, string>;
  /** The one recipient's armored OpenPGP key: sent PGP/MIME, encrypted to it and signed by the team. */
  encryptTo?: string;
}

export interface Mailer {
  /** Sends one message; resolves to the provider's message id. Throws TransientError or MailRejected. */
  send(mail: OutgoingMail): Promise<string>;
  /**
   * Why a mail to a recipient with this key cannot go out encrypted (no team key configured, the
   * recipient's key unusable), or null when it can. A mailer without it never encrypts.
   */
  sealProblem?(recipientKey: string): Promise<string | null>;
}

/** sealProblem's answer when the deployment has no team key: mail goes out as it always did, and nothing is logged. */
export const NO_TEAM_KEY = 'no team key is configured';

export interface TeamKeySource {
  /** Null when a mail to a recipient with this key can go out encrypted; otherwise why not. */
  sealProblem(recipientKey: string): Promise<string | null>;
  /** The whole PGP/MIME message. Throws when there is no team key or the recipient's key is unusable. */
  seal(mail: SealInput, recipientKey: string): Promise<Uint8Array>;
}

const TAG_VALUE = /[^A-Za-z0-9_-]/g;

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
    private readonly teamKey?: TeamKeySource,
  ) {}

  sealProblem(recipientKey: string): Promise<string | null> {
    return this.teamKey ? this.teamKey.sealProblem(recipientKey) : Promise.resolve(NO_TEAM_KEY);
  }

  async send(mail: OutgoingMail): Promise<string> {
    if (mail.to.length === 0) throw new MailRejected(`no recipient for "${mail.subject}"`);
    const common = {
      ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      ...(mail.tags
        ? { Tags: Object.entries(mail.tags).map(([Name, Value]) => ({ Name, Value: Value.replace(TAG_VALUE, '_').slice(0, 256) })) }
        : {}),
    };
    const raw = mail.encryptTo === undefined ? null : await sealed(this.teamKey, mail, this.from);
    try {
      if (raw) {
        const out = await this.client.send(
          new SendRawEmailCommand({ Source: this.from, Destinations: mail.to, RawMessage: { Data: raw }, ...common }),
        );
        return out.MessageId ?? '';
      }
      const out = await this.client.send(
        new SendEmailCommand({
          Source: this.from,
          Destination: { ToAddresses: mail.to },
          ...(mail.replyTo ? { ReplyToAddresses: [mail.replyTo] } : {}),
          Message: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
          },
          ...common,
        }),
      );
      return out.MessageId ?? '';
    } catch (e) {
      if (isTransient(e)) throw new TransientError(`SES could not send "${mail.subject}" now`, e);
      throw new MailRejected(`SES refused "${mail.subject}" to ${mail.to.join(', ')}: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }
}

/** The sealed message for one recipient; a key that cannot be used now is a wiring bug (sealProblem said yes). */
async function sealed(teamKey: TeamKeySource | undefined, mail: OutgoingMail, from: string): Promise<Uint8Array> {
  const [to] = mail.to;
  if (!teamKey || mail.to.length !== 1 || to === undefined || mail.encryptTo === undefined)
    throw new Error('an encrypted mail needs the team key and exactly one recipient');
  return teamKey.seal(
    { from, to, subject: mail.subject, text: mail.text, html: mail.html, ...(mail.replyTo ? { replyTo: mail.replyTo } : {}) },
    mail.encryptTo,
  );
}

/** The in-memory twin: records what was sent (an encrypted mail with its sealed bytes); can be told to fail, to test retries. */
export class MemoryMailer implements Mailer {
  readonly sent: (OutgoingMail & { messageId: string; raw?: Uint8Array })[] = [];
  private failures: Error[] = [];

  constructor(
    private readonly teamKey?: TeamKeySource,
    private readonly from = 'cvd@localhost.test',
  ) {}

  sealProblem(recipientKey: string): Promise<string | null> {
    return this.teamKey ? this.teamKey.sealProblem(recipientKey) : Promise.resolve(NO_TEAM_KEY);
  }

  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  async send(mail: OutgoingMail): Promise<string> {
    const failure = this.failures.shift();
    // As SesMailer does: a throttling or 5xx failure becomes a TransientError, which the workflow retries.
    if (failure) throw isTransient(failure) ? new TransientError(`could not send "${mail.subject}" now`, failure) : failure;
    if (mail.to.length === 0) throw new MailRejected(`no recipient for "${mail.subject}"`);
    const messageId = `mem-${this.sent.length + 1}`;
    const raw = mail.encryptTo === undefined ? undefined : await sealed(this.teamKey, mail, this.from);
    this.sent.push({ ...mail, messageId, ...(raw ? { raw } : {}) });
    return messageId;
  }
}
