// The mail kit: the message shape, the links, and one renderer that escapes every case string
// into the HTML body. The messages themselves are in messages.ts.
import type { CaseState } from './case.js';

export interface Message {
  template: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Its one reader's OpenPGP key when it goes out encrypted (functions/app/mail.ts). */
  encryptTo?: string;
  /** The recipient's own reply address (functions/app/inbound-routes.ts), when inbound mail is on. */
  replyTo?: string;
}

export interface LinkBase {
  /** Public base URL of the deployment, e.g. https://cvd.example.org (no trailing slash). */
  publicBaseUrl: string;
}

export const MAIL_DETAILS = ['minimal', 'full'] as const;
export type MailDetail = (typeof MAIL_DETAILS)[number];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export const reporterLink = (base: LinkBase, caseId: string, token: string) =>
  `${base.publicBaseUrl}/status#token=${encodeURIComponent(token)}&case=${encodeURIComponent(caseId)}`;
export const vendorLink = (base: LinkBase, caseId: string, token: string) =>
  `${base.publicBaseUrl}/vendor#token=${encodeURIComponent(token)}&case=${encodeURIComponent(caseId)}`;
export const consoleLink = (base: LinkBase, caseId: string) => `${base.publicBaseUrl}/console/#/cases/${encodeURIComponent(caseId)}`;
export const noteLink = (base: LinkBase, noteId: string) => `${base.publicBaseUrl}/notes/${encodeURIComponent(noteId)}.html`;

/** A block of a message: a paragraph, a labelled value, a list or a link. */
export type Block =
  | { p: string }
  | { field: string; value: string }
  | { list: string[] }
  | { link: string; label: string }
  | { quote: string };

const FOOTER = 'Reply through the link above; do not forward it: it grants access to the case.';

export function render(template: string, to: string[], caseId: string, subject: string, blocks: Block[]): Message {
  const text = blocks
    .map((b) =>
      'p' in b
        ? b.p
        : 'field' in b
          ? `${b.field}: ${b.value}`
          : 'list' in b
            ? b.list.map((x) => `  - ${x}`).join('\n')
            : 'link' in b
              ? `${b.label}:\n${b.link}`
              : b.quote
                  .split('\n')
                  .map((l) => `> ${l}`)
                  .join('\n'),
    )
    .join('\n\n');
  const html = blocks
    .map((b) =>
      'p' in b
        ? `<p>${escapeHtml(b.p)}</p>`
        : 'field' in b
          ? `<p><strong>${escapeHtml(b.field)}:</strong> ${escapeHtml(b.value)}</p>`
          : 'list' in b
            ? `<ul>${b.list.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>`
            : 'link' in b
              ? `<p><a href="${escapeHtml(b.link)}">${escapeHtml(b.label)}</a></p>`
              : `<blockquote>${escapeHtml(b.quote).replace(/\n/g, '<br>')}</blockquote>`,
    )
    .join('\n');
  return {
    template,
    to,
    // The subject is ours alone: a case id and fixed words, never a participant's text.
    subject: `[${caseId}] ${subject}`,
    text: `${text}\n\n-- \nCase ${caseId}. ${FOOTER}\n`,
    html: `<!doctype html><html><body>${html}<hr><p><small>Case ${escapeHtml(caseId)}. ${escapeHtml(FOOTER)}</small></p></body></html>`,
  };
}

export const title = (s: CaseState) => s.report?.title ?? s.vulnerabilities[0]?.title ?? 'vulnerability report';
export const utc = (iso: string) =>
  iso
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC')
    .replace(/Z$/, ' UTC');

/** Who reads the message, with their own link (null: their link was revoked; no link goes out). */
export interface Reader {
  to: string;
  link: string | null;
  detail: MailDetail;
  /** Their copy goes out encrypted to this key: it then carries every detail ('full'). */
  encryptTo?: string;
}

/** Details only when the deployment asked for them. */
export const when = (r: Reader, ...blocks: Block[]): Block[] => (r.detail === 'full' ? blocks : []);
export const linkBlock = (r: Reader, label: string): Block[] =>
  r.link
    ? [{ link: r.link, label }]
    : [{ p: 'Your private link for this case was withdrawn; the coordinators will send you a new one if you still need access.' }];
