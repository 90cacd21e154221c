// A received message as the inbound function reads it (functions/app/inbound-mail.ts): parsed with
// postal-mime, HTML reduced to text, OpenPGP opened by the decryptor when there is one, and what is
// kept of it when it is held for a coordinator rather than applied.
import { randomUUID } from 'node:crypto';
import PostalMime from 'postal-mime';
import { sha256Hex } from '../adapters/event-store.js';
import type { HeldMail, HeldMailStore, RawMailStore } from '../adapters/inbound-mail-store.js';
import { type HoldReason, type InboundDropReason, type Headers, cleanText, clip, htmlToText, isPgp } from '../domain/inbound-mail.js';
import { LIMITS } from '../domain/limits.js';
import type { AppDeps } from './deps.js';

/** What the OpenPGP part provides (decryption and signature checks); absent, encrypted mail is held. */
export interface InboundDecryptor {
  /** raw: the whole received message. null when it is neither PGP/MIME (multipart/encrypted or multipart/signed) nor inline PGP. Throws when it is PGP but cannot be decrypted. */
  open(raw: Uint8Array, senderKeys: readonly string[]): Promise<OpenedMail | null>;
}
export interface OpenedMail {
  /** A complete RFC 5322 message to parse instead of raw: the outer headers (From, To, Subject, Date, Message-ID, In-Reply-To, References, Auto-Submitted) with the decrypted content. */
  raw: Uint8Array;
  encrypted: boolean;
  /** 'valid': verified against one of senderKeys; 'invalid': did not verify; 'unknown-key': signed by a key not in senderKeys; 'none': not signed. */
  signature: 'valid' | 'invalid' | 'unknown-key' | 'none';
}

export interface InboundDeps {
  raw: RawMailStore;
  held: HeldMailStore;
  /** The inbound domain and its intake address, lower case. */
  domain: string;
  intakeAddress: string;
  /** Our own sender address: mail from it is a loop. */
  ownAddresses: readonly string[];
  /** Where the receipt rule's S3 action puts a message: this prefix and SES's message id. */
  objectPrefix: string;
  decryptor?: InboundDecryptor;
}

/** Where the receipt rule's S3 action puts each message: this prefix and SES's message id (lib/inbound-mail.ts). */
export const INBOUND_OBJECT_PREFIX = 'mail/';

/** The whole message, as the S3 action stores it: SES accepts up to 40 MB; more than this is held unread. */
export const MAX_RAW_BYTES = 40 * 1024 * 1024;
/** Held items per sender per UTC day: past it a sender's mail is dropped, so holding cannot flood the table either. */
export const HELD_PER_SENDER_PER_DAY = 20;
/** Held items in all per UTC day: unauthenticated senders are free to change address, so there is a ceiling too. */
export const HELD_PER_DAY = 1000;

export interface Verdicts {
  spf: string;
  dkim: string;
  dmarc: string;
  spam: string;
  virus: string;
}

/** What became of one message; logged by kind and reason, never its content. */
export type InboundOutcome =
  | { kind: 'dropped'; reason: InboundDropReason | 'rate-limited' | 'malformed' }
  | { kind: 'held'; reason: HoldReason; heldId: string }
  | { kind: 'case-opened'; caseId: string }
  | { kind: 'message-added'; caseId: string; messageId: string };

/** A received message, parsed: what the rest reads of it. */
export interface Received {
  objectKey: string;
  raw: Uint8Array;
  verdicts: Verdicts;
  recipients: string[];
  from: { address: string; name: string };
  subject: string;
  headers: Headers;
  contentType: string;
  /** Plain text (HTML reduced to text when there is no text part), control characters removed. */
  text: string;
  attachments: { filename: string; mimeType: string; content: Uint8Array }[];
}

/** SPF or DKIM passed, so the sender's domain vouches for the mail. */
export const domainVouches = (v: Verdicts) => v.spf === 'PASS' || v.dkim === 'PASS';
/**
 * What a report needs: a domain vouches for it, and the From domain does not disown it (DMARC FAIL:
 * the From domain publishes a policy this mail breaks, so someone else's domain vouched). A domain
 * without a DMARC policy (GRAY) cannot be checked further: its reports are taken, as by the form.
 */
export const reportVouched = (v: Verdicts) => v.dmarc !== 'FAIL' && domainVouches(v);
/** DMARC passed (SPF or DKIM aligned with the From domain): what a reply needs to speak for a participant. */
export const fromIsAuthentic = (v: Verdicts) => v.dmarc === 'PASS' && domainVouches(v);

