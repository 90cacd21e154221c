// decide(case, command, context) → new events, or a named DomainError that says which state
// forbids what. Every rule of the case lives here; the fold (case.ts) only records outcomes.
import { type CaseState, type Phase, type VendorState, contactOf, isTerminal, linkOf, utf8Bytes, vendorById } from './case.js';
import { planEmbargo } from './embargo.js';
import { DomainError } from './errors.js';
import type {
  Actor,
  AffectedProduct,
  CaseEvent,
  ContactInput,
  LinkHolder,
  DeclineReason,
  PublicationDecision,
  Role,
  ScoreSummary,
  SignalKind,
  TriageDecision,
  TriageSummary,
  VendorStatus,
  VulnerabilityFields,
} from './events.js';
import type { Policy } from './policy.js';
import type { Report } from './report.js';
import { addDays, ms, normalize } from './time.js';
import { dueDeadlines } from './deadlines.js';

export type Command =
  // reporter
  | { type: 'submit-report'; caseId: string; report: Report }
  /** messageId: the item the body is stored in (outside the snapshot); the body is checked here, not logged. */
  | { type: 'provide-information'; body: string; messageId: string }
  | { type: 'announce-self-disclosure'; disclosureAt: string; body: string }
  // reporter, vendor or coordinator
  | { type: 'add-comment'; body: string; messageId: string; onDraft?: boolean }
  // coordinator
  | { type: 'decide-triage'; decision: TriageDecision; reasons?: DeclineReason[]; comment?: string }
  | { type: 'add-vendors'; vendors: { name: string; contacts: ContactInput[]; isCna?: boolean; cnaShortName?: string; downstream?: boolean }[] }
  | { type: 'update-vendor'; vendorId: string; name?: string; contacts?: ContactInput[]; isCna?: boolean; cnaShortName?: string; downstream?: boolean }
  /** Revoke or reissue the reporter's link (no vendorId) or a vendor contact's (every contact when no email). */
  | { type: 'manage-links'; action: 'revoke' | 'reissue'; vendorId?: string; email?: string }
  | { type: 'set-cve'; vulnerabilityId: string; cveId?: string | null; acceptProposalFrom?: string }
  | { type: 'add-vulnerability'; vulnerability: VulnerabilityFields }
  | { type: 'update-vulnerability'; vulnerabilityId: string; changes: Partial<VulnerabilityFields> }
  | { type: 'set-embargo'; endsAt: string; reason: string }
  | { type: 'raise-signal'; kind: SignalKind; evidence: string }
  | { type: 'revise-draft'; markdown: string; reason?: string }
  | { type: 'decide-publication'; decision: PublicationDecision; publishAt?: string; reason?: string }
  | { type: 'close-case'; reason: string; closure?: 'withdrawn' | 'other' }
  // vendor (the actor's participant is the vendor id)
  | { type: 'acknowledge' }
  | {
      type: 'update-vendor-status';
      statuses: { vulnerabilityId: string; status: VendorStatus }[];
      fixReady?: boolean;
      fixDeployed?: boolean;
      statement?: string;
      isCna?: boolean;
      cveIds?: { vulnerabilityId: string; cveId: string }[];
    }
  // system (the workflow)
  | { type: 'register' }
  | { type: 'record-prescreen'; scores: ScoreSummary; scoreErrors: { field: string; message: string }[]; triage: TriageSummary }
  | { type: 'escalate-triage' }
  | { type: 'escalate-vendor-contact'; vendorId: string }
  | { type: 'request-information'; questions: string[] }
  | { type: 'close-as-invalid' }
  | { type: 'record-vendor-contact'; vendorId: string; purpose: 'report' | 'downstream-alert' }
  | { type: 'open-embargo' }
  | { type: 'send-reminder'; kind: 'vendor-acknowledgement' | 'final-notice' | 'statement' | 'publication-decision'; vendorId?: string }
  | { type: 'mark-unresponsive'; vendorId: string }
  | { type: 'start-draft-review' }
  | { type: 'assign-cve'; vulnerabilityId: string; cveId: string; source: 'pool' | 'cve-services' | 'manual' }
  | { type: 'share-draft' }
  | { type: 'publish'; noteId: string }
  | { type: 'record-notification'; key: string; template: string; to: string[] }
  | { type: 'mark-applied'; upToSeq: number }
  | { type: 'block'; error: string; cause: string };

export type CommandType = Command['type'];

export interface DecideContext {
  now: string;
  actor: Actor;
  policy: Policy;
}

