// The commands a case takes, and what a decision needs: the types every decider shares.
import type { ReportVia } from './inbound-mail.js';
import type { Priority } from './priority.js';
import type { AudienceInput, Recipients } from './audience.js';
import type { CaseState, Phase } from './case.js';
import type {
  Actor,
  CaseEvent,
  ContactInput,
  DeclineReason,
  NoticeHolder,
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
import type { VendorReference } from './vendor-references.js';
import type { VendorCsafTlp } from './tlp.js';

export type Command =
  // reporter
  | { type: 'submit-report'; caseId: string; report: Report; via?: ReportVia }
  /** messageId: the item the body is stored in (outside the snapshot); the body is checked here, not logged. */
  | { type: 'provide-information'; body: string; messageId: string }
  | { type: 'announce-self-disclosure'; disclosureAt: string; body: string }
  // reporter, vendor or coordinator
  /** to: a coordinator's audience (participants always write to the coordinators); inReplyTo: a message the writer can read. */
  | {
      type: 'add-comment';
      body: string;
      messageId: string;
      onDraft?: boolean;
      to?: AudienceInput;
      inReplyTo?: string;
      /** The recipients `to` was resolved to when the copies were written, so the event names the same ones. */
      recipients?: Recipients;
    }
  // coordinator
  | { type: 'decide-triage'; decision: TriageDecision; reasons?: DeclineReason[]; comment?: string }
  | {
      type: 'add-vendors';
      vendors: {
        name: string;
        contacts: ContactInput[];
        isCna?: boolean;
        cnaShortName?: string;
        downstream?: boolean;
        /** Copied from this directory organisation (the API resolves it before the command). */
        vendorRef?: string;
      }[];
    }
  | {
      type: 'update-vendor';
      vendorId: string;
      name?: string;
      contacts?: ContactInput[];
      /** Links the vendor to a directory organisation, whose contacts join the vendor's (addContacts). */
      vendorRef?: string;
      addContacts?: ContactInput[];
      isCna?: boolean;
      cnaShortName?: string;
      downstream?: boolean;
    }
  /** Revoke or reissue the reporter's link (no vendorId) or a vendor contact's (every contact when no email). */
  | { type: 'manage-links'; action: 'revoke' | 'reissue'; vendorId?: string; email?: string }
  | { type: 'set-cve'; vulnerabilityId: string; cveId?: string | null; acceptProposalFrom?: string }
  | { type: 'add-vulnerability'; vulnerability: VulnerabilityFields }
  | { type: 'update-vulnerability'; vulnerabilityId: string; changes: Partial<VulnerabilityFields> }
  | { type: 'set-embargo'; endsAt: string; reason: string }
  | { type: 'request-embargo'; endsAt: string; reason: string }
  | { type: 'answer-embargo-request'; proposalId: string; answer: 'accept' | 'decline'; reason?: string }
  | { type: 'raise-signal'; kind: SignalKind; evidence: string }
  | { type: 'revise-draft'; markdown: string; reason?: string }
  | {
      type: 'decide-publication';
      decision: PublicationDecision;
      publishAt?: string;
      reason?: string;
      /** Phase published only: the dated change line of the update, and the vendors whose pending update it takes in. */
      changeSummary?: string;
      acceptUpdates?: string[];
    }
  | { type: 'close-case'; reason: string; closure?: 'withdrawn' | 'other' }
  /** null: back to the computed priority. */
  | { type: 'set-priority'; level: Priority | null; reason: string }
  /** The TLP of every vendor's private CSAF document on the case. */
  | { type: 'set-vendor-csaf-tlp'; tlp: VendorCsafTlp }
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
      references?: VendorReference[];
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
  /** An SES bounce or complaint for an address: marks the vendor contact with that address, if the case has one. */
  | { type: 'record-bounce'; email: string; kind: 'bounce' | 'complaint' }
  | { type: 'start-draft-review' }
  | { type: 'assign-cve'; vulnerabilityId: string; cveId: string; source: 'pool' | 'cve-services' | 'manual' }
  | { type: 'share-draft' }
  | { type: 'publish'; noteId: string }
  | { type: 'release-note-update'; noteRevision: number }
  | { type: 'record-notification'; key: string; template: string; to: string[] }
  | { type: 'hold-notice'; key: string; address: string; holder: NoticeHolder; template: string; messageId?: string }
  | { type: 'record-digest'; address: string; count: number; delivered: boolean }
  | { type: 'mark-applied'; upToSeq: number }
  | { type: 'block'; error: string; cause: string };

export type CommandType = Command['type'];

export interface DecideContext {
  now: string;
  actor: Actor;
  policy: Policy;
}

export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

/** What a decision knows besides the case: the time, who asks, the deployment's policy, and the base of every event. */
export interface DecisionContext extends DecideContext {
  base: { at: string; by: Actor };
}

/**
 * Who may run a command and where (open: the case exists and is not finished; phases: the case is
 * in one of these). One table holds it for every command (command-access.ts); the coordinator's
 * allowed-per-phase list is derived from it, so it cannot drift from what decide accepts.
 */
export interface Access {
  roles: readonly Role[];
  open?: boolean;
  phases?: readonly Phase[];
  /** How a refusal names the command: "<what> is possible only in phase …". */
  what: string;
  /** A different name for the phase refusal, where the rule reads better that way. */
  whatInPhase?: string;
  /**
   * The roles whose decision of this command reads only the case's core and the actor's own vendor,
   * and whose events change only those: on a large case it is decided and appended on that slice
   * (functions/app/commands.ts), never reading the other vendors. Property-tested against the whole
   * case (test/unit/case-slices.test.ts).
   */
  slice?: readonly Role[];
}

/** A command's decision, run once its access is checked: the new events, or a DomainError. */
export type Decision<T extends CommandType> = (s: CaseState, c: CommandOf<T>, x: DecisionContext) => CaseEvent[];

export type Decisions<K extends CommandType> = { [T in K]: Decision<T> };
