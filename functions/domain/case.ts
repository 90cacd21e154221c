// The case aggregate: its state and the one fold that builds it from the event log.
// `apply` trusts that `decide` produced the event (decide checks every rule); it still walks the
// Vultron transitions through the checked helpers, so an illegal log fails loudly, never silently.
import type { StoredEvent } from './events.js';
import { ms } from './time.js';
import { emPath, raiseCaseFlags, raiseVendorFlags, rmPath } from './vultron.js';
import { type CaseState, type LinkState, approvedOf, emptyCase } from './case-state.js';
import {
  addMessage,
  closeRm,
  exitEmbargo,
  keepLink,
  markBounced,
  newVendor,
  moveEmbargo,
  stillBlocked,
  requestEmbargo,
  answerRequest,
  updateLink,
  updateVendor,
} from './case-changes.js';
import { applyDigestEvent } from './message-digest.js';
import { recordSent } from './sent-mail.js';
import { applyNoteReleased, applyNoteUpdated, recordUpdateRequest } from './note-revisions.js';

export * from './case-state.js';
export { wasSent, sentBucket, SENT_BUCKETS } from './sent-mail.js';

/** The fold: one event into the case. Pure. */
export function apply(s: CaseState, e: StoredEvent): CaseState {
  const next = applyEvent(s, e);
  return { ...next, version: e.seq, blocked: stillBlocked(s, next, e) };
}