const ROLE_OF: Record<CommandType, readonly Role[]> = {
  'submit-report': ['reporter'],
  'provide-information': ['reporter'],
  'announce-self-disclosure': ['reporter'],
  'add-comment': ['reporter', 'vendor', 'coordinator'],
  'decide-triage': ['coordinator'],
  'add-vendors': ['coordinator'],
  'update-vendor': ['coordinator'],
  'manage-links': ['coordinator'],
  'set-cve': ['coordinator'],
  'add-vulnerability': ['coordinator'],
  'update-vulnerability': ['coordinator'],
  'set-embargo': ['coordinator'],
  'raise-signal': ['coordinator'],
  'revise-draft': ['coordinator', 'system'],
  'decide-publication': ['coordinator'],
  'close-case': ['coordinator'],
  acknowledge: ['vendor'],
  'update-vendor-status': ['vendor'],
  register: ['system'],
  'record-prescreen': ['system'],
  'escalate-triage': ['system'],
  'escalate-vendor-contact': ['system'],
  'request-information': ['system'],
  'close-as-invalid': ['system'],
  'record-vendor-contact': ['system'],
  'open-embargo': ['system'],
  'send-reminder': ['system'],
  'mark-unresponsive': ['system'],
  'start-draft-review': ['system'],
  'assign-cve': ['system'],
  'share-draft': ['system'],
  publish: ['system'],
  'record-notification': ['system'],
  'mark-applied': ['system'],
  block: ['system'],
};

/** What a coordinator may do in each phase: the `allowed` list of a 409. */
export const COORDINATOR_COMMANDS_BY_PHASE: Record<Phase, readonly CommandType[]> = {
  intake: ['add-comment', 'manage-links', 'close-case'],
  triage: ['decide-triage', 'add-vendors', 'update-vendor', 'add-vulnerability', 'update-vulnerability', 'set-cve', 'set-embargo', 'raise-signal', 'add-comment', 'manage-links', 'close-case'],
  declined: ['manage-links'],
  outreach: ['add-vendors', 'update-vendor', 'add-vulnerability', 'update-vulnerability', 'set-cve', 'set-embargo', 'raise-signal', 'add-comment', 'manage-links', 'close-case'],
  embargo: ['add-vendors', 'update-vendor', 'add-vulnerability', 'update-vulnerability', 'set-cve', 'set-embargo', 'raise-signal', 'revise-draft', 'add-comment', 'manage-links', 'close-case'],
  'draft-review': ['add-vendors', 'update-vendor', 'add-vulnerability', 'update-vulnerability', 'set-cve', 'set-embargo', 'raise-signal', 'revise-draft', 'decide-publication', 'add-comment', 'manage-links', 'close-case'],
  publication: ['update-vendor', 'set-embargo', 'raise-signal', 'revise-draft', 'decide-publication', 'add-comment', 'manage-links', 'close-case'],
  published: ['manage-links'],
  closed: ['manage-links'],
};

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

function conflict(s: CaseState, what: string, allowedHere?: readonly string[]): DomainError {
  return new DomainError(
    'InvalidTransition',
    `${what}: the case is in phase "${s.phase}" (report ${s.rm}, embargo ${s.embargo.state})`,
    { phase: s.phase, rm: s.rm, em: s.embargo.state },
    allowedHere ?? COORDINATOR_COMMANDS_BY_PHASE[s.phase],
  );
}
const invalid = (message: string) => new DomainError('InvalidCommand', message);
const notFound = (message: string) => new DomainError('NotFound', message);

function requirePhase(s: CaseState, phases: readonly Phase[], what: string): void {
  if (!phases.includes(s.phase)) throw conflict(s, `${what} is possible only in phase ${phases.map((p) => `"${p}"`).join(' or ')}`);
}
function requireOpen(s: CaseState, what: string): void {
  if (s.version === 0) throw notFound('no such case');
  if (isTerminal(s)) throw conflict(s, `${what} is not possible on a finished case`);
}
function requireFuture(at: string, now: string, field: string): string {
  if (Number.isNaN(Date.parse(at))) throw invalid(`${field} must be an ISO-8601 instant`);
  if (ms(at) <= ms(now)) throw invalid(`${field} must be in the future (now is ${now})`);
  return normalize(at);
}
function vendorOf(s: CaseState, actor: Actor) {
  const v = actor.participant ? vendorById(s, actor.participant) : undefined;
  if (!v) throw notFound('no such vendor on this case');
  return v;
}

