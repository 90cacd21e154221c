// Who may run each command and in which phases, for every command in one table, and the dispatch
// that checks it before a decision runs. Kept apart from the decisions (deciders/*.ts) so that a
// function running a few commands bundles only their decisions, yet refuses and names what a
// coordinator may do in each phase exactly as decide does.
import { type CaseState, EMBARGO_PROPOSAL_PHASES, PHASES, type Phase } from './case.js';
import type { Access, Command, CommandType, DecideContext, Decisions } from './command.js';
import { ALLOWED_IN_PHASE, requireOpen, requirePhase } from './deciders/guards.js';
import { DomainError } from './errors.js';
import type { CaseEvent } from './events.js';

/** The phases in which a case is being worked on: after triage has begun, before publication. */
const WORKING: readonly Phase[] = ['triage', 'outreach', 'embargo', 'draft-review'];

// Reporters and vendors propose; only coordinators decide (contacts, CNA status, CVE IDs, dates),
// and the workflow ("system") records what it did.
export const ACCESS: { readonly [T in CommandType]: Access } = {
  'submit-report': { roles: ['reporter'], what: 'submitting a report' },
  register: { roles: ['system'], what: 'registering' },
  'record-prescreen': { roles: ['system'], phases: ['intake', 'triage'], what: 'pre-screening' },
  'decide-triage': { roles: ['coordinator'], open: true, phases: ['triage'], what: 'a triage decision' },
  'request-information': { roles: ['system'], phases: ['triage'], what: 'requesting information' },
  'provide-information': {
    roles: ['reporter'],
    open: true,
    phases: ['intake', 'triage'],
    what: 'providing information',
    whatInPhase: 'providing information for triage',
  },
  'close-as-invalid': { roles: ['system'], phases: ['triage'], what: 'closing an unanswered information request' },
  'escalate-triage': { roles: ['system'], phases: ['triage'], what: 'escalating triage' },
  'add-vendors': { roles: ['coordinator'], open: true, phases: WORKING, what: 'adding vendors' },
  'update-vendor': {
    roles: ['coordinator'],
    open: true,
    phases: ['triage', 'outreach', 'embargo', 'draft-review', 'publication'],
    what: 'editing a vendor',
  },
  'manage-links': { roles: ['coordinator'], what: 'managing links' },
  acknowledge: { roles: ['vendor'], what: 'acknowledging', slice: ['vendor'] },
  'update-vendor-status': { roles: ['vendor'], what: 'updating a vendor status', slice: ['vendor'] },
  'record-vendor-contact': {
    roles: ['system'],
    phases: ['outreach', 'embargo', 'draft-review', 'publication'],
    what: 'contacting a vendor',
  },
  'mark-unresponsive': { roles: ['system'], what: 'marking a vendor unresponsive' },
  'escalate-vendor-contact': { roles: ['system'], what: 'escalating a vendor without contact' },
  'record-bounce': { roles: ['system'], what: 'recording a bounce' },
  'set-embargo': { roles: ['coordinator'], open: true, what: 'setting the embargo' },
  'request-embargo': {
    roles: ['reporter', 'vendor'],
    open: true,
    phases: EMBARGO_PROPOSAL_PHASES,
    what: 'proposing an embargo end',
  },
  'answer-embargo-request': { roles: ['coordinator'], open: true, what: 'answering an embargo proposal' },
  'raise-signal': { roles: ['coordinator'], open: true, what: 'raising a signal' },
  'announce-self-disclosure': { roles: ['reporter'], open: true, what: 'announcing disclosure' },
  'open-embargo': { roles: ['system'], phases: ['outreach'], what: 'opening the embargo' },
  'start-draft-review': { roles: ['system'], phases: ['embargo'], what: 'starting draft review' },
  'add-vulnerability': {
    roles: ['coordinator'],
    open: true,
    phases: WORKING,
    what: 'adding a vulnerability',
  },
  'update-vulnerability': {
    roles: ['coordinator'],
    open: true,
    phases: WORKING,
    what: 'editing a vulnerability',
  },
  'set-cve': { roles: ['coordinator'], open: true, phases: WORKING, what: 'setting a CVE ID' },
  'assign-cve': { roles: ['system'], what: 'assigning a CVE ID' },
  'revise-draft': {
    roles: ['coordinator', 'system'],
    phases: ['embargo', 'draft-review', 'publication', 'published'],
    what: 'revising the draft',
  },
  'share-draft': { roles: ['system'], phases: ['draft-review'], what: 'sharing the draft' },
  'decide-publication': { roles: ['coordinator'], phases: ['draft-review', 'publication', 'published'], what: 'a publication decision' },
  publish: { roles: ['system'], phases: ['publication'], what: 'publishing' },
  'release-note-update': { roles: ['system'], phases: ['published'], what: 'releasing a note update' },
  'set-priority': { roles: ['coordinator'], open: true, what: 'setting the priority' },
  'set-vendor-csaf-tlp': { roles: ['coordinator'], open: true, what: 'setting the TLP of the vendors’ CSAF documents' },
  'add-comment': { roles: ['reporter', 'vendor', 'coordinator'], open: true, what: 'commenting', slice: ['vendor'] },
  'close-case': { roles: ['coordinator'], open: true, what: 'closing' },
  'send-reminder': { roles: ['system'], what: 'sending a reminder' },
  'record-notification': { roles: ['system'], what: 'recording a notification', slice: ['system'] },
  'hold-notice': { roles: ['system'], what: 'holding a message notice for the digest', slice: ['system'] },
  'record-digest': { roles: ['system'], what: 'recording a digest' },
  'mark-applied': { roles: ['system'], what: 'marking events applied', slice: ['system'] },
  block: { roles: ['system'], what: 'blocking' },
};

