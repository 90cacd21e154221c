// E-mail messages, rendered purely from the case. Every message has the case id in its subject and
// nothing else a participant wrote there; a plain-text and an HTML body (every case string
// escaped); links whose capability token sits in the URL fragment, so it never reaches a server
// log or a Referer header.
//
// Mail to reporters and vendors carries nothing embargoed by default ("minimal"): it says there is
// news on the case and gives the reader's own private link. A misdirected, forwarded or
// intercepted message then leaks no vulnerability detail, and the page behind the link shows
// what the reader may see. A deployment may ask for details ("full") in the bodies; subjects
// never carry them. Coordinators' mail keeps details in the body.
import type { BounceKind, CaseState, VendorState } from './case.js';
import type { DeclineReason } from './events.js';
import { type Message, type LinkBase, type Reader, consoleLink, linkBlock, render, title, utc, when } from './mail-render.js';
import type { MailMissingField } from './inbound-mail.js';
import { unreachableReason } from './reachability.js';
import { declineGuidance } from './triage/decline-reasons.js';

export * from './mail-render.js';

// ---- to the reporter -------------------------------------------------------------------------

export function reporterAcknowledgement(s: CaseState, r: Reader): Message {
  return render('reporter-acknowledgement', [r.to], s.caseId, 'We received your report', [
    { p: `Thank you for your report. It has been assigned case ${s.caseId}.` },
    ...when(r, { field: 'Title', value: title(s) }),
    {
      p: 'A coordinator will review it and answer within 48 hours. You can follow the case, answer questions and add information at any time through your private status page:',
    },
    ...linkBlock(r, 'Your case status page'),
    // A report by e-mail lacks what the form requires: the reporter is asked for it, by reply or on the page.
    ...(s.reportVia?.channel === 'email' && s.reportVia.missing.length > 0
      ? [
          {
            p: 'Your report came by e-mail, so it lacks some of what the report form asks for. Please reply to this message, or write on your status page, with:',
          },
          { list: s.reportVia.missing.map((f) => MISSING_FIELD_QUESTIONS[f]) },
        ]
      : []),
  ]);
}

/** What the reporter of a report by e-mail is asked for, by field: fixed words, never their text. */
const MISSING_FIELD_QUESTIONS: Readonly<Record<MailMissingField, string>> = {
  'product.name': 'the affected product and its version(s)',
  vendors: 'the vendor(s) of the product, and whether and when you contacted them',
  requestedService: 'what you ask of us: coordination with the vendors, a CVE ID only, or publication only',
};

export function informationRequest(s: CaseState, r: Reader, questions: string[], dueAt: string): Message {
  return render('information-request', [r.to], s.caseId, 'We need more information about your report', [
    {
      p: `To decide on your report we need more information. Please answer through your status page by ${utc(dueAt)}; without an answer the case will be closed.`,
    },
    ...(questions.length ? [{ list: questions }] : []),
    ...linkBlock(r, 'Answer on your status page'),
  ]);
}

/** The seed's per-reason paragraphs, the coordinator's own words, then the self-publishing guidance common to every decline. */
export function declined(s: CaseState, r: Reader, reasons: readonly DeclineReason[], comment: string): Message {
  const paragraphs = declineGuidance(reasons).split('\n\n');
  const common = paragraphs.pop() ?? '';
  return render('declined', [r.to], s.caseId, 'We will not coordinate this report', [
    { p: 'We have reviewed your report and decided not to coordinate it.' },
    ...paragraphs.map((p) => ({ p })),
    ...(comment ? [{ p: 'The coordinator adds:' }, { quote: comment }] : []),
    { p: common },
    ...linkBlock(r, 'Your case status page'),
  ]);
}

// ---- to vendors ------------------------------------------------------------------------------

