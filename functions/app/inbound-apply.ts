// What a received message may do (functions/app/inbound-mail.ts): a report to the intake address
// opens a case through the same intake as POST /reports; a reply to a participant's own reply
// address becomes that participant's message, through the same rules, quotas and file checks as
// the API. Anything that may not be applied is held, never half-applied.
import { createHash, randomUUID } from 'node:crypto';
import { sha256Hex } from '../adapters/event-store.js';
import { type AttachmentRecord, MAX_FILENAME, contentTypeProblem, fileKey, filenameProblem } from '../domain/attachments.js';
import { readerKey, readerOf } from '../domain/audience.js';
import { type CaseState, MAX_MESSAGE_SUMMARIES, OPEN_PHASES } from '../domain/case.js';
import { DomainError } from '../domain/errors.js';
import type { Actor, LinkHolder } from '../domain/events.js';
import { MAIL_MISSING_FIELDS, type ReplyRoute, cleanText, clip, titleOf, trimQuoted } from '../domain/inbound-mail.js';
import { LIMITS } from '../domain/limits.js';
import { type Report, ReportSchema } from '../domain/report.js';
import { MAX_FILES_PER_CASE, MAX_FILES_PER_MESSAGE } from './attachments.js';
import { REPORTER, createCase, newCaseId } from './api/reports.js';
import type { AppDeps } from './deps.js';
import { holderOfRoute } from './inbound-routes.js';
import { type InboundDeps, type InboundOutcome, type Received, fromIsAuthentic, hold, openPgp, reportVouched } from './inbound-received.js';
import { QuotaExceededError, postParticipantMessage, submitConversation } from './messages.js';