/** Whether a command's phase conditions let it run in a phase (its decision may still refuse). */
const runsIn = (a: Access, phase: Phase): boolean =>
  (!a.open || !['published', 'closed', 'declined'].includes(phase)) && (a.phases === undefined || a.phases.includes(phase));

/** What a coordinator may do in each phase: the `allowed` list of a 409, derived from the table. */
function coordinatorCommandsByPhase(): Record<Phase, readonly CommandType[]> {
  const types = Object.keys(ACCESS) as CommandType[];
  const out = {} as Record<Phase, readonly CommandType[]>;
  for (const phase of PHASES) out[phase] = types.filter((t) => ACCESS[t].roles.includes('coordinator') && runsIn(ACCESS[t], phase));
  return out;
}
export const COORDINATOR_COMMANDS_BY_PHASE = /* @__PURE__ */ coordinatorCommandsByPhase();

/**
 * A decide for the commands whose decisions are given: access first, then the decision. The
 * decisions come as a function, read at the first call: a bundler can then drop a decide nobody
 * calls together with every decision it names (an object spread in the call would be kept).
 */
export function decideWith<K extends CommandType>(given: () => Decisions<K>) {
  let decisions: Decisions<K> | undefined;
  return (s: CaseState, c: Extract<Command, { type: K }>, ctx: DecideContext): CaseEvent[] => {
    decisions ??= given();
    const access: Access = ACCESS[c.type];
    if (!access.roles.includes(ctx.actor.role))
      throw new DomainError('NotAllowed', `a ${ctx.actor.role} may not ${c.type.replace(/-/g, ' ')}`);
    const decision = decisions[c.type as K] as
      | ((s: CaseState, c: Command, x: DecideContext & { base: { at: string; by: DecideContext['actor'] } }) => CaseEvent[])
      | undefined;
    if (!decision) throw new TypeError(`no decision for ${c.type} here`);
    try {
      if (access.open) requireOpen(s, access.what);
      if (access.phases) requirePhase(s, access.phases, access.whatInPhase ?? access.what);
      return decision(s, c, { ...ctx, base: { at: ctx.now, by: ctx.actor } });
    } catch (e) {
      // A refusal for the case's state tells the coordinator what this phase allows instead.
      if (e instanceof DomainError && e.allowed === ALLOWED_IN_PHASE)
        throw new DomainError(e.code, e.message, e.state, COORDINATOR_COMMANDS_BY_PHASE[s.phase]);
      throw e;
    }
  };
}
