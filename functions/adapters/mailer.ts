// The mailer: SES (v1 API, which the local emulator serves too) and an in-memory twin.
import { type SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { MailRejected, TransientError, isTransient } from './errors.js';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The recipient's own reply address, when inbound mail is on: SES sets Reply-To. */
  replyTo?: string;
  /** Tags for the configuration set's event destinations (case id, template). */
  tags?: Record<string, string>;
}

export interface Mailer {
  /** Sends one message; resolves to the provider's message id. Throws TransientError or MailRejected. */
  send(mail: OutgoingMail): Promise<string>;
}

const TAG_VALUE = /[^A-Za-z0-9_-]/g;

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<string> {
    if (mail.to.length === 0) throw new MailRejected(`no recipient for "${mail.subject}"`);
    try {
      const out = await this.client.send(
        new SendEmailCommand({
          Source: this.from,
          Destination: { ToAddresses: mail.to },
          ...(mail.replyTo ? { ReplyToAddresses: [mail.replyTo] } : {}),
          Message: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
          },
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
          ...(mail.tags
            ? { Tags: Object.entries(mail.tags).map(([Name, Value]) => ({ Name, Value: Value.replace(TAG_VALUE, '_').slice(0, 256) })) }
            : {}),
        }),
      );
      return out.MessageId ?? '';
    } catch (e) {
      if (isTransient(e)) throw new TransientError(`SES could not send "${mail.subject}" now`, e);
      throw new MailRejected(`SES refused "${mail.subject}" to ${mail.to.join(', ')}: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }
}

/** The in-memory twin: records what was sent; can be told to fail, to test retries. */
export class MemoryMailer implements Mailer {
  readonly sent: (OutgoingMail & { messageId: string })[] = [];
  private failures: Error[] = [];

  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  async send(mail: OutgoingMail): Promise<string> {
    const failure = this.failures.shift();
    // As SesMailer does: a throttling or 5xx failure becomes a TransientError, which the workflow retries.
    if (failure) throw isTransient(failure) ? new TransientError(`could not send "${mail.subject}" now`, failure) : failure;
    if (mail.to.length === 0) throw new MailRejected(`no recipient for "${mail.subject}"`);
    const messageId = `mem-${this.sent.length + 1}`;
    this.sent.push({ ...mail, messageId });
    return messageId;
  }
}
