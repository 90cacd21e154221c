// The local stand-in for SES receiving (lib/inbound-mail.ts): an SMTP listener on 127.0.0.1 that
// accepts mail for the inbound domain, stores each message in the S3 stand-in where the S3 action
// would, and hands the inbound function the receipt SES would. It only listens on loopback, so
// whoever sends is someone on this machine: the verdicts it reports are PASS (SPF, DKIM, DMARC,
// spam, virus). The failed-verdict path is tested by calling the handler with FAIL verdicts.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SMTPServer } from 'smtp-server';
import { MAX_RAW_BYTES } from '../../functions/app/inbound-received.js';

export interface LocalSmtp {
  server: SMTPServer;
  port: number;
  close(): Promise<void>;
}

/** A receipt as SES's Lambda action delivers it: the message is in the bucket under prefix + messageId. */
export function sesReceiptEvent(o: {
  messageId: string;
  source: string;
  recipients: string[];
  at: string;
  verdict?: 'PASS' | 'FAIL';
}): object {
  const v = { status: o.verdict ?? 'PASS' };
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: { timestamp: o.at, source: o.source, messageId: o.messageId, destination: o.recipients },
          receipt: {
            timestamp: o.at,
            recipients: o.recipients,
            spfVerdict: v,
            dkimVerdict: v,
            dmarcVerdict: v,
            spamVerdict: { status: 'PASS' },
            virusVerdict: { status: 'PASS' },
            action: { type: 'Lambda', invocationType: 'Event' },
          },
        },
      },
    ],
  };
}

export async function startLocalSmtp(opts: {
  port: number;
  domain: string;
  bucket: string;
  objectPrefix: string;
  s3Endpoint: string;
  now: () => string;
  /** The inbound function's handler: resolves when it has dealt with the message. */
  receive: (event: object) => Promise<unknown>;
  log?: (message: string) => void;
}): Promise<LocalSmtp> {
  const s3 = new S3Client({
    endpoint: opts.s3Endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const domain = opts.domain.toLowerCase();
  const server = new SMTPServer({
    name: 'cvd-coordinator.local',
    banner: 'cvd-coordinator local inbound',
    // Loopback only and no TLS certificate: no AUTH, no STARTTLS.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_RAW_BYTES,
    logger: false,
    // As SES's rule: only addresses of the inbound domain are taken.
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase().endsWith(`@${domain}`)) callback();
      else callback(Object.assign(new Error(`550 this server takes mail for @${domain} only`), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error('552 message too large'), { responseCode: 552 }));
          return;
        }
        const messageId = `local-${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
        const mailFrom = session.envelope.mailFrom;
        const event = sesReceiptEvent({
          messageId,
          source: mailFrom ? mailFrom.address : '',
          recipients: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          at: opts.now(),
        });
        // Handled before the answer, so a sender (or a test) sees its effect once the server said 250.
        s3.send(new PutObjectCommand({ Bucket: opts.bucket, Key: `${opts.objectPrefix}${messageId}`, Body: Buffer.concat(chunks) }))
          .then(() => opts.receive(event))
          .then(
            () => callback(),
            (e: unknown) => {
              opts.log?.(`inbound mail failed: ${e instanceof Error ? e.message : String(e)}`);
              callback(Object.assign(new Error('451 could not process the message; try again'), { responseCode: 451 }));
            },
          );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        s3.destroy();
      }),
  };
}