/** The case's first vulnerability, taken from the report on acceptance (DOMAIN.md "Vulnerabilities on a case"). */
function vulnerabilityFromReport(r: Report): VulnerabilityFields {
  const affected: AffectedProduct[] = r.vendors.map((v) => ({
    vendor: v.name,
    product: r.product.name,
    versions: r.product.version ? [{ version: r.product.version, status: 'affected' }] : [],
  }));
  const description = [r.description, r.impact ? `Impact: ${r.impact}` : ''].filter(Boolean).join('\n\n');
  return { title: r.title, description, cvss: { ...r.cvss }, affected };
}

/** Who may run a command: the check every decision starts with. */
function authorize(c: Command, actor: Actor): void {
  if (!ROLE_OF[c.type].includes(actor.role))
    throw new DomainError('NotAllowed', `a ${actor.role} may not ${c.type.replace(/-/g, ' ')}`);
}

export function decide(s: CaseState, c: Command, ctx: DecideContext): CaseEvent[] {
  const { now, actor, policy } = ctx;
  authorize(c, actor);
  const base = { at: now, by: actor };

  switch (c.type) {
    case 'submit-report':
      if (s.version !== 0) throw conflict(s, 'this case already has a report', []);
      return [{ ...base, type: 'report-submitted', caseId: c.caseId, report: c.report }];

    case 'register':
      if (s.version === 0) throw notFound('no such case');
      if (s.registeredAt) return []; // idempotent: a retried step does nothing
      return [{ ...base, type: 'case-registered' }];

    case 'record-prescreen':
      requirePhase(s, ['intake', 'triage'], 'pre-screening');
      return [{ ...base, type: 'case-prescreened', scores: c.scores, scoreErrors: c.scoreErrors, triage: c.triage }];

    case 'decide-triage': {
      requireOpen(s, 'a triage decision');
      requirePhase(s, ['triage'], 'a triage decision');
      if (s.triage.decision && s.triage.decision.decision !== 'request-info')
        throw conflict(s, `triage was already decided (${s.triage.decision.decision})`);
      const reasons = [...new Set(c.reasons ?? [])];
      const comment = (c.comment ?? '').trim();
      if (c.decision === 'decline' && reasons.length === 0) throw invalid('declining needs at least one reason');
      if (c.decision !== 'decline' && reasons.length > 0) throw invalid('reasons are given only when declining');
      const rec = s.prescreen?.triage.recommendation;
      const overrides =
        rec !== undefined && ((c.decision === 'decline' && rec !== 'decline') || (c.decision === 'accept' && rec === 'decline'));
      // The system recommends; a coordinator may override, with a reason.
      if (overrides && comment === '') throw invalid(`the recommendation was "${rec}"; overriding it needs a comment saying why`);
      const events: CaseEvent[] = [{ ...base, type: 'triage-decided', decision: c.decision, reasons, comment, overridesRecommendation: overrides }];
      if (c.decision === 'accept' && s.report) {
        if (s.vulnerabilities.length === 0)
          events.push({ ...base, type: 'vulnerability-added', vulnerabilityId: 'vul-1', ...vulnerabilityFromReport(s.report) });
        const known = new Set(s.vendors.map((v) => v.name.toLowerCase()));
        let n = s.vendors.length;
        for (const v of s.report.vendors) {
          if (known.has(v.name.toLowerCase())) continue;
          known.add(v.name.toLowerCase());
          // The reporter's address for a vendor is a suggestion: a reporter could name their own
          // address and so hold the vendor's link. No link goes out until a coordinator confirms one.
          events.push({
            ...base,
            type: 'vendor-added',
            vendorId: `vendor-${++n}`,
            name: v.name,
            contacts: [],
            ...(v.contactEmail ? { suggestedContacts: [v.contactEmail] } : {}),
            isCna: false,
            downstream: false,
          });
        }
      }
      return events;
    }

    case 'request-information': {
      requirePhase(s, ['triage'], 'requesting information');
      if (s.triage.decision?.decision !== 'request-info') throw conflict(s, 'information is requested only after a request-info decision');
      const pending = s.triage.infoRequest;
      if (pending && pending.answeredAt === null && ms(pending.requestedAt) >= ms(s.triage.decision.at)) return [];
      return [{ ...base, type: 'information-requested', dueAt: addDays(now, policy.informationRequestDays), questions: c.questions }];
    }

    case 'provide-information':
      requireOpen(s, 'providing information');
      requirePhase(s, ['intake', 'triage'], 'providing information for triage');
      if (!c.body.trim()) throw invalid('the information must not be empty');
      return [{ ...base, type: 'information-provided', messageId: c.messageId, bytes: utf8Bytes(c.body) }];

    case 'close-as-invalid': {
      requirePhase(s, ['triage'], 'closing an unanswered information request');
      const info = s.triage.infoRequest;
      if (!info || info.answeredAt !== null || ms(info.dueAt) > ms(now)) throw conflict(s, 'the information request is not overdue');
      return [{ ...base, type: 'case-closed', closure: 'invalid', reason: 'the reporter did not answer the request for information in time' }];
    }

    case 'escalate-triage':
      requirePhase(s, ['triage'], 'escalating triage');
      if (s.triage.decision) return [];
      return [{ ...base, type: 'escalated', kind: 'triage', count: s.triage.escalations + 1 }];

    case 'escalate-vendor-contact': {
      const v = vendorById(s, c.vendorId);
      if (!v) throw notFound(`no vendor ${c.vendorId} on this case`);
      if (v.contacts.length > 0 || isTerminal(s)) return [];
      return [{ ...base, type: 'escalated', kind: 'vendor-contact', vendorId: v.vendorId, count: v.contactEscalations + 1 }];
    }

    case 'add-comment': {
      requireOpen(s, 'commenting');
      if (!c.body.trim()) throw invalid('the comment must not be empty');
      if (actor.role === 'vendor') vendorOf(s, actor);
      if (c.onDraft && !s.draft.shared) throw conflict(s, 'there is no shared draft to comment on', []);
      const audience = actor.role === 'coordinator' ? 'participants' : 'coordinators';
      return [{ ...base, type: 'comment-added', messageId: c.messageId, bytes: utf8Bytes(c.body), onDraft: !!c.onDraft, audience }];
    }

    case 'announce-self-disclosure': {
      requireOpen(s, 'announcing disclosure');
      // The reporter owns the information and may disclose at any time: this is never refused.
      const at = Number.isNaN(Date.parse(c.disclosureAt)) ? null : normalize(c.disclosureAt);
      if (!at) throw invalid('disclosureDate must be an ISO-8601 instant');
      return [{ ...base, type: 'self-disclosure-announced', disclosureAt: at, body: c.body }];
    }

    case 'add-vendors': {
      requireOpen(s, 'adding vendors');
      requirePhase(s, ['triage', 'outreach', 'embargo', 'draft-review'], 'adding vendors');
      if (c.vendors.length === 0) throw invalid('name at least one vendor');
      const known = new Set(s.vendors.map((v) => v.name.toLowerCase()));
      let n = s.vendors.length;
      return c.vendors.map((v) => {
        const name = v.name.trim();
        if (!name) throw invalid('a vendor needs a name');
        if (known.has(name.toLowerCase())) throw invalid(`vendor "${name}" is already on the case`);
        known.add(name.toLowerCase());
        return {
          ...base,
          type: 'vendor-added' as const,
          vendorId: `vendor-${++n}`,
          name,
          contacts: uniqueContacts(v.contacts),
          isCna: !!v.isCna,
          ...(v.cnaShortName ? { cnaShortName: v.cnaShortName } : {}),
          downstream: !!v.downstream,
        };
      });
    }

    case 'update-vendor': {
      requireOpen(s, 'editing a vendor');
      requirePhase(s, ['triage', 'outreach', 'embargo', 'draft-review', 'publication'], 'editing a vendor');
      const v = vendorById(s, c.vendorId);
      if (!v) throw notFound(`no vendor ${c.vendorId} on this case`);
      const name = c.name?.trim();
      if (c.name !== undefined && !name) throw invalid('a vendor needs a name');
      if (name && s.vendors.some((x) => x.vendorId !== v.vendorId && x.name.toLowerCase() === name.toLowerCase())) throw invalid(`vendor "${name}" is already on the case`);
      const changes = {
        ...(name !== undefined && name !== v.name ? { name } : {}),
        ...(c.contacts !== undefined ? { contacts: uniqueContacts(c.contacts) } : {}),
        ...(c.isCna !== undefined ? { isCna: c.isCna } : {}),
        ...(c.cnaShortName !== undefined ? { cnaShortName: c.cnaShortName } : {}),
        ...(c.downstream !== undefined ? { downstream: c.downstream } : {}),
      };
      if (Object.keys(changes).length === 0) throw invalid('name at least one field to change');
      return [{ ...base, type: 'vendor-updated', vendorId: v.vendorId, ...changes }];
    }

    case 'manage-links': {
      if (s.version === 0) throw notFound('no such case');
      // Revoking is always possible; a new link only while the case can still be worked on.
      if (c.action === 'reissue' && (s.phase === 'closed' || s.phase === 'declined')) throw conflict(s, 'reissuing a link on a closed case');
      const holders = linkHolders(s, c.vendorId, c.email);
      return holders.flatMap((holder): CaseEvent[] => {
        const link = linkOf(s, holder);
        if (!link) return [];
        if (c.action === 'revoke') return link.revokedAt ? [] : [{ ...base, type: 'link-revoked', holder }];
        return [{ ...base, type: 'link-reissued', holder, generation: link.generation + 1 }];
      });
    }

    case 'set-cve': {
      requireOpen(s, 'setting a CVE ID');
      requirePhase(s, ['triage', 'outreach', 'embargo', 'draft-review'], 'setting a CVE ID');
      const vul = s.vulnerabilities.find((x) => x.vulnerabilityId === c.vulnerabilityId);
      if (!vul) throw notFound(`no vulnerability ${c.vulnerabilityId} on this case`);
      let cveId = c.cveId ?? null;
      let fromVendor: string | undefined;
      if (c.acceptProposalFrom !== undefined) {
        const v = vendorById(s, c.acceptProposalFrom);
        if (!v) throw notFound(`no vendor ${c.acceptProposalFrom} on this case`);
        const proposal = v.proposals.cveIds[vul.vulnerabilityId];
        if (!proposal) throw invalid(`vendor ${v.vendorId} proposed no CVE ID for ${vul.vulnerabilityId}`);
        if (cveId !== null && cveId !== proposal.cveId) throw invalid(`vendor ${v.vendorId} proposed ${proposal.cveId}, not ${cveId}`);
        cveId = proposal.cveId;
        fromVendor = v.vendorId;
      }
      if (cveId === null) {
        if (c.cveId === undefined) throw invalid('give a cveId, null to clear it, or acceptProposalFrom');
        return vul.cveId ? [{ ...base, type: 'cve-cleared', vulnerabilityId: vul.vulnerabilityId, previousCveId: vul.cveId }] : [];
      }
      if (!CVE_ID.test(cveId)) throw invalid(`"${cveId}" is not a CVE ID (CVE-YYYY-NNNN)`);
      const taken = s.vulnerabilities.find((x) => x.vulnerabilityId !== vul.vulnerabilityId && x.cveId === cveId);
      if (taken) throw invalid(`${cveId} is already the ID of ${taken.vulnerabilityId}`);
      if (vul.cveId === cveId && vul.cveVendorId === fromVendor) return [];
      return [
        {
          ...base,
          type: 'cve-assigned',
          vulnerabilityId: vul.vulnerabilityId,
          cveId,
          source: fromVendor ? 'vendor' : 'manual',
          ...(fromVendor ? { vendorId: fromVendor } : {}),
          ...(vul.cveId ? { previousCveId: vul.cveId } : {}),
        },
      ];
    }

    case 'add-vulnerability':
      requireOpen(s, 'adding a vulnerability');
      requirePhase(s, ['triage', 'outreach', 'embargo', 'draft-review'], 'adding a vulnerability');
      if (!c.vulnerability.title.trim()) throw invalid('a vulnerability needs a title');
      return [{ ...base, type: 'vulnerability-added', vulnerabilityId: `vul-${s.vulnerabilities.length + 1}`, ...c.vulnerability }];

    case 'update-vulnerability':
      requireOpen(s, 'editing a vulnerability');
      requirePhase(s, ['triage', 'outreach', 'embargo', 'draft-review'], 'editing a vulnerability');
      if (!s.vulnerabilities.some((v) => v.vulnerabilityId === c.vulnerabilityId)) throw notFound(`no vulnerability ${c.vulnerabilityId} on this case`);
      return [{ ...base, type: 'vulnerability-updated', vulnerabilityId: c.vulnerabilityId, ...c.changes }];

    case 'set-embargo': {
      requireOpen(s, 'setting the embargo');
      if (s.embargo.state === 'EXITED') throw conflict(s, 'the embargo has ended and cannot be reopened');
      const endsAt = requireFuture(c.endsAt, now, 'endsAt');
      if (s.embargo.state === 'ACTIVE')
        return [{ ...base, type: 'embargo-changed', endsAt, previousEndsAt: s.embargo.endsAt ?? endsAt, reason: c.reason }];
      return [{ ...base, type: 'embargo-proposed', endsAt, reason: c.reason }];
    }

    case 'raise-signal':
      requireOpen(s, 'raising a signal');
      if (!c.evidence.trim()) throw invalid('a signal needs evidence');
      return [{ ...base, type: 'signal-raised', kind: c.kind, evidence: c.evidence }];

    case 'acknowledge': {
      const v = vendorOf(s, actor);
      if (s.phase === 'closed' || s.phase === 'declined') throw conflict(s, 'acknowledging a closed case', []);
      if (v.acknowledgedAt) return [];
      return [{ ...base, type: 'vendor-acknowledged', vendorId: v.vendorId }];
    }

    case 'update-vendor-status': {
      const v = vendorOf(s, actor);
      if (s.phase === 'closed' || s.phase === 'declined') throw conflict(s, 'updating status on a closed case', []);
      for (const st of c.statuses)
        if (!s.vulnerabilities.some((x) => x.vulnerabilityId === st.vulnerabilityId)) throw notFound(`no vulnerability ${st.vulnerabilityId} on this case`);
      const events: CaseEvent[] = [
        {
          ...base,
          type: 'vendor-status-updated',
          vendorId: v.vendorId,
          statuses: c.statuses,
          ...(c.fixReady !== undefined ? { fixReady: c.fixReady } : {}),
          ...(c.fixDeployed !== undefined ? { fixDeployed: c.fixDeployed } : {}),
          ...(c.statement !== undefined ? { statement: c.statement } : {}),
          ...(c.isCna !== undefined ? { isCna: c.isCna } : {}),
        },
      ];
      const statuses = { ...v.statuses, ...Object.fromEntries(c.statuses.map((x) => [x.vulnerabilityId, x.status])) };
      for (const a of c.cveIds ?? []) {
        // A vendor proposes; only a coordinator assigns (set-cve). A proposal must at least be an ID
        // for a vulnerability this vendor says it is affected by.
        if (!CVE_ID.test(a.cveId)) throw invalid(`"${a.cveId}" is not a CVE ID (CVE-YYYY-NNNN)`);
        const vul = s.vulnerabilities.find((x) => x.vulnerabilityId === a.vulnerabilityId);
        if (!vul) throw notFound(`no vulnerability ${a.vulnerabilityId} on this case`);
        if (statuses[a.vulnerabilityId] !== 'affected') throw invalid(`a CVE ID can be proposed only for a vulnerability you are affected by; ${a.vulnerabilityId} is not marked affected`);
        if (v.proposals.cveIds[a.vulnerabilityId]?.cveId !== a.cveId && vul.cveId !== a.cveId)
          events.push({ ...base, type: 'vendor-cve-proposed', vendorId: v.vendorId, vulnerabilityId: a.vulnerabilityId, cveId: a.cveId });
      }
      return events;
    }

    case 'record-vendor-contact': {
      requirePhase(s, ['outreach', 'embargo', 'draft-review', 'publication'], 'contacting a vendor');
      const v = vendorById(s, c.vendorId);
      if (!v) throw notFound(`no vendor ${c.vendorId} on this case`);
      if (v.firstContactAt) return []; // the first contact happens once; later attempts are reminders
      // The embargo clock starts at a real attempt: to an address a coordinator confirmed.
      if (v.contacts.length === 0) throw conflict(s, `vendor ${v.vendorId} has no confirmed contact to reach`, []);
      return [{ ...base, type: 'vendor-contacted', vendorId: v.vendorId, attempt: 1, purpose: c.purpose }];
    }

    case 'open-embargo': {
      requirePhase(s, ['outreach'], 'opening the embargo');
      // Public information needs no embargo: straight to the draft (early release).
      if (s.flags.p || s.flags.x || s.flags.a || s.embargo.state === 'EXITED')
        return [{ ...base, type: 'draft-review-started', cause: 'early-release' }];
      // No vendor reached yet (none has a confirmed contact): the clock has not started.
      const first = s.embargo.firstContactAt;
      if (!first) return [];
      const plan = planEmbargo(s, first, now, policy);
      return [{ ...base, type: 'embargo-activated', endsAt: plan.endsAt, firstContactAt: first, rule: plan.rule }];
    }

    case 'send-reminder': {
      if (c.kind === 'publication-decision') {
        requirePhase(s, ['draft-review'], 'reminding coordinators to decide on publication');
        return [{ ...base, type: 'reminder-sent', kind: c.kind }];
      }
      const v = c.vendorId ? vendorById(s, c.vendorId) : undefined;
      if (!v) throw notFound(`no vendor ${c.vendorId ?? '(none)'} on this case`);
      requirePhase(s, ['embargo', 'draft-review', 'publication'], 'reminding a vendor');
      if (c.kind === 'vendor-acknowledgement') {
        if (v.acknowledgedAt || v.unresponsiveAt) return [];
        if (v.attempts.length >= policy.maxContactAttempts) throw conflict(s, `vendor ${v.vendorId} has had ${v.attempts.length} attempts already`, []);
        return [{ ...base, type: 'reminder-sent', kind: c.kind, vendorId: v.vendorId, attempt: v.attempts.length + 1 }];
      }
      if (c.kind === 'final-notice') {
        if (!v.unresponsiveAt || v.finalNoticeAt) return [];
        return [{ ...base, type: 'reminder-sent', kind: c.kind, vendorId: v.vendorId }];
      }
      if (v.statement !== null || v.statementReminderAt) return [];
      return [{ ...base, type: 'reminder-sent', kind: c.kind, vendorId: v.vendorId }];
    }

    case 'mark-unresponsive': {
      const v = vendorById(s, c.vendorId);
      if (!v) throw notFound(`no vendor ${c.vendorId} on this case`);
      if (v.acknowledgedAt || v.unresponsiveAt) return [];
      return [{ ...base, type: 'vendor-unresponsive', vendorId: v.vendorId }];
    }

    case 'start-draft-review': {
      requirePhase(s, ['embargo'], 'starting draft review');
      const early = s.embargo.state === 'EXITED' || s.flags.p || s.flags.x || s.flags.a;
      if (!early && !dueDeadlines(s, policy, now).some((d) => d.kind === 'draft-due')) throw conflict(s, 'the draft is not due yet', []);
      return [{ ...base, type: 'draft-review-started', cause: early ? 'early-release' : 'draft-date' }];
    }

    case 'assign-cve': {
      const vul = s.vulnerabilities.find((x) => x.vulnerabilityId === c.vulnerabilityId);
      if (!vul) throw notFound(`no vulnerability ${c.vulnerabilityId} on this case`);
      if (!CVE_ID.test(c.cveId)) throw invalid(`"${c.cveId}" is not a CVE ID`);
      if (vul.cveId === c.cveId) return [];
      if (vul.cveId) throw conflict(s, `${c.vulnerabilityId} already has ${vul.cveId}`, []);
      return [{ ...base, type: 'cve-assigned', vulnerabilityId: c.vulnerabilityId, cveId: c.cveId, source: c.source }];
    }

    case 'revise-draft': {
      requireOpen(s, 'revising the draft');
      requirePhase(s, ['embargo', 'draft-review', 'publication'], 'revising the draft');
      if (!c.markdown.trim()) throw invalid('the draft must not be empty');
      const revision = (s.draft.revisions.at(-1)?.revision ?? 0) + 1;
      return [{ ...base, type: 'draft-revised', revision, markdown: c.markdown, ...(c.reason ? { reason: c.reason } : {}) }];
    }

    case 'share-draft': {
      requirePhase(s, ['draft-review'], 'sharing the draft');
      const latest = s.draft.revisions.at(-1);
      if (!latest) throw conflict(s, 'there is no draft to share', []);
      if (s.draft.shared?.revision === latest.revision) return [];
      const publishAt = plannedPublishAt(s, now, policy);
      return [{ ...base, type: 'draft-shared', revision: latest.revision, publishAt }];
    }

    case 'decide-publication': {
      requireOpen(s, 'a publication decision');
      requirePhase(s, ['draft-review', 'publication'], 'a publication decision');
      const reason = c.reason?.trim();
      if (c.decision === 'do-not-publish' && !reason) throw invalid('deciding not to publish needs a reason');
      if (c.decision === 'revise')
        return [{ ...base, type: 'publication-decided', decision: 'revise', ...(reason ? { reason } : {}) }];
      if (c.decision === 'do-not-publish') return [{ ...base, type: 'publication-decided', decision: 'do-not-publish', reason: reason ?? '' }];
      const latest = s.draft.revisions.at(-1);
      if (!latest || s.draft.shared?.revision !== latest.revision)
        throw conflict(s, `the latest draft revision (${latest?.revision ?? 'none'}) has not been shared with the participants yet`, ['revise-draft', 'decide-publication']);
      const publishAt = c.publishAt ? normalize(c.publishAt) : s.draft.shared.publishAt;
      if ((s.embargo.state === 'ACTIVE' || s.embargo.state === 'REVISE') && s.embargo.endsAt && ms(publishAt) < ms(s.embargo.endsAt))
        throw new DomainError(
          'EmbargoActive',
          `the embargo is active until ${s.embargo.endsAt}; publication cannot be earlier (change the embargo first)`,
          { phase: s.phase, rm: s.rm, em: s.embargo.state },
          ['set-embargo', 'raise-signal'],
        );
      return [{ ...base, type: 'publication-decided', decision: 'approve', publishAt, ...(reason ? { reason } : {}) }];
    }

    case 'publish':
      return publish(s, c, base);

    case 'close-case': {
      requireOpen(s, 'closing');
      const reason = c.reason.trim();
      if (!reason) throw invalid('closing needs a reason');
      // Closing ends an active embargo first (the fold records EXITED), so RM never closes under one.
      return [{ ...base, type: 'case-closed', closure: c.closure ?? 'withdrawn', reason }];
    }

    case 'record-notification':
      if (s.notifications[c.key]) return [];
      return [{ ...base, type: 'notification-sent', key: c.key, template: c.template, to: c.to }];

    case 'mark-applied':
      if (c.upToSeq <= s.appliedSeq) return [];
      return [{ ...base, type: 'events-applied', upToSeq: c.upToSeq }];

    case 'block':
      return [{ ...base, type: 'workflow-blocked', error: c.error, cause: c.cause }];
  }
}

