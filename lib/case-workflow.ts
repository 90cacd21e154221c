// The case workflow (docs/workflow.md): one Standard execution per case, JSONPath only, built from L2
// tasks so CDK writes the IAM. It owns time and ordering; every decision is made by a handler.
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  type IChainable,
  Errors,
  IntegrationPattern,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { Config } from './config.js';
import type { CveServicesKey } from './cve-services-key.js';
import { bindEnvironment, bindTaskSignals, CvdFunction } from './function-defaults.js';
import { functionEnvParts } from './function-environment.js';
import type { CaseFiles } from './case-files.js';
import type { LinkSecret } from './link-secret.js';
import type { PgpKey } from './pgp-key.js';
import type { Mailer } from './mailer.js';
import { tableAccess } from './table-access.js';
import { ChoiceRoutes, PHASES, type Phase } from '../functions/workflow-contract.js';
import {
  BlockingError,
  State,
  TransientError,
  WorkRemainsError,
  WaitKind,
  WorkflowHandler,
  workflowHandlerEntry,
  type StateName,
  type WaitKindName,
  type WorkflowHandlerName,
} from './workflow-states.js';

export interface CaseWorkflowProps {
  readonly table: ITable;
  readonly mailer: Mailer;
  readonly linkSecret: LinkSecret;
  readonly pgpKey: PgpKey;
  readonly files: CaseFiles;
  readonly config: Config;
  /** Only in cveMode cve-services. */
  readonly cveServicesKey?: CveServicesKey;
}

/** How long a blocked case waits for a coordinator before it is reported again. */
/** How often a blocked case checks in: daily, for the still-blocked metric; the coordinators are mailed weekly. */
export const UNBLOCK_REMINDER = Duration.days(1);

/**
 * A step that ran out of its turn's time with mail left goes again at once: each turn sends what
 * it can in about 12 s, so 60 turns cover thousands of recipients.
 */
export const WORK_REMAINS_RETRY: RetryProps = {
  errors: [...WorkRemainsError],
  interval: Duration.seconds(1),
  backoffRate: 1,
  maxAttempts: 60,
};

/** Lambda's own transient failures plus the ones our handlers throw to ask for a retry. */
export const TRANSIENT_RETRY: RetryProps = {
  errors: [
    'Lambda.ClientExecutionTimeoutException',
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
    'Lambda.Unknown',
    ...TransientError,
  ],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 6,
  jitterStrategy: JitterType.FULL,
};

const pascalCase = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

const phaseIs = (phase: string): Condition => Condition.stringEquals('$.phase', phase);

// `route` is optional in a Step: comparing a missing path is a runtime error, so check it first.
const routeIs = (...routes: string[]): Condition => {
  const matches = routes.map((route) => Condition.stringEquals('$.route', route));
  const match = matches.length === 1 && matches[0] !== undefined ? matches[0] : Condition.or(...matches);
  return Condition.and(Condition.isPresent('$.route'), match);
};

