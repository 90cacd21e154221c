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
  /** One turn of the event loop: behind every Apply… state, DeadlineReached, EscalateTriage and RemindPublicationDecision. */
  AdvanceCase: 'advance-case',
  RequestInformation: 'request-information',
  NotifyDeclined: 'notify-declined',
  PrepareOutreach: 'prepare-outreach',
  NotifyVendor: 'notify-vendor',
  OpenEmbargo: 'open-embargo',
  PlanNextDeadline: 'plan-next-deadline',
  AssignCveIds: 'assign-cve-ids',
  DraftNote: 'draft-note',
  ShareDraft: 'share-draft',
  PublishNote: 'publish-note',
  PublishCveRecords: 'publish-cve-records',
  NotifyPublished: 'notify-published',
  /** CloseAsInvalid: a reporter who did not answer a request for information in time. */
  CloseUnanswered: 'close-unanswered',
  ReportBlocked: 'report-blocked',
} as const;

export type WorkflowHandlerName = (typeof WorkflowHandler)[keyof typeof WorkflowHandler];

export const workflowHandlerEntry = (name: WorkflowHandlerName): string => `functions/handlers/workflow/${name}.ts`;

// What tasks exchange with the state machine (waits, routes, phases) is the handlers' contract too.
export { ChoiceRoutes, PHASES as Phase, Route, WaitKind, type RouteName, type WaitKindName } from '../functions/workflow-contract.js';

/**
 * Errors a coordinator has to fix; the tasks that can raise them catch them into ReportBlocked.
 * Handlers throw them as `Error` subclasses whose `name` is one of these.
 */
export const BlockingError = ['CvePoolExhausted', 'PublicationBlocked', 'MailRejected', 'ItemTooLargeError'] as const;

/** A step that stopped at its turn's time with mail left (functions/app/turn-budget.ts): run it again at once. */
export const WorkRemainsError = ['WorkRemains'] as const;

/**
 * Errors a handler throws to ask for a retry (with backoff) rather than fail the step. A step run on
 * a slice of a large case that needed the whole case (SliceTooNarrowError) reads it on the retry.
 */
export const TransientError = ['TransientError', 'ConcurrencyError', 'SliceTooNarrowError'] as const;

/**
 * States whose timeout comes from `$.waitSeconds` (a positive integer): every handler whose
 * output can reach one of them must set it, including advance-case and locate-case.
 */
export const WaitSecondsStates = [State.AwaitCaseEvent, State.AwaitPublicationDecision, State.AwaitPublicationDate] as const;