/** A version-4-shaped UUID from 16 bytes of a digest: the shape every message id has. */
function uuidOf(digest: Uint8Array): string {
  const b = Buffer.from(digest.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Over the upload limits (per file, files per message): the hold reason, or null when within them. */
function overLimits(deps: AppDeps, m: Received): 'too-large' | 'too-many-files' | null {
  if (m.attachments.length > MAX_FILES_PER_MESSAGE) return 'too-many-files';
  if (m.attachments.some((a) => a.content.byteLength > deps.policy.fileBytesMax || a.content.byteLength === 0)) return 'too-large';
  return null;
}

/** A name an upload could have had: one clean segment, within the limit; never the sender's path. */
const safeFilename = (name: string): string => {
  const base = cleanText(name, false).split(/[/\\]/).pop()?.trim() ?? '';
  const cut = [...base].slice(0, MAX_FILENAME).join('');
  return filenameProblem(cut) === null ? cut : 'attachment';
};

/**
 * The message's attachments as the writer's files on the case, as an upload would make them: the
 * writer's bytes counted, a record, the file in the bucket. Their ids, for the message to name.
 */
async function storeAttachments(deps: AppDeps, s: CaseState, actor: Actor, m: Received): Promise<string[] | 'quota'> {
  const owner = readerKey(readerOf(actor));
  const ids: string[] = [];
  for (const a of m.attachments) {
    const size = a.content.byteLength;
    const over = await deps.files.records.reserveBytes(s.caseId, owner, size, {
      bytes: deps.policy.fileBytesPerCase,
      files: MAX_FILES_PER_CASE,
    });
    if (over) return 'quota';
    const type = a.mimeType.toLowerCase();
    const record: AttachmentRecord = {
      caseId: s.caseId,
      attachmentId: randomUUID(),
      owner,
      filename: safeFilename(a.filename),
      contentType: contentTypeProblem(type) === null ? type : 'application/octet-stream',
      size,
      sha256: createHash('sha256').update(a.content).digest('hex'),
      createdAt: deps.now(),
      verified: false,
      grants: [],
    };
    await deps.files.records.create(record);
    await deps.files.store.store(fileKey(s.caseId, record.attachmentId), a.content, record);
    ids.push(record.attachmentId);
  }
  return ids;
}

/**
 * A report by e-mail: the subject is the title, the text the description, the sender the
 * reporter. The form's required fields a mail cannot carry (product, vendors, the service asked
 * for) are left empty and recorded as missing; the acknowledgement asks for them and triage shows
 * them. The sender's domain must vouch for the mail (SPF or DKIM), so nobody opens a case, and
 * has it acknowledged, in another's name; a sender opens at most the acknowledgement limit a day.
 */
export async function openReport(deps: AppDeps, inbound: InboundDeps, received: Received): Promise<InboundOutcome> {
  const v = received.verdicts;
  if (v.virus === 'FAIL' || v.spam === 'FAIL' || !reportVouched(v)) return hold(deps, inbound, received, 'auth-failed', null);
  const day = deps.now().slice(0, 10);
  const ok = await deps.content.consumeMailQuota(
    sha256Hex(`inbound-report\n${received.from.address}`),
    day,
    deps.policy.acknowledgementsPerAddressPerDay,
  );
  if (!ok) return { kind: 'dropped', reason: 'rate-limited' };
  const opened = await openPgp(inbound, received, []);
  if (typeof opened === 'string') return hold(deps, inbound, received, opened, null);
  const m = opened ?? received;
  const limit = overLimits(deps, m);
  if (limit) return hold(deps, inbound, m, limit, null);

  const title = titleOf(m.subject) || 'Report by e-mail (no subject)';
  const description = clip(m.text.trim(), LIMITS.text) || '(the e-mail had no text)';
  // The same schema as the form, on what a mail can say; the fields it cannot say are placeholders
  // here only to pass the form's rules, and are stored empty.
  const parsed = ReportSchema.safeParse({
    reporter: { email: m.from.address, name: [...m.from.name].slice(0, LIMITS.short).join('') },
    product: { name: 'missing' },
    vendors: [{ name: 'missing' }],
    requestedService: 'coordination',
    title,
    description,
  });
  if (!parsed.success) return hold(deps, inbound, m, 'unreadable', null);
  const report: Report = { ...parsed.data, product: { name: '', version: '' }, vendors: [] };
  // The case id follows from the stored message: a receipt Lambda retries after a failure midway
  // finds the case the first attempt opened, and finishes it, rather than opening another.
  const caseId = newCaseId((n) => createHash('sha256').update(`inbound-case\n${received.objectKey}`).digest().subarray(0, n));
  const earlier = await deps.store.load(caseId);
  const created = earlier
    ? { caseId }
    : await createCase(deps, report, { newCaseId: () => caseId }, { channel: 'email', missing: [...MAIL_MISSING_FIELDS] });
  if (m.attachments.length > 0 && !(earlier && earlier.state.messageCount > 0)) {
    const loaded = await deps.store.load(created.caseId);
    if (loaded) {
      const ids = await storeAttachments(deps, loaded.state, REPORTER, m);
      if (ids !== 'quota')
        await postParticipantMessage(
          deps,
          loaded.state,
          REPORTER,
          { type: 'add-comment', body: 'Files attached to the report by e-mail.' },
          ids,
        );
    }
  }
  // Starting is idempotent by name, as for POST /reports: the workflow registers and acknowledges.
  await deps.signals.start(created.caseId, { caseId: created.caseId });
  return { kind: 'case-opened', caseId: created.caseId };
}

/**
 * A reply to a participant's reply address: applied only when the address names a live holder on
 * that case, the sender is that holder's address, and SES's checks say the From is authentic
 * (DMARC, with SPF or DKIM); then the text above the quoted history, and the files, become their
 * message on the case. Otherwise held with the reason.
 */
export async function applyReply(deps: AppDeps, inbound: InboundDeps, received: Received, route: ReplyRoute): Promise<InboundOutcome> {
  const loaded = await deps.store.load(route.caseId);
  if (!loaded) return hold(deps, inbound, received, 'unknown-route', null);
  const s = loaded.state;
  const found = await holderOfRoute(deps, s, route.routingId);
  if (!found) return hold(deps, inbound, received, 'unknown-route', s.caseId);
  if (found.revoked) return hold(deps, inbound, received, 'revoked', s.caseId);
  const v = received.verdicts;
  if (v.virus === 'FAIL' || v.spam === 'FAIL' || !fromIsAuthentic(v)) return hold(deps, inbound, received, 'auth-failed', s.caseId);
  if (received.from.address !== found.email.trim().toLowerCase()) return hold(deps, inbound, received, 'wrong-sender', s.caseId);
  if (!OPEN_PHASES.includes(s.phase)) return hold(deps, inbound, received, 'case-closed', s.caseId);

  const senderKeys = pgpKeysOf(s, found.holder);
  const opened = await openPgp(inbound, received, senderKeys);
  if (typeof opened === 'string') return hold(deps, inbound, received, opened, s.caseId);
  const m = opened ?? received;
  const limit = overLimits(deps, m);
  if (limit) return hold(deps, inbound, m, limit, s.caseId);
  const body = clip(trimQuoted(m.text), LIMITS.text);
  if (body === '' && m.attachments.length === 0) return hold(deps, inbound, m, 'unreadable', s.caseId);

  const actor: Actor = found.holder.role === 'reporter' ? REPORTER : { role: 'vendor', participant: found.holder.vendorId };
  // The message id follows from the stored mail, as a report's case id does: a receipt Lambda
  // retries after a failure midway finishes the first attempt's message instead of posting it twice.
  const messageId = uuidOf(createHash('sha256').update(`inbound-reply\n${received.objectKey}`).digest());
  const added = { kind: 'message-added' as const, caseId: s.caseId, messageId };
  try {
    if (s.comments.some((c) => c.messageId === messageId)) return added;
    // Stored, not yet on the case: the first attempt stopped between the two (its files are the message's).
    const stored = await deps.content.getMessage(s.caseId, messageId);
    if (stored) {
      if (!(await recordedEarlier(deps, s, messageId)))
        await submitConversation(deps, s.caseId, { type: 'add-comment', body: stored.body, messageId }, actor);
      return added;
    }
    const ids = await storeAttachments(deps, s, actor, m);
    if (ids === 'quota') return hold(deps, inbound, m, 'quota', s.caseId);
    await postParticipantMessage(deps, s, actor, { type: 'add-comment', body: body || '(files only)' }, ids, messageId);
    return added;
  } catch (e) {
    if (e instanceof QuotaExceededError) return hold(deps, inbound, m, 'quota', s.caseId);
    if (e instanceof DomainError) return hold(deps, inbound, m, 'case-closed', s.caseId);
    throw e;
  }
}

/**
 * Whether the message is on the case though its summary is not among the snapshot's latest: a
 * receipt delivered again after that many later messages. Rare, so the log is read only then.
 */
async function recordedEarlier(deps: AppDeps, s: CaseState, messageId: string): Promise<boolean> {
  if (s.messageCount < MAX_MESSAGE_SUMMARIES) return false;
  let after: number | null = 0;
  while (after !== null) {
    const page = await deps.store.readEvents(s.caseId, { afterSeq: after, limit: 500 });
    if (page.events.some((e) => e.type === 'comment-added' && e.messageId === messageId)) return true;
    after = page.nextAfterSeq;
  }
  return false;
}

/** The OpenPGP keys the case knows for a holder: the reporter's from the report, a contact's from the vendor. */
function pgpKeysOf(s: CaseState, holder: LinkHolder): string[] {
  if (holder.role === 'reporter') return s.report?.reporter.pgpKey ? [s.report.reporter.pgpKey] : [];
  const v = s.vendors.find((x) => x.vendorId === holder.vendorId);
  const c = v?.contacts.find((x) => x.email.trim().toLowerCase() === holder.email.trim().toLowerCase());
  return c?.pgpKey ? [c.pgpKey] : [];
}