export function vendorNotification(
  s: CaseState,
  v: VendorState,
  r: Reader,
  expectedPublicationAt: string,
  purpose: 'report' | 'downstream-alert',
): Message {
  const rep = s.report;
  const reporter = rep?.reporter.shareContactWithVendors
    ? `${rep.reporter.name || 'the reporter'} <${rep.reporter.email}>`
    : 'withheld at the reporter’s request';
  const intro =
    purpose === 'report'
      ? 'We are coordinating the disclosure of a vulnerability report for your organization. Please acknowledge receipt and tell us your status through your private vendor page.'
      : 'We are coordinating the disclosure of a vulnerability that may concern a product your organization ships or depends on. We are alerting you privately before public disclosure.';
  return render(
    purpose === 'report' ? 'vendor-notification' : 'downstream-alert',
    [r.to],
    s.caseId,
    purpose === 'report' ? 'Vulnerability report for your organization' : 'Advance notice of a vulnerability',
    [
      { p: intro },
      ...when(
        r,
        { field: 'Vendor', value: v.name },
        { field: 'Report', value: title(s) },
        { field: 'Product', value: rep ? `${rep.product.name} ${rep.product.version}`.trim() : title(s) },
        { field: 'Planned publication', value: `${utc(expectedPublicationAt)} (embargoed until then)` },
        { field: 'Reporter', value: reporter },
      ),
      { p: 'Please keep the case confidential until it is published.' },
      ...linkBlock(r, 'Open your vendor page'),
    ],
  );
}

export function vendorReminder(
  s: CaseState,
  v: VendorState,
  r: Reader,
  kind: 'vendor-acknowledgement' | 'final-notice' | 'statement',
  publicationAt: string,
): Message {
  const subject =
    kind === 'vendor-acknowledgement'
      ? 'Reminder: please acknowledge a vulnerability report'
      : kind === 'final-notice'
        ? 'Final notice before publication'
        : 'Reminder: your statement for the vulnerability note';
  const body =
    kind === 'vendor-acknowledgement'
      ? 'We have not yet received an acknowledgement from your organization for this case. Please acknowledge it through your vendor page.'
      : kind === 'final-notice'
        ? 'We have not heard from your organization. We will alert downstream vendors and publish the vulnerability note as planned, listing your organization as not having responded.'
        : 'The note will be published soon. If you want a vendor statement included verbatim, please add it through your vendor page.';
  return render(kind === 'vendor-acknowledgement' ? 'vendor-reminder' : kind, [r.to], s.caseId, subject, [
    { p: body },
    ...when(r, { field: 'Vendor', value: v.name }, { field: 'Planned publication', value: utc(publicationAt) }),
    ...linkBlock(r, 'Open your vendor page'),
  ]);
}

export function linkReissued(s: CaseState, r: Reader, page: 'vendor' | 'status'): Message {
  return render('link-reissued', [r.to], s.caseId, 'Your new private link', [
    { p: 'A coordinator issued you a new private link for this case. Earlier links no longer work.' },
    ...linkBlock(r, page === 'vendor' ? 'Open your vendor page' : 'Your case status page'),
  ]);
}

/**
 * A coordinator's message to this reader: a notice and their link; the message's words only when
 * the deployment asks for details, and then in the body as a quote, never in the subject.
 */
export function messageReceived(s: CaseState, r: Reader, body: string | null): Message {
  return render('message', [r.to], s.caseId, 'New message from the coordinators', [
    { p: 'The coordinators sent you a message about this case. Read it, and reply if you wish, through your private page.' },
    ...(body !== null ? when(r, { quote: body }) : []),
    ...linkBlock(r, 'Read the message'),
  ]);
}

/**
 * The digest of the coordinators' messages that arrived within minutes of an earlier notice: one
 * e-mail for all of them, with the reader's link; their words only when the deployment asks for details.
 */
export function messageDigest(s: CaseState, r: Reader, count: number, bodies: readonly string[]): Message {
  return render('message-digest', [r.to], s.caseId, 'New messages from the coordinators', [
    { p: `The coordinators sent you ${count} more messages about this case. Read them, and reply if you wish, through your private page.` },
    ...bodies.flatMap((body) => when(r, { quote: body })),
    ...linkBlock(r, 'Read the messages'),
  ]);
}

// ---- to every participant --------------------------------------------------------------------

/** To the reporter once vendors have been reached: the planned date exists now. */
export function embargoOpened(s: CaseState, r: Reader, endsAt: string): Message {
  return render('embargo-opened', [r.to], s.caseId, 'The planned publication date is set', [
    { p: 'The vendors have been contacted and the embargo on this case has started.' },
    ...when(r, { field: 'Report', value: title(s) }, { field: 'Embargo ends', value: utc(endsAt) }),
    ...linkBlock(r, 'See the case'),
  ]);
}

