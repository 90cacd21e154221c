// E-mail messages, rendered purely from the case. Every message has the case id in its subject,
// a plain-text and an HTML body (every case string escaped), and links whose capability token
// sits in the URL fragment, so it never reaches a server log or a Referer header.
import type { CaseState, VendorState } from './case.js';
import type { DeclineReason } from './events.js';

export interface Message {
  template: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface LinkBase {
  /** Public base URL of the deployment, e.g. https://cvd.example.org (no trailing slash). */
  publicBaseUrl: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export const reporterLink = (base: LinkBase, caseId: string, token: string) => `${base.publicBaseUrl}/status#token=${encodeURIComponent(token)}&case=${encodeURIComponent(caseId)}`;
export const vendorLink = (base: LinkBase, caseId: string, token: string) => `${base.publicBaseUrl}/vendor#token=${encodeURIComponent(token)}&case=${encodeURIComponent(caseId)}`;
export const consoleLink = (base: LinkBase, caseId: string) => `${base.publicBaseUrl}/console/#/cases/${encodeURIComponent(caseId)}`;
export const noteLink = (base: LinkBase, noteId: string) => `${base.publicBaseUrl}/notes/${encodeURIComponent(noteId)}.html`;

/** A block of a message: a paragraph, a labelled value, a list or a link. */
type Block =
  | { p: string }
  | { field: string; value: string }
  | { list: string[] }
  | { link: string; label: string }
  | { quote: string };

function render(template: string, to: string[], caseId: string, subject: string, blocks: Block[]): Message {
  const text = blocks
    .map((b) =>
      'p' in b ? b.p : 'field' in b ? `${b.field}: ${b.value}` : 'list' in b ? b.list.map((x) => `  - ${x}`).join('\n') : 'link' in b ? `${b.label}:\n${b.link}` : b.quote.split('\n').map((l) => `> ${l}`).join('\n'),
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
    subject: `[${caseId}] ${subject}`,
    text: `${text}\n\n-- \nCase ${caseId}. Reply through the link above; do not forward it: it grants access to the case.\n`,
    html: `<!doctype html><html><body>${html}<hr><p><small>Case ${escapeHtml(caseId)}. Reply through the link above; do not forward it: it grants access to the case.</small></p></body></html>`,
  };
}

const title = (s: CaseState) => s.report?.title ?? s.vulnerabilities[0]?.title ?? 'vulnerability report';
const utc = (iso: string) => iso.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC').replace(/Z$/, ' UTC');

export function reporterAcknowledgement(s: CaseState, to: string, link: string): Message {
  return render('reporter-acknowledgement', [to], s.caseId, `We received your report: ${title(s)}`, [
    { p: `Thank you for your report "${title(s)}". It has been assigned case ${s.caseId}.` },
    { p: 'A coordinator will review it and answer within 48 hours. You can follow the case, answer questions and add information at any time through your private status page:' },
    { link, label: 'Your case status page' },
  ]);
}

export function coordinatorsTriageNeeded(s: CaseState, to: string[], base: LinkBase): Message {
  const t = s.prescreen?.triage;
  return render('triage-needed', to, s.caseId, `New report awaiting triage: ${title(s)}`, [
    { p: `A new report awaits a triage decision within 48 hours of receipt (${utc(s.receivedAt ?? '')}).` },
    { field: 'Recommendation (SSVC)', value: t ? t.recommendation : 'not computed' },
    ...(t && t.suggestedReasons.length ? [{ p: 'Suggested decline reasons:' }, { list: t.suggestedReasons.map((r) => `${r.reason}: ${r.evidence}`) }] : []),
    { link: consoleLink(base, s.caseId), label: 'Open the case in the console' },
  ]);
}

export function triageEscalation(s: CaseState, to: string[], base: LinkBase, count: number): Message {
  return render('triage-escalation', to, s.caseId, `Triage overdue (escalation ${count}): ${title(s)}`, [
    { p: `This report has waited ${count * 48} hours or more without a triage decision. Reporters expect a first response within 48 hours.` },
    { link: consoleLink(base, s.caseId), label: 'Decide now' },
  ]);
}

export function informationRequest(s: CaseState, to: string, link: string, questions: string[], dueAt: string): Message {
  return render('information-request', [to], s.caseId, 'We need more information about your report', [
    { p: `To decide on your report "${title(s)}" we need more information. Please answer through your status page by ${utc(dueAt)}; without an answer the case will be closed.` },
    ...(questions.length ? [{ list: questions }] : []),
    { link, label: 'Answer on your status page' },
  ]);
}

export function declined(s: CaseState, to: string, reasons: { reason: DeclineReason; guidance: string }[], comment: string): Message {
  return render('declined', [to], s.caseId, 'We will not coordinate this report', [
    { p: `We have reviewed your report "${title(s)}" and decided not to coordinate it, for these reasons:` },
    { list: reasons.map((r) => r.guidance) },
    ...(comment ? [{ quote: comment }] : []),
    { p: 'You own this information. We encourage you to contact the vendor directly. If you publish on your own, please do so with care: give enough detail for users to protect themselves, and no weaponised proof of concept.' },
  ]);
}

export function vendorNotification(s: CaseState, v: VendorState, link: string, expectedPublicationAt: string, purpose: 'report' | 'downstream-alert'): Message {
  const r = s.report;
  const reporter = r && r.reporter.shareContactWithVendors ? `${r.reporter.name || 'the reporter'} <${r.reporter.email}>` : 'withheld at the reporter’s request';
  const intro =
    purpose === 'report'
      ? `We are coordinating the disclosure of a vulnerability that affects ${v.name}. Please acknowledge receipt and tell us your status through your private vendor page.`
      : `We are coordinating the disclosure of a vulnerability in a product that ${v.name} may ship or depend on. We are alerting you privately before public disclosure.`;
  return render(purpose === 'report' ? 'vendor-notification' : 'downstream-alert', v.contacts, s.caseId, `Vulnerability report: ${title(s)}`, [
    { p: intro },
    { field: 'Product', value: r ? `${r.product.name} ${r.product.version}`.trim() : title(s) },
    { field: 'Planned publication', value: `${utc(expectedPublicationAt)} (embargoed until then; please keep the details confidential)` },
    { field: 'Reporter', value: reporter },
    { link, label: 'Open your vendor page' },
  ]);
}

export function vendorReminder(s: CaseState, v: VendorState, link: string, kind: 'vendor-acknowledgement' | 'final-notice' | 'statement', publicationAt: string): Message {
  const subject = kind === 'vendor-acknowledgement' ? 'Reminder: please acknowledge a vulnerability report' : kind === 'final-notice' ? 'Final notice before publication' : 'Reminder: your statement for the vulnerability note';
  const body =
    kind === 'vendor-acknowledgement'
      ? `We have not yet received an acknowledgement from ${v.name} for this case. Please acknowledge it through your vendor page.`
      : kind === 'final-notice'
        ? `We have not heard from ${v.name}. We will alert downstream vendors and publish the vulnerability note as planned on ${utc(publicationAt)}, listing ${v.name} as not having responded.`
        : `The note will be published on ${utc(publicationAt)}. If you want a vendor statement included verbatim, please add it through your vendor page.`;
  return render(kind === 'vendor-acknowledgement' ? 'vendor-reminder' : kind, v.contacts, s.caseId, subject, [{ p: body }, { link, label: 'Open your vendor page' }]);
}

export function embargoChanged(s: CaseState, to: string[], endsAt: string, why: string): Message {
  return render('embargo-changed', to, s.caseId, 'The planned publication date changed', [
    { p: `The embargo for "${title(s)}" now ends ${utc(endsAt)}.` },
    { field: 'Why', value: why },
  ]);
}

export function embargoEnded(s: CaseState, to: string[], why: string): Message {
  return render('embargo-ended', to, s.caseId, 'The embargo has ended early', [
    { p: `The embargo for "${title(s)}" has ended early: ${why}. We will share the draft note and publish as soon as possible.` },
  ]);
}

export function draftShared(s: CaseState, to: string[], publishAt: string, link: string | null, revision: number): Message {
  return render('draft-shared', to, s.caseId, `Draft vulnerability note for comment (publication ${utc(publishAt).slice(0, 10)})`, [
    { p: `The draft vulnerability note (revision ${revision}) is ready for your comments. We expect to publish on ${utc(publishAt)}.` },
    ...(link ? [{ link, label: 'Read the draft and comment' } as Block] : []),
  ]);
}

export function publicationDecisionNeeded(s: CaseState, to: string[], base: LinkBase, publishAt: string): Message {
  return render('publication-decision', to, s.caseId, 'Publication decision needed', [
    { p: `The draft note was shared; the planned publication date is ${utc(publishAt)}. Nothing is published without your approval.` },
    { link: consoleLink(base, s.caseId), label: 'Approve, revise or decide not to publish' },
  ]);
}

export function published(s: CaseState, to: string[], url: string): Message {
  return render('published', to, s.caseId, `Published: ${title(s)}`, [
    { p: `The vulnerability note for "${title(s)}" is published.` },
    { link: url, label: 'Read the note' },
    ...(s.vulnerabilities.some((v) => v.cveId) ? [{ field: 'CVE IDs', value: s.vulnerabilities.flatMap((v) => (v.cveId ? [v.cveId] : [])).join(', ') }] : []),
  ]);
}

export function caseClosed(s: CaseState, to: string[], why: string): Message {
  return render('case-closed', to, s.caseId, 'Case closed', [{ p: `Case ${s.caseId} ("${title(s)}") is closed.` }, { field: 'Why', value: why }]);
}

export function workflowBlocked(s: CaseState, to: string[], base: LinkBase, error: string, cause: string): Message {
  return render('workflow-blocked', to, s.caseId, `Action needed: ${error}`, [
    { p: `The case cannot continue until a coordinator acts: ${error}.` },
    { quote: cause },
    { link: consoleLink(base, s.caseId), label: 'Open the case' },
  ]);
}

export function commentReceived(s: CaseState, to: string[], base: LinkBase, role: string, onDraft: boolean): Message {
  // A short notice only: the comment itself stays on the server, visible in the console.
  const what = onDraft ? 'comment on the draft' : 'message';
  return render('comment-received', to, s.caseId, `New ${what} from the ${role}`, [
    { p: `The ${role} added a ${what} to case ${s.caseId}.` },
    { link: consoleLink(base, s.caseId), label: 'Open the case' },
  ]);
}
