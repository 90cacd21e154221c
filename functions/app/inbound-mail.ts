// Mail received on the inbound domain (docs/workflow.md "Reports and replies by e-mail"). SES's
// receipt rule stores each message in the inbound bucket, then invokes this function with the
// receipt (the verdicts, the recipients); the local runtime's SMTP listener does the same. Each
// message is one of: dropped (a loop: auto-replies, bounces, our own mail; or a flood past the
// sender's limit), held for a coordinator (anything that may not be applied: failed checks, an
// unknown or revoked reply address, the wrong sender, encrypted without a key, over a limit), or
// applied (a report to the intake address opens a case; a reply becomes that participant's message).
// Nothing it received is ever structure: subject and text are data, as from the report form.
import * as z from 'zod/mini';
import { addressed, loopReason } from '../domain/inbound-mail.js';
import type { AppDeps } from './deps.js';
import { applyReply, openReport } from './inbound-apply.js';
import { type InboundDeps, type InboundOutcome, MAX_RAW_BYTES, type Received, type Verdicts, hold, parseMail } from './inbound-received.js';

export type { InboundDecryptor, OpenedMail } from './inbound-received.js';

const Verdict = z.object({ status: z.string().check(z.maxLength(32)) });
const SesRecord = z.object({
  eventSource: z.literal('aws:ses'),
  ses: z.object({
    mail: z.object({ messageId: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,200}$/)), source: z.string().check(z.maxLength(320)) }),
    receipt: z.object({
      recipients: z.array(z.string().check(z.maxLength(320))).check(z.minLength(1), z.maxLength(50)),
      spfVerdict: Verdict,
      dkimVerdict: Verdict,
      dmarcVerdict: Verdict,
      spamVerdict: z.optional(Verdict),
      virusVerdict: z.optional(Verdict),
    }),
  }),
});
const SesEvent = z.object({ Records: z.array(SesRecord).check(z.minLength(1), z.maxLength(10)) });
export type SesReceipt = z.infer<typeof SesRecord>;

/** Every message of an SES receipt event; a shape other than SES's is logged and dropped, never thrown. */
/** More MIME delimiter lines than any message within the file limits needs (files per message, nested alternatives). */
const MAX_DELIMITER_LINES = 500;

/** Lines that start with "--", as MIME part delimiters do: counted on the bytes, in one pass. */
export function delimiterLines(raw: Uint8Array): number {
  let n = 0;
  for (let i = 0; i + 2 < raw.length; i++) if (raw[i] === 0x0a && raw[i + 1] === 0x2d && raw[i + 2] === 0x2d) n++;
  return n;
}

export async function receiveMail(deps: AppDeps, inbound: InboundDeps, event: unknown): Promise<InboundOutcome[]> {
  const e = SesEvent.safeParse(event);
  if (!e.success) {
    deps.telemetry.log('warn', 'inbound mail dropped', { reason: 'malformed' });
    return [{ kind: 'dropped', reason: 'malformed' }];
  }
  const out: InboundOutcome[] = [];
  for (const r of e.data.Records) {
    const outcome = await receiveOne(deps, inbound, r);
    deps.telemetry.log(outcome.kind === 'held' ? 'warn' : 'info', `inbound mail ${outcome.kind}`, {
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
      ...('caseId' in outcome ? { caseId: outcome.caseId } : {}),
    });
    out.push(outcome);
  }
  return out;
}

async function receiveOne(deps: AppDeps, inbound: InboundDeps, r: SesReceipt): Promise<InboundOutcome> {
  const objectKey = `${inbound.objectPrefix}${r.ses.mail.messageId}`;
  const raw = await inbound.raw.get(objectKey);
  if (raw === null) return { kind: 'dropped', reason: 'malformed' };
  const rc = r.ses.receipt;
  const verdicts: Verdicts = {
    spf: rc.spfVerdict.status,
    dkim: rc.dkimVerdict.status,
    dmarc: rc.dmarcVerdict.status,
    spam: rc.spamVerdict?.status ?? 'DISABLED',
    virus: rc.virusVerdict?.status ?? 'DISABLED',
  };
  const recipients = rc.recipients.map((x) => x.trim().toLowerCase());
  const base = { objectKey, raw, verdicts, recipients };
  // What is known of a message held without its content read: the envelope sender only.
  const unread: Received = {
    ...base,
    from: { address: r.ses.mail.source.toLowerCase(), name: '' },
    subject: '',
    headers: {},
    contentType: '',
    text: '',
    attachments: [],
  };
  // Too big, or cut into so many parts that parsing would copy each into memory before any limit
  // applies: held unparsed, under the envelope sender.
  const unparsed = raw.byteLength > MAX_RAW_BYTES ? 'too-large' : delimiterLines(raw) > MAX_DELIMITER_LINES ? 'too-many-files' : null;
  if (unparsed) return hold(deps, inbound, unread, unparsed, null);
  let parsed: Received;
  try {
    parsed = { ...base, ...(await parseMail(raw)) };
  } catch {
    return hold(deps, inbound, unread, 'unreadable', null);
  }
  // Loops first: an auto-reply or a bounce is never kept, whatever it was sent to.
  const loop = loopReason(parsed.headers, parsed.from.address, [...inbound.ownAddresses, inbound.intakeAddress]);
  if (loop) return { kind: 'dropped', reason: loop };
  // Nobody outside writes from our own domain; such mail would be one of our messages coming back.
  if (parsed.from.address.endsWith(`@${inbound.domain}`)) return { kind: 'dropped', reason: 'own-address' };
  if (parsed.from.address === '') return hold(deps, inbound, parsed, 'unreadable', null);
  // One message, one action: a reply address wins over the intake address when both are named.
  const targets = recipients.map((x) => addressed(x, inbound.domain, inbound.intakeAddress));
  const reply = targets.find((t) => t.kind === 'reply');
  if (reply?.kind === 'reply') return applyReply(deps, inbound, parsed, reply.route);
  if (targets.some((t) => t.kind === 'intake')) return openReport(deps, inbound, parsed);
  return hold(deps, inbound, parsed, 'not-addressed', null);
}