export function embargoChanged(s: CaseState, r: Reader, endsAt: string, why: string): Message {
  return render('embargo-changed', [r.to], s.caseId, 'The planned publication date changed', [
    { p: 'The planned publication date of this case has changed.' },
    ...when(r, { field: 'Report', value: title(s) }, { field: 'Embargo ends', value: utc(endsAt) }, { field: 'Why', value: why }),
    ...linkBlock(r, 'See the case'),
  ]);
}

export function embargoEnded(s: CaseState, r: Reader, why: string): Message {
  return render('embargo-ended', [r.to], s.caseId, 'The embargo has ended early', [
    { p: 'The embargo on this case has ended early. We will share the draft note and publish as soon as possible.' },
    ...when(r, { field: 'Report', value: title(s) }, { field: 'Why', value: why }),
    ...linkBlock(r, 'See the case'),
  ]);
}

export function draftShared(s: CaseState, r: Reader, publishAt: string, revision: number): Message {
  return render('draft-shared', [r.to], s.caseId, 'Draft vulnerability note for comment', [
    { p: `The draft vulnerability note (revision ${revision}) is ready for your comments.` },
    ...when(r, { field: 'Report', value: title(s) }, { field: 'Planned publication', value: utc(publishAt) }),
    ...linkBlock(r, 'Read the draft and comment'),
  ]);
}

/** Published: the note is public, so its link and CVE IDs are no secret. */
export function published(s: CaseState, r: Reader, url: string): Message {
  return render('published', [r.to], s.caseId, 'The vulnerability note is published', [
    { p: 'The vulnerability note for this case is published.' },
    { link: url, label: 'Read the note' },
    ...(s.vulnerabilities.some((v) => v.cveId)
      ? [{ field: 'CVE IDs', value: s.vulnerabilities.flatMap((v) => (v.cveId ? [v.cveId] : [])).join(', ') }]
      : []),
  ]);
}

/** An update of the published note: public too, so its link is no secret; the change line only with details. */
export function noteUpdated(s: CaseState, r: Reader, url: string, noteRevision: number, changeSummary: string): Message {
  return render('note-updated', [r.to], s.caseId, 'The vulnerability note is updated', [
    { p: `The published vulnerability note for this case is updated (revision ${noteRevision}).` },
    ...when(r, { field: 'Change', value: changeSummary }),
    { link: url, label: 'Read the note' },
  ]);
}

export function caseClosed(s: CaseState, r: Reader, why: string): Message {
  return render('case-closed', [r.to], s.caseId, 'Case closed', [
    { p: `Case ${s.caseId} is closed.` },
    ...when(r, { field: 'Report', value: title(s) }, { field: 'Why', value: why }),
    ...linkBlock(r, 'See the case'),
  ]);
}

// ---- to coordinators (details in the body, never in the subject) -----------------------------

export function coordinatorsTriageNeeded(s: CaseState, to: string[], base: LinkBase): Message {
  const t = s.prescreen?.triage;
  return render('triage-needed', to, s.caseId, 'New report awaiting triage', [
    { p: `A new report awaits a triage decision within 48 hours of receipt (${utc(s.receivedAt ?? '')}).` },
    { field: 'Title', value: title(s) },
    { field: 'Recommendation (SSVC)', value: t ? t.recommendation : 'not computed' },
    ...(t?.suggestedReasons.length
      ? [{ p: 'Suggested decline reasons:' }, { list: t.suggestedReasons.map((x) => `${x.reason}: ${x.evidence}`) }]
      : []),
    { link: consoleLink(base, s.caseId), label: 'Open the case in the console' },
  ]);
}

export function triageEscalation(s: CaseState, to: string[], base: LinkBase, count: number): Message {
  return render('triage-escalation', to, s.caseId, `Triage overdue (escalation ${count})`, [
    {
      p: `This report has waited ${count * 48} hours or more without a triage decision. Reporters expect a first response within 48 hours.`,
    },
    { field: 'Title', value: title(s) },
    { link: consoleLink(base, s.caseId), label: 'Decide now' },
  ]);
}