export class CaseWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  readonly functions: ReadonlyMap<WorkflowHandlerName, CvdFunction>;

  constructor(scope: Construct, id: string, props: CaseWorkflowProps) {
    super(scope, id);
    const { config } = props;
    this.functions = this.createFunctions(props);

    // ReportBlocked first: every other task may catch into it.
    const reportBlocked = this.invoke(State.ReportBlocked, WorkflowHandler.ReportBlocked);
    const awaitUnblock = this.awaitSignal(State.AwaitUnblock, WaitKind.Unblock, Timeout.duration(UNBLOCK_REMINDER));
    // A handler that throws a named error a coordinator must fix parks the case in ReportBlocked.
    // Every task outside the blocked loop catches them, since every step may send mail (MailRejected).
    const blockable = <T extends LambdaInvoke | MapState>(task: T): T => {
      task.addCatch(reportBlocked, { errors: [...BlockingError], resultPath: '$.error' });
      return task;
    };
    const onTimeout = (task: LambdaInvoke, next: LambdaInvoke): void => {
      // The Step that entered the wait goes on unchanged; the timeout itself is the message.
      task.addCatch(next, { errors: [Errors.TIMEOUT], resultPath: JsonPath.DISCARD });
    };

    const locateCase = this.invoke(State.LocateCase, WorkflowHandler.LocateCase);
    const resumeRouter = new Choice(this, State.ResumeRouter, {
      comment: 'Continue an existing case where it stands (restarts, redrives, new workflow versions)',
    });

    // ── intake and triage
    const registerCase = blockable(this.invoke(State.RegisterCase, WorkflowHandler.RegisterCase));
    const preScreen = blockable(this.invoke(State.PreScreen, WorkflowHandler.PreScreen));
    const awaitTriageDecision = this.awaitSignal(
      State.AwaitTriageDecision,
      WaitKind.Triage,
      Timeout.duration(Duration.hours(config.triageSlaHours)),
    );
    const escalateTriage = blockable(this.invoke(State.EscalateTriage, WorkflowHandler.AdvanceCase));
    onTimeout(awaitTriageDecision, escalateTriage);
    blockable(awaitTriageDecision);
    const applyTriageDecision = blockable(this.applyEvents(State.ApplyTriageDecision));
    const triageRoute = new Choice(this, State.TriageRoute);
    const requestInformation = blockable(this.invoke(State.RequestInformation, WorkflowHandler.RequestInformation));
    const awaitInformation = this.awaitSignal(
      State.AwaitInformation,
      WaitKind.Information,
      Timeout.duration(Duration.days(config.informationRequestDays)),
    );
    const closeAsInvalid = blockable(
      this.invoke(State.CloseAsInvalid, WorkflowHandler.CloseUnanswered, { caseId: JsonPath.stringAt('$.caseId') }),
    );
    onTimeout(awaitInformation, closeAsInvalid);
    blockable(awaitInformation);
    const applyInformation = blockable(this.applyEvents(State.ApplyInformation));
    const informationRoute = new Choice(this, State.InformationRoute);
    const notifyDeclined = blockable(this.invoke(State.NotifyDeclined, WorkflowHandler.NotifyDeclined));
    const declined = new Succeed(this, State.Declined);

    // ── outreach and the embargo event loop
    const prepareOutreach = blockable(this.invoke(State.PrepareOutreach, WorkflowHandler.PrepareOutreach));
    const contactVendors = new MapState(this, State.ContactVendors, {
      itemsPath: '$.vendors',
      maxConcurrency: 10,
      itemSelector: {
        caseId: JsonPath.stringAt('$.caseId'),
        vendorId: JsonPath.stringAt('$$.Map.Item.Value.vendorId'),
      },
      resultPath: JsonPath.DISCARD,
    });
    // A vendor's MailRejected fails its iteration and so the Map: caught on the Map.
    contactVendors.itemProcessor(this.invoke(State.NotifyVendor, WorkflowHandler.NotifyVendor));
    blockable(contactVendors);
    const openEmbargo = blockable(this.invoke(State.OpenEmbargo, WorkflowHandler.OpenEmbargo));
    const planNextDeadline = blockable(this.invoke(State.PlanNextDeadline, WorkflowHandler.PlanNextDeadline));
    const awaitCaseEvent = this.awaitSignal(State.AwaitCaseEvent, WaitKind.CaseEvent, Timeout.at('$.waitSeconds'));
    const deadlineReached = blockable(this.invoke(State.DeadlineReached, WorkflowHandler.AdvanceCase));
    onTimeout(awaitCaseEvent, deadlineReached);
    blockable(awaitCaseEvent);
    const applyCaseEvents = blockable(this.applyEvents(State.ApplyCaseEvents));
    const embargoRoute = new Choice(this, State.EmbargoRoute);

    // ── draft review and publication
    const assignCveIds = blockable(this.invoke(State.AssignCveIds, WorkflowHandler.AssignCveIds));
    const draftNote = blockable(this.invoke(State.DraftNote, WorkflowHandler.DraftNote));
    const shareDraft = blockable(this.invoke(State.ShareDraft, WorkflowHandler.ShareDraft));
    const awaitPublicationDecision = this.awaitSignal(
      State.AwaitPublicationDecision,
      WaitKind.PublicationDecision,
      Timeout.at('$.waitSeconds'),
    );
    const remindPublicationDecision = blockable(this.invoke(State.RemindPublicationDecision, WorkflowHandler.AdvanceCase));
    onTimeout(awaitPublicationDecision, remindPublicationDecision);
    blockable(awaitPublicationDecision);
    const applyPublicationDecision = blockable(this.applyEvents(State.ApplyPublicationDecision));
    const publicationRoute = new Choice(this, State.PublicationRoute);
    // A token wait rather than a Wait state: a coordinator can still revise or cancel meanwhile.
    const awaitPublicationDate = this.awaitSignal(State.AwaitPublicationDate, WaitKind.PublicationDate, Timeout.at('$.waitSeconds'));
    const publishNote = blockable(this.invoke(State.PublishNote, WorkflowHandler.PublishNote));
    const applyPublicationEvents = blockable(this.applyEvents(State.ApplyPublicationEvents));
    // The timeout too goes through advance-case: a wait is capped (20 days), so its end is
    // not always the publication date; the handler says "publish" only when the date has come.
    onTimeout(awaitPublicationDate, applyPublicationEvents);
    blockable(awaitPublicationDate);
    const publicationDateRoute = new Choice(this, State.PublicationDateRoute);
    const publishCveRecords = blockable(this.invoke(State.PublishCveRecords, WorkflowHandler.PublishCveRecords));
    const notifyPublished = blockable(this.invoke(State.NotifyPublished, WorkflowHandler.NotifyPublished));
    const published = new Succeed(this, State.Published);
    const closed = new Succeed(this, State.Closed, { comment: 'Not published, withdrawn, invalid or declined late' });

    // ── transitions
    locateCase.next(resumeRouter);
    // A published note's update (an execution started for it, or one woken from the blocked loop)
    // goes out through the same three publication steps; every other case routes on its phase.
    this.route(resumeRouter, 'Resume', { 'update-note': publishNote });
    this.branch(resumeRouter, {
      intake: registerCase,
      triage: preScreen,
      declined,
      outreach: prepareOutreach,
      embargo: planNextDeadline,
      'draft-review': assignCveIds,
      publication: awaitPublicationDate,
      published,
      closed,
    }).otherwise(registerCase);

    // Every Choice sends a route it does not expect to LocateCase, which re-routes from the case's
    // phase: a case that moved on (a coordinator closed it, say) is never stuck in the wrong loop.
    // The routes each Choice reads come from the handlers' contract (ChoiceRoutes), each with its target.
    registerCase.next(preScreen).next(awaitTriageDecision).next(applyTriageDecision).next(triageRoute);
    escalateTriage.next(triageRoute);
    this.route(triageRoute, 'Triage', {
      accept: prepareOutreach,
      decline: notifyDeclined,
      'request-info': requestInformation,
      prescreen: preScreen,
      wait: awaitTriageDecision,
      closed,
    }).otherwise(locateCase);
    requestInformation.next(awaitInformation).next(applyInformation).next(informationRoute);
    // The answer may beat the timer: CloseAsInvalid then routes back to triage instead of closing.
    closeAsInvalid.next(informationRoute);
    this.route(informationRoute, 'Information', {
      closed,
      prescreen: preScreen,
      wait: awaitInformation,
      'request-info': awaitInformation,
    }).otherwise(locateCase);
    notifyDeclined.next(declined);

    prepareOutreach.next(contactVendors).next(openEmbargo).next(planNextDeadline);
    planNextDeadline.next(awaitCaseEvent).next(applyCaseEvents).next(embargoRoute);
    deadlineReached.next(embargoRoute);
    // advance-case returns the wait with its route (waitSecondsOf), so the loop goes straight back
    // to waiting: a PlanNextDeadline there would read the case a second time for the same answer.
    this.route(embargoRoute, 'Embargo', {
      embargo: awaitCaseEvent,
      accept: prepareOutreach,
      'draft-review': assignCveIds,
      closed,
      published,
    }).otherwise(locateCase);

    assignCveIds.next(draftNote).next(shareDraft).next(awaitPublicationDecision);
    awaitPublicationDecision.next(applyPublicationDecision).next(publicationRoute);
    remindPublicationDecision.next(publicationRoute);
    this.route(publicationRoute, 'PublicationDecision', {
      approve: awaitPublicationDate,
      publish: publishNote,
      revise: draftNote,
      'draft-review': assignCveIds,
      wait: awaitPublicationDecision,
      closed,
    }).otherwise(locateCase);
    awaitPublicationDate.next(applyPublicationEvents).next(publicationDateRoute);
    this.route(publicationDateRoute, 'PublicationDate', {
      publish: publishNote,
      approve: awaitPublicationDate,
      revise: draftNote,
      wait: awaitPublicationDecision,
      closed,
    }).otherwise(locateCase);
    publishNote.next(publishCveRecords).next(notifyPublished).next(published);

    // Blocked: report, wait for a coordinator (re-reporting weekly), then re-route from the case.
    reportBlocked.next(awaitUnblock);
    awaitUnblock.addCatch(reportBlocked, { errors: [Errors.TIMEOUT], resultPath: '$.error' });
    awaitUnblock.next(locateCase);

    this.logGroup = new LogGroup(this, 'ExecutionLogs', {
      retention: config.logRetentionDays as RetentionDays,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(locateCase),
      stateMachineType: StateMachineType.STANDARD,
      comment: 'One execution per case: triage, outreach, embargo, draft review, publication',
      tracingEnabled: true,
      // Errors only, without execution data: an error's cause can carry an embargoed title or a
      // recipient's address, and the case's own log (ReportBlocked) keeps the cause anyway.
      logs: { destination: this.logGroup, level: LogLevel.ERROR, includeExecutionData: false },
    });

    NagSuppressions.addResourceSuppressions(
      this.stateMachine,
      [
        {
          id: 'AwsSolutions-SF1',
          reason:
            'Logging is at ERROR level without execution data on purpose: inputs, outputs and error causes can hold embargoed vulnerability details and e-mail addresses. Failed states and their error names are logged; the case event log records every step and every blocking cause.',
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'CDK grants lambda:InvokeFunction on "<function ARN>:*" beside each function ARN so versions and aliases of our own workflow functions can be invoked; the functions are named.',
          appliesTo: [{ regex: '/^Resource::<.+\\.Arn>:\\*$/g' }],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'X-Ray (PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) and CloudWatch Logs vended delivery (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) support no resource-level permissions; Step Functions logging and tracing need them on "*".',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
  }

  private createFunctions(props: CaseWorkflowProps): ReadonlyMap<WorkflowHandlerName, CvdFunction> {
    const scope = new Construct(this, 'Handlers');
    const functions = new Map<WorkflowHandlerName, CvdFunction>();
    for (const name of Object.values(WorkflowHandler)) {
      const fn = new CvdFunction(scope, pascalCase(name), {
        entry: workflowHandlerEntry(name),
        handlerName: name,
        envParts: functionEnvParts[name],
        logRetentionDays: props.config.logRetentionDays,
      });
      bindEnvironment(fn, tableAccess[name], props);
      functions.set(name, fn);
    }
    // The awaited event may land before await-signal has stored its token; it then completes its
    // own task at once, so it needs SendTaskSuccess.
    bindTaskSignals(this.fn(WorkflowHandler.AwaitSignal, functions));
    return functions;
  }

  private fn(name: WorkflowHandlerName, functions = this.functions): CvdFunction {
    const fn = functions.get(name);
    if (fn === undefined) throw new Error(`no workflow function ${name}`);
    return fn;
  }

  /** A plain step: the handler gets the state input (or `payload`) and its return is the output. */
  private invoke(state: StateName, handler: WorkflowHandlerName, payload?: Record<string, unknown>): LambdaInvoke {
    const task = new LambdaInvoke(this, state, {
      lambdaFunction: this.fn(handler),
      // The function ARN as Resource: output is the handler's return, not Lambda's envelope.
      payloadResponseOnly: true,
      ...(payload === undefined ? {} : { payload: TaskInput.fromObject(payload) }),
      // One retrier, TRANSIENT_RETRY, covers CDK's default errors too, with jitter.
      retryOnServiceExceptions: false,
    });
    task.addRetry(WORK_REMAINS_RETRY);
    task.addRetry(TRANSIENT_RETRY);
    return task;
  }

  /** A .waitForTaskToken step: await-signal stores the token on the case under `kind`. */
  private awaitSignal(state: StateName, kind: WaitKindName, timeout: Timeout): LambdaInvoke {
    const task = new LambdaInvoke(this, state, {
      lambdaFunction: this.fn(WorkflowHandler.AwaitSignal),
      // payloadResponseOnly cannot wait for a token: this one goes through lambda:invoke.waitForTaskToken.
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        caseId: JsonPath.stringAt('$.caseId'),
        kind,
        taskToken: JsonPath.taskToken,
        // The wait's length travels with the payload too, so the local engine can run the timer itself.
        ...(timeout.path === undefined ? {} : { waitSeconds: JsonPath.numberAt(timeout.path) }),
      }),
      taskTimeout: timeout,
      // The events are in the case's log, not in the signal: keep the Step that entered the wait.
      resultPath: JsonPath.DISCARD,
      retryOnServiceExceptions: false,
    });
    task.addRetry(TRANSIENT_RETRY);
    return task;
  }

  /** After a wait: one turn of the event loop (advance-case), from the case id alone. */
  private applyEvents(state: StateName): LambdaInvoke {
    return this.invoke(state, WorkflowHandler.AdvanceCase, { caseId: JsonPath.stringAt('$.caseId') });
  }

  /** A Choice on the route a step returned: a target for exactly the routes this Choice reads. */
  private route<K extends keyof typeof ChoiceRoutes>(
    choice: Choice,
    kind: K,
    targets: { [R in (typeof ChoiceRoutes)[K][number]]: IChainable },
  ): Choice {
    for (const r of ChoiceRoutes[kind] as readonly (typeof ChoiceRoutes)[K][number][]) choice.when(routeIs(r), targets[r]);
    return choice;
  }

  /** ResumeRouter: a target for every phase of a case. */
  private branch(choice: Choice, targets: { [P in Phase]: IChainable }): Choice {
    for (const p of PHASES) choice.when(phaseIs(p), targets[p]);
    return choice;
  }
}