/**
 * Whether the From we read is the one SES's DMARC check read: exactly one From header, holding one
 * address, written out in it. An address that only an encoded word spells, or a second From (header
 * or address), could pass DMARC for one domain while we compare another: such mail names no sender
 * here, so it is never a participant's reply nor anyone's report, only held.
 */
function plainFrom(headers: readonly { key: string; value: string }[], address: string): boolean {
  const fromHeaders = headers.filter((h) => h.key === 'from');
  const value = fromHeaders[0]?.value.toLowerCase() ?? '';
  return fromHeaders.length === 1 && address !== '' && value.includes(address.trim().toLowerCase()) && value.split('@').length === 2;
}

export async function parseMail(raw: Uint8Array): Promise<Omit<Received, 'objectKey' | 'raw' | 'verdicts' | 'recipients'>> {
  const mail = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer', maxNestingDepth: 20 });
  const headers: Record<string, string> = {};
  for (const h of mail.headers) if (!(h.key in headers)) headers[h.key] = h.value.slice(0, 1000);
  const parsed = mail.from && 'address' in mail.from && mail.from.address ? mail.from : { address: '', name: '' };
  const from = plainFrom(mail.headers, parsed.address) ? parsed : { address: '', name: parsed.name ?? '' };
  const text = mail.text?.trim() ? mail.text : mail.html ? htmlToText(mail.html) : '';
  return {
    from: { address: from.address.trim().toLowerCase(), name: cleanText(from.name ?? '', false) },
    subject: mail.subject ?? '',
    headers,
    contentType: headers['content-type'] ?? 'text/plain',
    text: cleanText(text, true),
    attachments: mail.attachments
      .filter((a) => a.disposition !== 'inline' || a.filename)
      .map((a) => ({
        filename: a.filename ?? 'attachment',
        mimeType: a.mimeType,
        content: typeof a.content === 'string' ? new TextEncoder().encode(a.content) : new Uint8Array(a.content),
      })),
  };
}

/**
 * Keeps the message for a coordinator: bounded metadata and text, the reason; the raw message
 * stays in the bucket until its lifecycle rule expires it. Past a sender's daily count it is
 * dropped instead, so nobody can fill the table by mailing us.
 */
export async function hold(
  deps: AppDeps,
  inbound: InboundDeps,
  m: Received,
  reason: HoldReason,
  caseId: string | null,
): Promise<InboundOutcome> {
  const at = deps.now();
  const day = at.slice(0, 10);
  const allowed =
    (await deps.content.consumeMailQuota(sha256Hex(`inbound-held\n${m.from.address}`), day, HELD_PER_SENDER_PER_DAY)) &&
    (await deps.content.consumeMailQuota(sha256Hex('inbound-held-all'), day, HELD_PER_DAY));
  if (!allowed) return { kind: 'dropped', reason: 'rate-limited' };
  const item: HeldMail = {
    heldId: randomUUID(),
    at,
    reason,
    from: [...m.from.address].slice(0, LIMITS.email).join(''),
    to: m.recipients.join(', ').slice(0, 1000),
    subject: [...cleanText(m.subject, false)].slice(0, LIMITS.short).join(''),
    text: clip(m.text.trim(), LIMITS.text),
    caseId,
    verdicts: { spf: m.verdicts.spf, dkim: m.verdicts.dkim, dmarc: m.verdicts.dmarc },
    attachments: m.attachments
      .slice(0, 20)
      .map((a) => ({ filename: [...cleanText(a.filename, false)].slice(0, 200).join(''), size: a.content.byteLength })),
    objectKey: m.objectKey,
  };
  await inbound.held.put(item);
  return { kind: 'held', reason, heldId: item.heldId };
}

/**
 * The message to read instead of the raw one when it is OpenPGP: decrypted (and its signature
 * checked against senderKeys) by the decryptor, or a hold reason when there is none or it fails.
 */
export async function openPgp(inbound: InboundDeps, m: Received, senderKeys: readonly string[]): Promise<Received | HoldReason | null> {
  if (!isPgp(m.contentType, m.text)) return null;
  if (!inbound.decryptor) return 'encrypted';
  let opened: OpenedMail | null;
  try {
    opened = await inbound.decryptor.open(m.raw, senderKeys);
  } catch {
    return 'encrypted';
  }
  if (opened === null) return null;
  if (opened.signature === 'invalid') return 'bad-signature';
  try {
    return { ...m, ...(await parseMail(opened.raw)), raw: opened.raw };
  } catch {
    return 'unreadable';
  }
}