function applyEvent(s: CaseState, e: StoredEvent): CaseState {
  switch (e.type) {
    case 'report-submitted':
      return {
        ...s,
        caseId: e.caseId,
        report: e.report,
        termsAgreement: e.terms ?? null,
        ...(e.via ? { reportVia: e.via } : {}),
        receivedAt: e.at,
        rm: rmPath(s.rm, 'RECEIVED'),
        phase: 'intake',
      };
    case 'priority-set':
      return {
        ...s,
        priorityOverride: e.level ? { level: e.level, reason: e.reason ?? '', by: e.by.participant ?? e.by.role, at: e.at } : null,
      };
    case 'vendor-csaf-tlp-set':
      return { ...s, vendorCsafTlp: e.tlp };
    case 'case-registered':
      return { ...s, registeredAt: e.at, phase: s.phase === 'intake' ? 'triage' : s.phase };
    case 'case-prescreened':
      return {
        ...s,
        prescreen: { at: e.at, scores: e.scores, scoreErrors: e.scoreErrors, triage: e.triage },
        phase: s.phase === 'intake' ? 'triage' : s.phase,
      };
    case 'triage-decided': {
      const decision = {
        decision: e.decision,
        reasons: e.reasons,
        comment: e.comment,
        at: e.at,
        by: e.by,
        overridesRecommendation: e.overridesRecommendation,
      };
      const triage = { ...s.triage, decision, history: [...s.triage.history, { decision: e.decision, reasons: e.reasons, at: e.at }] };
      if (e.decision === 'accept') {
        const rm = s.rm === 'INVALID' || s.rm === 'RECEIVED' ? rmPath(s.rm, 'VALID', 'ACCEPTED') : rmPath(s.rm, 'ACCEPTED');
        return { ...s, triage, rm, phase: 'outreach' };
      }
      if (e.decision === 'decline') {
        const rm = rmPath(s.rm === 'RECEIVED' ? rmPath(s.rm, 'VALID') : s.rm, 'DEFERRED', 'CLOSED');
        return { ...s, triage, rm, phase: 'declined', closed: { at: e.at, closure: 'declined', reason: e.comment || null } };
      }
      return { ...s, triage };
    }
    case 'information-requested':
      return {
        ...s,
        triage: { ...s.triage, infoRequest: { requestedAt: e.at, dueAt: e.dueAt, questions: e.questions, answeredAt: null } },
      };
    case 'information-provided':
      return {
        ...s,
        triage: {
          ...s.triage,
          // New information re-opens the decision: the coordinator triages again.
          decision: null,
          infoRequest: s.triage.infoRequest ? { ...s.triage.infoRequest, answeredAt: e.at } : null,
        },
        ...addMessage(s, e, 'information', false, 'coordinators'),
      };
    case 'comment-added':
      return {
        ...s,
        ...addMessage(s, e, 'comment', e.onDraft, e.audience, {
          ...(e.to ? { to: e.to } : {}),
          ...(e.inReplyTo ? { inReplyTo: e.inReplyTo } : {}),
          ...(e.threadId ? { threadId: e.threadId } : {}),
        }),
      };
    case 'self-disclosure-announced': {
      const now = ms(e.disclosureAt) <= ms(e.at);
      const selfDisclosure = { disclosureAt: e.disclosureAt, announcedAt: e.at, body: e.body };
      if (now) {
        return {
          ...s,
          selfDisclosure,
          flags: raiseCaseFlags(s.flags, { p: true }),
          embargo: exitEmbargo(s.embargo, e.at, 'reporter disclosed'),
        };
      }
      const shortens = s.embargo.endsAt === null || ms(e.disclosureAt) < ms(s.embargo.endsAt);
      const embargo =
        s.embargo.state === 'EXITED' || !shortens
          ? s.embargo
          : moveEmbargo(s.embargo, e.disclosureAt, e.at, e.by, 'reporter announced disclosure');
      return { ...s, selfDisclosure, embargo };
    }
    case 'vendor-added':
      return { ...s, vendors: [...s.vendors, newVendor(e)] };
    case 'vendor-updated':
      return {
        ...s,
        vendors: updateVendor(s, e.vendorId, (v) => {
          const contacts = e.contacts === undefined ? v.contacts : e.contacts.map((c) => keepLink(v.contacts, c, e.at));
          const confirmed = new Set(contacts.map((c) => c.email.toLowerCase()));
          return {
            ...v,
            ...(e.name !== undefined ? { name: e.name } : {}),
            ...(e.vendorRef !== undefined ? { vendorRef: e.vendorRef } : {}),
            contacts,
            // A suggestion the coordinator confirmed is no longer a suggestion.
            suggestedContacts: v.suggestedContacts.filter((x) => !confirmed.has(x.email.toLowerCase())),
            ...(e.isCna !== undefined ? { isCna: e.isCna, proposals: { ...v.proposals, isCna: null } } : {}),
            ...(e.cnaShortName !== undefined ? { cnaShortName: e.cnaShortName } : {}),
            ...(e.downstream !== undefined ? { downstream: e.downstream } : {}),
          };
        }),
      };
    case 'link-revoked':
    case 'link-reissued': {
      const next = (l: LinkState): LinkState =>
        e.type === 'link-revoked' ? { ...l, revokedAt: l.revokedAt ?? e.at } : { generation: e.generation, revokedAt: null };
      return updateLink(s, e.holder, next);
    }
    case 'reporter-bounced':
      return { ...s, reporterBounced: { at: e.at, kind: e.kind } };
    case 'contact-bounced':
      return { ...s, vendors: updateVendor(s, e.vendorId, (v) => markBounced(v, e.email, e.at, e.kind)) };
    case 'vendor-contacted': {
      const vendors = updateVendor(s, e.vendorId, (v) => ({
        ...v,
        attempts: [...v.attempts, { at: e.at, attempt: e.attempt, purpose: e.purpose }],
        firstContactAt: v.firstContactAt ?? e.at,
        lastAttemptAt: e.at,
      }));
      // The embargo clock starts at the coordinator's first attempt to reach any vendor.
      const first = s.embargo.firstContactAt ?? e.at;
      return { ...s, vendors, embargo: { ...s.embargo, firstContactAt: first } };
    }
    case 'reminder-sent': {
      if (e.kind === 'publication-decision') return { ...s, publication: { ...s.publication, lastReminderAt: e.at } };
      if (!e.vendorId) return s;
      const vendors = updateVendor(s, e.vendorId, (v) => {
        if (e.kind === 'vendor-acknowledgement')
          return {
            ...v,
            attempts: [...v.attempts, { at: e.at, attempt: e.attempt ?? v.attempts.length + 1, purpose: 'reminder' }],
            lastAttemptAt: e.at,
          };
        if (e.kind === 'final-notice') return { ...v, finalNoticeAt: e.at };
        return { ...v, statementReminderAt: e.at };
      });
      return { ...s, vendors };
    }
    case 'vendor-unresponsive':
      return { ...s, vendors: updateVendor(s, e.vendorId, (v) => ({ ...v, unresponsiveAt: e.at })) };
    case 'vendor-acknowledged':
      return {
        ...s,
        vendors: updateVendor(s, e.vendorId, (v) => ({
          ...v,
          acknowledgedAt: v.acknowledgedAt ?? e.at,
          // A vendor that answers is no longer unresponsive (the history stays in the log).
          unresponsiveAt: null,
          rm: v.rm === 'START' ? rmPath(v.rm, 'RECEIVED') : v.rm,
          flags: raiseVendorFlags(v.flags, { v: true }),
        })),
      };
    case 'vendor-status-updated':
      return {
        ...s,
        vendors: updateVendor(s, e.vendorId, (v) => {
          const statuses = { ...v.statuses };
          for (const st of e.statuses) statuses[st.vulnerabilityId] = st.status;
          const rm =
            v.rm === 'START'
              ? rmPath(v.rm, 'RECEIVED', 'VALID', 'ACCEPTED')
              : v.rm === 'RECEIVED'
                ? rmPath(v.rm, 'VALID', 'ACCEPTED')
                : v.rm;
          return {
            ...v,
            statuses,
            rm,
            acknowledgedAt: v.acknowledgedAt ?? e.at,
            unresponsiveAt: null,
            proposals: e.isCna === undefined || e.isCna === v.isCna ? v.proposals : { ...v.proposals, isCna: e.isCna },
            flags: raiseVendorFlags(v.flags, { v: true, f: !!e.fixReady, d: !!e.fixDeployed }),
            ...(e.statement !== undefined ? { statement: e.statement, statementAt: e.at } : {}),
            ...(e.references !== undefined ? { references: e.references } : {}),
          };
        }).map((v) => (v.vendorId === e.vendorId && s.phase === 'published' ? recordUpdateRequest(v, e.at) : v)),
      };
    case 'vendor-cve-assigned':
      return {
        ...s,
        vendors: updateVendor(s, e.vendorId, (v) => ({ ...v, cveIds: { ...v.cveIds, [e.vulnerabilityId]: e.cveId } })),
        vulnerabilities: s.vulnerabilities.map((x) =>
          x.vulnerabilityId === e.vulnerabilityId ? { ...x, cveId: e.cveId, cveSource: 'vendor' } : x,
        ),
      };
    case 'vendor-cve-proposed':
      return {
        ...s,
        vendors: updateVendor(s, e.vendorId, (v) => ({
          ...v,
          proposals: { ...v.proposals, cveIds: { ...v.proposals.cveIds, [e.vulnerabilityId]: { cveId: e.cveId, at: e.at } } },
        })),
      };
    case 'vulnerability-added':
      return {
        ...s,
        vulnerabilities: [
          ...s.vulnerabilities,
          {
            vulnerabilityId: e.vulnerabilityId,
            title: e.title,
            description: e.description,
            ...(e.cwe ? { cwe: e.cwe } : {}),
            cvss: e.cvss,
            affected: e.affected,
            cveId: null,
            cveSource: null,
          },
        ],
      };
    case 'vulnerability-updated': {
      // The stored event carries its log position; that is not a field of the vulnerability.
      const { type: _t, at: _a, by: _b, reason: _r, vulnerabilityId, seq: _s, ...fields } = e as typeof e & { seq?: number };
      return { ...s, vulnerabilities: s.vulnerabilities.map((x) => (x.vulnerabilityId === vulnerabilityId ? { ...x, ...fields } : x)) };
    }
    case 'cve-assigned':
      return {
        ...s,
        vulnerabilities: s.vulnerabilities.map((x) => {
          if (x.vulnerabilityId !== e.vulnerabilityId) return x;
          const { cveVendorId: _drop, ...rest } = x;
          return { ...rest, cveId: e.cveId, cveSource: e.source, ...(e.vendorId ? { cveVendorId: e.vendorId } : {}) };
        }),
      };
    case 'cve-cleared':
      return {
        ...s,
        vulnerabilities: s.vulnerabilities.map((x) => {
          if (x.vulnerabilityId !== e.vulnerabilityId) return x;
          const { cveVendorId: _drop, ...rest } = x;
          return { ...rest, cveId: null, cveSource: null };
        }),
      };
    case 'embargo-proposed':
      return { ...s, embargo: moveEmbargo(s.embargo, e.endsAt, e.at, e.by, e.reason) };
    case 'embargo-changed':
      return { ...s, embargo: moveEmbargo(s.embargo, e.endsAt, e.at, e.by, e.reason) };
    case 'embargo-requested':
      return {
        ...s,
        embargo: requestEmbargo(s.embargo, e),
      };
    case 'embargo-request-answered':
      return { ...s, embargo: answerRequest(s.embargo, e.proposalId, e.answer, e.at) };
    case 'embargo-activated': {
      const from = s.embargo.state === 'NONE' ? emPath('NONE', 'PROPOSED') : s.embargo.state;
      return {
        ...s,
        phase: 'embargo',
        embargo: {
          ...s.embargo,
          // A participant's proposal still waiting for an answer makes the new embargo one under revision.
          state: (s.embargo.requests ?? []).some((r) => r.answer === 'open') ? emPath(from, 'ACTIVE', 'REVISE') : emPath(from, 'ACTIVE'),
          endsAt: e.endsAt,
          activatedAt: e.at,
          firstContactAt: e.firstContactAt,
        },
      };
    }
    case 'signal-raised':
      return {
        ...s,
        signals: [...s.signals, { kind: e.kind, evidence: e.evidence, at: e.at, by: e.by }],
        flags: raiseCaseFlags(s.flags, { p: e.kind === 'public', x: e.kind === 'exploit-public', a: e.kind === 'attacks-observed' }),
        embargo: exitEmbargo(s.embargo, e.at, `early release: ${e.kind}`),
      };
    case 'draft-review-started':
      return { ...s, phase: 'draft-review', draft: { ...s.draft, reviewStartedAt: e.at, reviewCause: e.cause } };
    case 'draft-revised': {
      const draft = { ...s.draft, revisions: [...s.draft.revisions, { revision: e.revision, at: e.at, by: e.by, markdown: e.markdown }] };
      // A new revision after approval needs a new approval.
      if (s.phase === 'publication')
        return {
          ...s,
          draft,
          phase: 'draft-review',
          publication: { ...s.publication, decision: 'revise', decidedAt: e.at, decidedSeq: e.seq },
        };
      return { ...s, draft };
    }
    case 'draft-shared':
      return { ...s, draft: { ...s.draft, shared: { revision: e.revision, at: e.at, publishAt: e.publishAt, seq: e.seq } } };
    case 'publication-decided': {
      const publication = {
        ...s.publication,
        decision: e.decision,
        decidedAt: e.at,
        decidedSeq: e.seq,
        reason: e.reason ?? null,
        publishAt: e.publishAt ?? s.publication.publishAt,
      };
      // What the coordinator approved is what goes out: later vendor changes wait for the next approval.
      if (e.decision === 'approve')
        return { ...s, publication, phase: 'publication', vendors: s.vendors.map((v) => ({ ...v, approved: approvedOf(v) })) };
      if (e.decision === 'revise') return { ...s, publication, phase: 'draft-review' };
      return {
        ...s,
        publication,
        embargo: exitEmbargo(s.embargo, e.at, 'not published'),
        rm: closeRm(s.rm, 'not-published'),
        phase: 'closed',
        closed: { at: e.at, closure: 'not-published', reason: e.reason ?? null },
      };
    }
    case 'note-published':
      return {
        ...s,
        phase: 'published',
        flags: raiseCaseFlags(s.flags, { p: true }),
        embargo: exitEmbargo(s.embargo, e.at, 'published'),
        // Released (1) once NotifyPublished has sent the first release's e-mail.
        published: { noteId: e.noteId, at: e.at, revision: e.revision, releasedRevision: 0 },
      };
    case 'note-updated':
      return applyNoteUpdated(s, e);
    case 'note-update-released':
      return applyNoteReleased(s, e);
    case 'case-closed':
      return {
        ...s,
        phase: 'closed',
        embargo: exitEmbargo(s.embargo, e.at, `case closed: ${e.closure}`),
        rm: closeRm(s.rm, e.closure),
        closed: { at: e.at, closure: e.closure, reason: e.reason ?? null },
      };
    case 'escalated':
      if (e.kind === 'vendor-contact' && e.vendorId)
        return {
          ...s,
          vendors: updateVendor(s, e.vendorId, (v) => ({ ...v, contactEscalations: e.count, lastContactEscalationAt: e.at })),
        };
      return { ...s, triage: { ...s.triage, escalations: e.count, lastEscalatedAt: e.at } };
    case 'notification-sent':
      return { ...s, ...recordSent(s, e.key, e.at), mailDigests: applyDigestEvent(s.mailDigests, e) };
    case 'notice-held':
      // The notice is handled (it waits in the digest): a retried step does not hold or send it again.
      return { ...s, ...recordSent(s, e.key, e.at), mailDigests: applyDigestEvent(s.mailDigests, e) };
    case 'digest-sent':
      return { ...s, mailDigests: applyDigestEvent(s.mailDigests, e) };
    case 'events-applied':
      return { ...s, appliedSeq: Math.max(s.appliedSeq, e.upToSeq) };
    case 'workflow-blocked':
      return { ...s, blocked: { at: e.at, error: e.error, cause: e.cause, seq: e.seq } };
  }
}

export const fold = (caseId: string, events: readonly StoredEvent[]): CaseState => events.reduce(apply, emptyCase(caseId));
