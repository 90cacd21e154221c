// Received mail, before it touches a case (docs/workflow.md "Reports and replies by e-mail"): what
// a message's headers say about loops, the text a reply adds (quoted history trimmed), HTML reduced
// to text without rendering it, and what a reply address names. Pure: no parser, no I/O. Whatever
// a sender wrote is data: these functions only cut and clean it, they never interpret it.
import { LIMITS } from './limits.js';
import { normalizeNewlines } from './safe-text.js';

/** Why a received message was not applied. Logged and stored as such: an enum, never its content. */
export const HOLD_REASONS = [
  'auth-failed',
  'unknown-route',
  'wrong-sender',
  'revoked',
  'case-closed',
  'encrypted',
  'bad-signature',
  'too-large',
  'too-many-files',
  'rate-limited',
  'quota',
  'not-addressed',
  'unreadable',
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** Why a message was dropped outright: loops and mail of our own, never a case nor kept. */
export const DROP_REASONS = ['auto-submitted', 'bulk', 'bounce', 'auto-reply', 'own-address'] as const;
export type InboundDropReason = (typeof DROP_REASONS)[number];

/** Header names in lower case, each with its (first) value. */
export type Headers = Readonly<Record<string, string>>;

const addressOf = (v: string): string => (/<([^<>]*)>/.exec(v)?.[1] ?? v).trim().toLowerCase();

/**
 * Whether the message is a machine's: an auto-reply, a bounce, a list's or bulk mail, or mail from
 * one of our own addresses. Such mail never opens a case nor becomes a message (RFC 3834 and the
 * conventions that predate it), so two robots can never answer each other for ever.
 */
export function loopReason(h: Headers, from: string, ownAddresses: readonly string[]): InboundDropReason | null {
  const auto = (h['auto-submitted'] ?? '').trim().toLowerCase();
  if (auto !== '' && auto !== 'no') return 'auto-submitted';
  const precedence = (h.precedence ?? '').trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return 'bulk';
  if (h['x-autoreply'] !== undefined || h['x-autorespond'] !== undefined || h['x-auto-response-suppress']?.toLowerCase().includes('all'))
    return 'auto-reply';
  const returnPath = h['return-path'];
  if (returnPath !== undefined && addressOf(returnPath) === '') return 'bounce';
  const sender = from.trim().toLowerCase();
  const local = sender.split('@')[0] ?? '';
  if (
    local === 'mailer-daemon' ||
    local === 'postmaster' ||
    (returnPath !== undefined && /^(mailer-daemon|postmaster)@/i.test(addressOf(returnPath)))
  )
    return 'bounce';
  if ((h['content-type'] ?? '').toLowerCase().includes('multipart/report')) return 'bounce';
  if (ownAddresses.some((a) => a.trim().toLowerCase() === sender)) return 'own-address';
  return null;
}

/** Lines that start the quoted history of a reply, in the clients most people use. */
const SEPARATORS: readonly RegExp[] = [
  /^\s*-{2,}\s*(original message|forwarded message|message d'origine|ursprüngliche nachricht)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/,
  /^\s*(on|le|am|el|il|op)\s.{0,200}(wrote|a écrit|schrieb|escribió|ha scritto|schreef)\s*:\s*$/i,
  /^\s*(from|de|von|van):\s.+$/i,
];

/** "On Mon, 1 Jan 2026, Someone <a@b> wrote:" may be wrapped over two lines by the client. */
const wroteSplit = (line: string, next: string | undefined) =>
  /^\s*(on|le|am|el|il|op)\s/i.test(line) &&
  next !== undefined &&
  /(wrote|a écrit|schrieb|escribió|ha scritto|schreef)\s*:\s*$/i.test(next);

/**
 * What a reply adds: the text above the first line that starts the quoted history (an "On … wrote:"
 * line, an "Original Message" or Outlook separator, or a header block), and without the trailing
 * run of `>` lines. A message that is all quote keeps its text: nothing a sender wrote is lost for it.
 */
export function trimQuoted(text: string): string {
  const lines = normalizeNewlines(text).split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    // A header-looking line opens the history only when a blank line or the start precedes it.
    const isFrom = SEPARATORS[3]?.test(line) && (i === 0 || (lines[i - 1] ?? '').trim() === '');
    if (SEPARATORS.slice(0, 3).some((r) => r.test(line)) || isFrom || wroteSplit(line, lines[i + 1])) {
      end = i;
      break;
    }
  }
  let kept = lines.slice(0, end);
  while (kept.length > 0 && /^\s*(>.*)?$/.test(kept[kept.length - 1] ?? '')) kept = kept.slice(0, -1);
  const out = kept.join('\n').trim();
  return out === '' ? normalizeNewlines(text).trim() : out;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * HTML reduced to its text without rendering it: scripts, styles and comments go with their
 * content, block ends become line breaks, every other tag goes, and the common entities are
 * decoded. The result is plain text like any other (it may well read "<script>": it stays text).
 */
export function htmlToText(html: string): string {
  const noBlocks = html
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/<(script|style|head|title|template|noscript)\b[\s\S]*?(<\/\1\s*>|$)/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote|pre|table|ul|ol)\s*>/gi, '\n')
    .replace(/<[^>]*>?/g, '');
  const decoded = noBlocks.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (m, name: string) => {
    const n = name.toLowerCase();
    if (n.startsWith('#x')) return safeCodePoint(Number.parseInt(n.slice(2), 16)) ?? m;
    if (n.startsWith('#')) return safeCodePoint(Number.parseInt(n.slice(1), 10)) ?? m;
    return ENTITIES[n] ?? m;
  });
  return decoded
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const safeCodePoint = (n: number): string | undefined =>
  Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;