export function vendorContactNeeded(s: CaseState, to: string[], base: LinkBase, v: VendorState, count: number): Message {
  if (unreachableReason(v) === 'bounced')
    return render('vendor-contact-needed', to, s.caseId, `Every contact of a vendor bounced (escalation ${count})`, [
      { p: `Every confirmed contact of vendor ${v.name} (${v.vendorId}) bounced or complained, so mail no longer reaches it.` },
      { field: 'Bouncing', value: v.contacts.map((c) => c.email).join(', ') },
      { link: consoleLink(base, s.caseId), label: 'Confirm another contact' },
    ]);
  return render('vendor-contact-needed', to, s.caseId, `A vendor has no confirmed contact (escalation ${count})`, [
    {
      p: `Vendor ${v.name} (${v.vendorId}) has no confirmed contact, so nobody there has been told of this case.${v.suggestedContacts.length ? ' The reporter suggested an address: check it before you confirm it.' : ''}`,
    },
    ...(v.suggestedContacts.length
      ? [{ field: 'Suggested by the reporter', value: v.suggestedContacts.map((x) => x.email).join(', ') }]
      : []),
    { link: consoleLink(base, s.caseId), label: 'Confirm a contact' },
  ]);
}

/** SES reported a vendor contact's address as bouncing (permanently) or complaining: the subject names neither. */
export function contactBounced(s: CaseState, to: string[], base: LinkBase, v: VendorState, email: string, kind: BounceKind): Message {
  const what = kind === 'bounce' ? 'bounced (permanently)' : 'was reported as spam by its recipient (a complaint)';
  const unreachable = unreachableReason(v) !== null;
  return render('contact-bounced', to, s.caseId, kind === 'bounce' ? 'A vendor contact bounced' : 'A vendor contact complained', [
    { p: `Mail to a confirmed contact of vendor ${v.name} (${v.vendorId}) ${what}. No more mail goes to that address.` },
    { field: 'Address', value: email },
    {
      p: unreachable
        ? 'The vendor has no other contact that works: nobody there hears of this case until you confirm another one.'
        : 'The vendor still has other contacts that receive mail.',
    },
    { link: consoleLink(base, s.caseId), label: unreachable ? 'Confirm another contact' : 'Open the case' },
  ]);
}

export function reporterBounced(s: CaseState, to: string[], base: LinkBase, kind: BounceKind): Message {
  const what = kind === 'bounce' ? 'bounced (permanently)' : 'was reported as spam by its recipient (a complaint)';
  return render('reporter-bounced', to, s.caseId, kind === 'bounce' ? "The reporter's address bounced" : 'The reporter complained', [
    {
      p: `Mail to the reporter of case ${s.caseId} ${what}. No more mail goes to that address: the reporter hears of nothing (requests for information, the embargo, publication) unless they open their status page.`,
    },
    { field: 'Address', value: s.report?.reporter.email ?? '' },
    { link: consoleLink(base, s.caseId), label: 'Open the case' },
  ]);
}

export function publicationDecisionNeeded(s: CaseState, to: string[], base: LinkBase, publishAt: string): Message {
  return render('publication-decision', to, s.caseId, 'Publication decision needed', [
    { p: `The draft note was shared; the planned publication date is ${utc(publishAt)}. Nothing is published without your approval.` },
    { link: consoleLink(base, s.caseId), label: 'Approve, revise or decide not to publish' },
  ]);
}

export function publishedToCoordinators(s: CaseState, to: string[], url: string): Message {
  return render('published', to, s.caseId, 'The vulnerability note is published', [
    { p: `The vulnerability note for "${title(s)}" is published.` },
    { link: url, label: 'Read the note' },
  ]);
}

export function noteUpdatedToCoordinators(s: CaseState, to: string[], url: string, noteRevision: number, changeSummary: string): Message {
  return render('note-updated', to, s.caseId, 'The vulnerability note is updated', [
    { p: `Revision ${noteRevision} of the vulnerability note for "${title(s)}" is published.` },
    { field: 'Change', value: changeSummary },
    { link: url, label: 'Read the note' },
  ]);
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

export function embargoProposalReceived(s: CaseState, to: string[], base: LinkBase, role: string, endsAt: string): Message {
  // The date and who asked; the reason is read in the console, like a comment.
  return render('embargo-proposal', to, s.caseId, `Embargo end proposed by the ${role}`, [
    { p: `The ${role} proposed that the embargo of case ${s.caseId} end on ${endsAt}. Accept it or set another date.` },
    { link: consoleLink(base, s.caseId), label: 'Open the case' },
  ]);
}

export function commentsDigest(s: CaseState, to: string[], base: LinkBase, count: number): Message {
  return render('message-digest', to, s.caseId, 'New messages from participants', [
    { p: `Participants added ${count} more messages to case ${s.caseId} since the last notice.` },
    { link: consoleLink(base, s.caseId), label: 'Open the case' },
  ]);
}
