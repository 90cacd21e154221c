// SES's bounce and complaint notifications (docs/workflow.md "Bounces and complaints"): the
// configuration set every send names publishes them to an SNS topic, which feeds a queue, and the
// mail-feedback function reads them here, a batch of queue messages at a time. A notification is untrusted input: a shape other than SES's is
// logged by its reason and dropped, never thrown (a throw would only be retried). The case comes
// from the `case` tag every send carries (functions/app/mail.ts), which SES echoes in `mail.tags`;
// only a permanent bounce or a complaint marks a contact, and only an address that is a confirmed
// vendor contact on that case (the record-bounce rule, functions/domain/deciders/vendors.ts).
import * as z from 'zod/mini';
import type { BounceKind } from '../domain/case.js';
import { DomainError } from '../domain/errors.js';
import { SYSTEM_ACTOR } from '../domain/events.js';
import type { AppDeps } from './deps.js';
import { submit } from './inbox.js';

/** One address SES gave up on, on one case. */
export interface MailFeedback {
  caseId: string;
  email: string;
  kind: BounceKind;
}

/** Why a notification, or one record of it, marked nothing. Logged as such: an enum, never its content. */
export const DROP_REASONS = ['malformed', 'not-feedback', 'transient-bounce', 'no-case-tag', 'unknown-case', 'not-a-contact'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export type Parsed = { ok: true; feedback: MailFeedback[] } | { ok: false; reason: DropReason };

/** SES's own bounds: at most 50 recipients a message; an address is at most 254 characters. */
const MAX_RECIPIENTS = 50;
const EMAIL = z.string().check(z.maxLength(254), z.regex(/^[^\s@<>",;]+@[^\s@<>",;]+$/));
/** Case ids (VU-…) as the tag carries them: what SesMailer's tag values can hold. */
const CASE_TAG = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));
const recipients = z.array(z.object({ emailAddress: EMAIL })).check(z.minLength(1), z.maxLength(MAX_RECIPIENTS));
const short = (n: number) => z.string().check(z.maxLength(n));

// Event publishing names the type `eventType`; identity notifications `notificationType`.
const Notification = z.object({
  eventType: z.optional(short(32)),
  notificationType: z.optional(short(32)),
  mail: z.object({ tags: z.optional(z.record(short(256), z.array(short(256)).check(z.maxLength(10)))) }),
  bounce: z.optional(z.object({ bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']), bouncedRecipients: recipients })),
  complaint: z.optional(z.object({ complainedRecipients: recipients })),
});

/** A notification as SNS delivers it (the Message string of one record). Pure. */
export function parseNotification(message: string): Parsed {
  if (message.length > 256 * 1024) return { ok: false, reason: 'malformed' };
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const n = Notification.safeParse(raw);
  if (!n.success) return { ok: false, reason: 'malformed' };
  const type = n.data.eventType ?? n.data.notificationType;
  let kind: BounceKind;
  let emails: string[];
  if (type === 'Bounce' && n.data.bounce) {
    // A transient bounce (a full mailbox, a greylisting server) says nothing lasting: SES retries, we keep the contact.
    if (n.data.bounce.bounceType !== 'Permanent') return { ok: false, reason: 'transient-bounce' };
    kind = 'bounce';
    emails = n.data.bounce.bouncedRecipients.map((r) => r.emailAddress);
  } else if (type === 'Complaint' && n.data.complaint) {
    kind = 'complaint';
    emails = n.data.complaint.complainedRecipients.map((r) => r.emailAddress);
  } else if (type === 'Bounce' || type === 'Complaint') return { ok: false, reason: 'malformed' };
  else return { ok: false, reason: 'not-feedback' };
  const tag = n.data.mail.tags?.case;
  const caseId = tag?.length === 1 ? CASE_TAG.safeParse(tag[0]) : null;
  if (!caseId?.success) return { ok: false, reason: 'no-case-tag' };
  const unique = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  return { ok: true, feedback: unique.map((email) => ({ caseId: caseId.data, email, kind })) };
}

/** The queue's delivery: each message's body is one notification, as SNS published it (raw delivery). */
const QueueRecords = z.object({
  Records: z.array(z.object({ messageId: z.string().check(z.maxLength(128)), body: z.string() })).check(z.minLength(1), z.maxLength(100)),
});

/** Every SES notification of a queue delivery, with its message id: each body, or why it was dropped. */
export function notificationsOf(event: unknown): (Parsed & { messageId: string | null })[] {
  const e = QueueRecords.safeParse(event);
  if (!e.success) return [{ ok: false, reason: 'malformed', messageId: null }];
  return e.data.Records.map((r) => ({ ...parseNotification(r.body), messageId: r.messageId }));
}

export interface FeedbackResult {
  /** Contacts newly marked. */
  marked: number;
  dropped: DropReason[];
  /**
   * Messages whose marking failed (the store or Step Functions): the queue delivers only those
   * again, and after five tries moves them to its dead-letter queue, from which they are redriven.
   */
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * Marks each address SES gave up on, on the case its tag names, and wakes the workflow (which tells
 * the coordinators). A wrong shape, an unknown case or an address that is not a contact there
 * changes nothing. Errors of the store or of Step Functions are thrown: the invocation is retried.
 */
export async function recordMailFeedback(deps: AppDeps, event: unknown): Promise<FeedbackResult> {
  const out: FeedbackResult = { marked: 0, dropped: [], batchItemFailures: [] };
  for (const parsed of notificationsOf(event)) {
    if (!parsed.ok) {
      out.dropped.push(parsed.reason);
      deps.telemetry.log(parsed.reason === 'malformed' ? 'warn' : 'info', 'mail feedback dropped', { reason: parsed.reason });
      continue;
    }
    try {
      for (const f of parsed.feedback) await markOne(deps, f, out);
    } catch (e) {
      // Marking is idempotent (an address already marked appends nothing): the whole message can go again.
      if (parsed.messageId === null) throw e;
      out.batchItemFailures.push({ itemIdentifier: parsed.messageId });
      deps.telemetry.log('warn', 'mail feedback failed', { errorName: e instanceof Error ? e.name : 'unknown' });
    }
  }
  return out;
}

async function markOne(deps: AppDeps, f: MailFeedback, out: FeedbackResult): Promise<void> {
  let appended = 0;
  try {
    appended = (await submit(deps, f.caseId, { type: 'record-bounce', email: f.email, kind: f.kind }, SYSTEM_ACTOR)).appended.length;
  } catch (e) {
    if (!(e instanceof DomainError && e.code === 'NotFound')) throw e;
    out.dropped.push('unknown-case');
    deps.telemetry.log('warn', 'mail feedback dropped', { reason: 'unknown-case' });
    return;
  }
  if (appended === 0) {
    out.dropped.push('not-a-contact');
    deps.telemetry.log('info', 'mail feedback dropped', { caseId: f.caseId, reason: 'not-a-contact' });
  } else {
    out.marked += appended;
    deps.telemetry.log('info', 'contact bounced', { caseId: f.caseId, reason: f.kind });
  }
}