/** C0/C1 controls but newline and tab, and bidi controls: removed, so the text passes the rules every participant text does. */
export function cleanText(s: string, multiLine: boolean): string {
  const t = normalizeNewlines(s).replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
  return multiLine ? t.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '') : t.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/** A subject as a case title: one line, within the title's limit, the reply and forward prefixes gone. */
export function titleOf(subject: string): string {
  const one = cleanText(subject, false)
    .replace(/\s+/g, ' ')
    .replace(/^((re|fw|fwd|aw|sv|antw)\s*:\s*)+/i, '');
  return [...one].slice(0, LIMITS.short).join('').trim();
}

/** Plain text within a limit (in characters), cut on a character boundary with a note of the cut. */
export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 40).join('')}\n\n[cut: the message was longer]`;
}

/** Whether the message is OpenPGP: PGP/MIME (RFC 3156) or an inline armoured message. */
export function isPgp(contentType: string, text: string): boolean {
  const ct = contentType.toLowerCase();
  return (
    ct.includes('multipart/encrypted') ||
    (ct.includes('multipart/signed') && ct.includes('pgp')) ||
    /^-----BEGIN PGP (MESSAGE|SIGNED MESSAGE)-----$/m.test(text)
  );
}

/** The case and routing id a reply address names: case+<case id>.<routing id>@<domain>. */
export interface ReplyRoute {
  caseId: string;
  routingId: string;
}

/** The local part of a case's reply addresses. Lower case: many mail systems fold local parts. */
export const replyLocalPart = (caseId: string, routingId: string): string => `case+${caseId.toLowerCase()}.${routingId}`;

/** Which address of ours a recipient is: the intake, a case's reply address, or neither. */
export function addressed(
  recipient: string,
  domain: string,
  intake: string,
): { kind: 'intake' } | { kind: 'reply'; route: ReplyRoute } | { kind: 'other' } {
  const r = recipient.trim().toLowerCase();
  if (r === intake.trim().toLowerCase()) return { kind: 'intake' };
  const at = r.lastIndexOf('@');
  if (at < 0 || r.slice(at + 1) !== domain.trim().toLowerCase()) return { kind: 'other' };
  const m = /^case\+(vu-[0-9a-z]{1,32})\.([a-z2-7]{16,64})$/.exec(r.slice(0, at));
  return m?.[1] && m[2] ? { kind: 'reply', route: { caseId: m[1].toUpperCase(), routingId: m[2] } } : { kind: 'other' };
}

/** Required fields of the report form that a report by e-mail cannot carry: the reporter is asked for them. */
export const MAIL_MISSING_FIELDS = ['product.name', 'vendors', 'requestedService'] as const;
export type MailMissingField = (typeof MAIL_MISSING_FIELDS)[number];

/** How a report arrived when not by the form: by e-mail, with the form's required fields it lacks. */
export interface ReportVia {
  channel: 'email';
  missing: MailMissingField[];
}
