// Names of the case workflow's states, handlers and waits. Tests, the local runtime and the
// console graph all refer to states by these names, so they live apart from the CDK code.

export const State = {
  LocateCase: 'LocateCase',
  ResumeRouter: 'ResumeRouter',
  // intake and triage
  RegisterCase: 'RegisterCase',
  PreScreen: 'PreScreen',
  AwaitTriageDecision: 'AwaitTriageDecision',
  EscalateTriage: 'EscalateTriage',
  ApplyTriageDecision: 'ApplyTriageDecision',
  TriageRoute: 'TriageRoute',
  RequestInformation: 'RequestInformation',
  AwaitInformation: 'AwaitInformation',
  CloseAsInvalid: 'CloseAsInvalid',
  ApplyInformation: 'ApplyInformation',
  InformationRoute: 'InformationRoute',
  NotifyDeclined: 'NotifyDeclined',
  Declined: 'Declined',
  // outreach and embargo
  PrepareOutreach: 'PrepareOutreach',
  ContactVendors: 'ContactVendors',
  NotifyVendor: 'NotifyVendor',
  OpenEmbargo: 'OpenEmbargo',
  PlanNextDeadline: 'PlanNextDeadline',
  AwaitCaseEvent: 'AwaitCaseEvent',
  DeadlineReached: 'DeadlineReached',
  ApplyCaseEvents: 'ApplyCaseEvents',
  EmbargoRoute: 'EmbargoRoute',
  // draft review and publication
  AssignCveIds: 'AssignCveIds',
  DraftNote: 'DraftNote',
  ShareDraft: 'ShareDraft',
  AwaitPublicationDecision: 'AwaitPublicationDecision',
  RemindPublicationDecision: 'RemindPublicationDecision',
  ApplyPublicationDecision: 'ApplyPublicationDecision',
  PublicationRoute: 'PublicationRoute',
  AwaitPublicationDate: 'AwaitPublicationDate',
  ApplyPublicationEvents: 'ApplyPublicationEvents',
  PublicationDateRoute: 'PublicationDateRoute',
  PublishNote: 'PublishNote',
  PublishCveRecords: 'PublishCveRecords',
  NotifyPublished: 'NotifyPublished',
  // ends and the blocked loop
  Published: 'Published',
  Closed: 'Closed',
  ReportBlocked: 'ReportBlocked',
  AwaitUnblock: 'AwaitUnblock',
} as const;

export type StateName = (typeof State)[keyof typeof State];

/** Workflow handlers: one Lambda function each, at functions/handlers/workflow/<name>.ts. */
export const WorkflowHandler = {
  LocateCase: 'locate-case',
  RegisterCase: 'register-case',
  PreScreen: 'pre-screen',
  AwaitSignal: 'await-signal',
  EscalateTriage: 'escalate-triage',
  RequestInformation: 'request-information',
  NotifyDeclined: 'notify-declined',
  PrepareOutreach: 'prepare-outreach',
  NotifyVendor: 'notify-vendor',
  OpenEmbargo: 'open-embargo',
  PlanNextDeadline: 'plan-next-deadline',
  DeadlineReached: 'deadline-reached',
  ApplyCaseEvents: 'apply-case-events',
  AssignCveIds: 'assign-cve-ids',
  DraftNote: 'draft-note',
  ShareDraft: 'share-draft',
  RemindPublicationDecision: 'remind-publication-decision',
  PublishNote: 'publish-note',
  PublishCveRecords: 'publish-cve-records',
  NotifyPublished: 'notify-published',
  CloseCase: 'close-case',
  ReportBlocked: 'report-blocked',
} as const;

export type WorkflowHandlerName = (typeof WorkflowHandler)[keyof typeof WorkflowHandler];

export const workflowHandlerEntry = (name: WorkflowHandlerName): string => `functions/handlers/workflow/${name}.ts`;

/**
 * What a task state waits for: the `kind` in the payload of await-signal (which stores the token
 * under it) and of apply-case-events (which answers with the routes of that kind, below).
 */
export const WaitKind = {
  Triage: 'triage',
  Information: 'information',
  CaseEvent: 'case-event',
  PublicationDecision: 'publication-decision',
  PublicationDate: 'publication-date',
  Unblock: 'unblock',
} as const;

export type WaitKindName = (typeof WaitKind)[keyof typeof WaitKind];

/** The `route` values each Choice state understands; anything else takes the Choice's default. */
export const Route = {
  Triage: ['accept', 'decline', 'request-info', 'prescreen', 'wait', 'closed'],
  Information: ['closed', 'prescreen', 'wait', 'request-info'],
  // 'accept': still in outreach (no vendor reachable yet): back through PrepareOutreach.
  Embargo: ['embargo', 'accept', 'draft-review', 'closed', 'published'],
  PublicationDecision: ['approve', 'publish', 'revise', 'draft-review', 'wait', 'do-not-publish', 'closed'],
  PublicationDate: ['publish', 'approve', 'revise', 'wait', 'do-not-publish', 'closed'],
} as const;

/** The `phase` values ResumeRouter understands (the case phases of API.md). */
export const Phase = [
  'intake',
  'triage',
  'declined',
  'outreach',
  'embargo',
  'draft-review',
  'publication',
  'published',
  'closed',
] as const;

/**
 * Errors a coordinator has to fix; the tasks that can raise them catch them into ReportBlocked.
 * Handlers throw them as `Error` subclasses whose `name` is one of these.
 */
export const BlockingError = ['CvePoolExhausted', 'PublicationBlocked', 'MailRejected', 'ItemTooLargeError'] as const;

/** Errors a handler throws to ask for a retry (with backoff) rather than fail the step. */
export const TransientError = ['TransientError', 'ConcurrencyError'] as const;

/**
 * States whose timeout comes from `$.waitSeconds` (a positive integer): every handler whose
 * output can reach one of them must set it, including apply-case-events and locate-case.
 */
export const WaitSecondsStates = [
  State.AwaitCaseEvent,
  State.AwaitPublicationDecision,
  State.AwaitPublicationDate,
] as const;