/** One entry per address (case-insensitive), the first spelling kept. */
function uniqueContacts(contacts: readonly ContactInput[]): ContactInput[] {
  const seen = new Set<string>();
  return contacts.filter((x) => {
    const key = x.email.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whose links a manage-links command is about: the reporter, one contact, or every contact of a vendor. */
function linkHolders(s: CaseState, vendorId: string | undefined, email: string | undefined): LinkHolder[] {
  if (vendorId === undefined) {
    if (email !== undefined) throw invalid('an email names a vendor contact; give the vendorId too');
    return [{ role: 'reporter' }];
  }
  const v: VendorState | undefined = vendorById(s, vendorId);
  if (!v) throw notFound(`no vendor ${vendorId} on this case`);
  if (email === undefined) return v.contacts.map((x) => ({ role: 'vendor', vendorId: v.vendorId, email: x.email }));
  const contact = contactOf(v, email);
  if (!contact) throw notFound(`${vendorId} has no confirmed contact with that address`);
  return [{ role: 'vendor', vendorId: v.vendorId, email: contact.email }];
}

type PublishCommand = Extract<Command, { type: 'publish' }>;

function publish(s: CaseState, c: PublishCommand, base: { at: string; by: Actor }): CaseEvent[] {
  const now = base.at;
  requirePhase(s, ['publication'], 'publishing');
  const publishAt = s.publication.publishAt ?? now;
  if (ms(now) < ms(publishAt)) throw conflict(s, `the publication date ${publishAt} has not come`, []);
  const active = s.embargo.state === 'ACTIVE' || s.embargo.state === 'REVISE';
  if (active && s.embargo.endsAt && ms(now) < ms(s.embargo.endsAt))
    throw new DomainError('EmbargoActive', `the embargo is active until ${s.embargo.endsAt}`, { phase: s.phase, rm: s.rm, em: s.embargo.state }, []);
  const latest = s.draft.shared?.revision ?? s.draft.revisions.at(-1)?.revision ?? 0;
  return [{ ...base, type: 'note-published', noteId: c.noteId, revision: latest }];
}

/**
 * Publishing alone, by the same rules as decide(…, publish): the publication step runs only this
 * command, and its bundle need not carry every other decision.
 */
export function decidePublish(s: CaseState, c: PublishCommand, ctx: DecideContext): CaseEvent[] {
  authorize(c, ctx.actor);
  return publish(s, c, { at: ctx.now, by: ctx.actor });
}

/** The date the shared draft announces: the embargo end, or soon after an early release. */
export function plannedPublishAt(s: CaseState, now: string, _policy: Policy): string {
  if (s.publication.publishAt && ms(s.publication.publishAt) > ms(now)) return s.publication.publishAt;
  if ((s.embargo.state === 'ACTIVE' || s.embargo.state === 'REVISE') && s.embargo.endsAt) return s.embargo.endsAt;
  return now; // early release: publish as soon as the coordinator approves
}
