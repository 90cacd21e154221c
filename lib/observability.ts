// What an operator watches: alarms on the workflow, the functions, the API, SES's reputation and
// the business metrics the handlers emit (EMF, functions/app/telemetry.ts), all mailed to the
// coordinators through one encrypted SNS topic, and a dashboard of the business metrics.
import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { Metric as BusinessMetric, type MetricName } from '../functions/app/telemetry.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../functions/environment.js';
import { PHASES } from '../functions/workflow-contract.js';
import type { Config } from './config.js';
import type { CvdFunction } from './function-defaults.js';

/** Alarm thresholds; the infra tests read them from here. */
export const THRESHOLDS = {
  /** SES puts an account under review at a 5% bounce rate: warn before. */
  sesBounceRate: 0.04,
  /** … and at a 0.1% complaint rate. */
  sesComplaintRate: 0.0008,
  /** Fewer IDs than this left in the CVE pool: reserve a new block. */
  cvePoolLow: 10,
} as const;

export interface ObservabilityProps {
  readonly config: Config;
  readonly functions: readonly CvdFunction[];
  readonly stateMachine: StateMachine;
  readonly api: RestApi;
  /** Queues whose messages failed every try: each message there waits for a redrive. */
  readonly deadLetterQueues?: readonly Queue[];
}

const FIVE_MINUTES = Duration.minutes(5);

/** A business metric as Powertools writes it: our namespace, the `service` dimension (and Phase, for one). */
export const businessMetric = (name: MetricName, statistic: string, period: Duration, phase?: string): Metric =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME, ...(phase === undefined ? {} : { Phase: phase }) },
    statistic,
    period,
  });

export class Observability extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config } = props;

    // CloudWatch must be able to use the key to publish; the AWS-managed SNS key would not let it.
    const key = new Key(this, 'AlarmTopicKey', { enableKeyRotation: true, description: 'cvd-coordinator alarm topic' });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'cvd-coordinator alarms', masterKey: key, enforceSSL: true });
    for (const address of config.coordinatorEmails) this.topic.addSubscription(new EmailSubscription(address));
    const action = new SnsAction(this.topic);

    const alarm = (name: string, metric: IMetric, threshold: number, description: string, more: Partial<AlarmOptions> = {}): Alarm => {
      const a = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
        ...more,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };

    const sm = props.stateMachine;
    alarm('ExecutionsFailed', sm.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, 'A case workflow execution failed');
    alarm('ExecutionsTimedOut', sm.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, 'A case workflow execution timed out');
    alarm('ExecutionsAborted', sm.metricAborted({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, 'A case workflow execution was aborted');

    for (const fn of props.functions) {
      const name = pascal(fn.handlerName);
      alarm(`${name}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `${fn.handlerName} threw`);
      alarm(`${name}Throttles`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `${fn.handlerName} was throttled`);
    }

    for (const [i, q] of (props.deadLetterQueues ?? []).entries())
      alarm(
        `DeadLetters${i === 0 ? '' : i + 1}`,
        q.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        1,
        'A message failed every try and waits in a dead-letter queue: fix the cause, then redrive it (README "Operations")',
      );

    alarm('Api5xx', props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, 'The API answered 5xx');

    // The workflow mails the coordinators when a case blocks and again weekly; this raises it on
    // the operators' side and holds the alarm for the day.
    alarm(
      'CaseBlocked',
      businessMetric(BusinessMetric.CasesBlocked, 'Sum', Duration.days(1)),
      1,
      'A case is blocked: it needs a coordinator',
    );
    // A blocked case checks in daily (the blocked loop's timer) and counts itself while a day or
    // more has passed since its block.
    alarm(
      'CaseBlockedOverADay',
      businessMetric(BusinessMetric.CasesStillBlocked, 'Sum', Duration.days(1)),
      1,
      'A case has been blocked for more than a day',
    );

    const ses = (metricName: string) => new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    alarm('SesBounceRate', ses('Reputation.BounceRate'), THRESHOLDS.sesBounceRate, 'SES bounce rate near the 5% review threshold');
    alarm(
      'SesComplaintRate',
      ses('Reputation.ComplaintRate'),
      THRESHOLDS.sesComplaintRate,
      'SES complaint rate near the 0.1% review threshold',
    );

    if (config.cveMode === 'pool')
      alarm(
        'CvePoolLow',
        businessMetric(BusinessMetric.CveIdsRemaining, 'Minimum', Duration.hours(1)),
        THRESHOLDS.cvePoolLow,
        'The CVE ID pool is running low: reserve a new block',
        { comparisonOperator: ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD },
      );

    this.dashboard = this.createDashboard(props);
  }

  private createDashboard(props: ObservabilityProps): Dashboard {
    const day = Duration.days(1);
    const count = (name: MetricName) => businessMetric(name, 'Sum', day);
    // Durations are emitted in seconds; shown in hours and days.
    // Each expression names its metric after it: one graph may not use one id for two metrics.
    const scaled = (name: MetricName, divisor: number, label: string) => {
      const id = name.charAt(0).toLowerCase() + name.slice(1);
      return new MathExpression({
        expression: `${id} / ${divisor}`,
        usingMetrics: { [id]: businessMetric(name, 'Average', day) },
        label,
        period: day,
      });
    };
    const dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(30) });
    dashboard.addWidgets(
      new TextWidget({
        markdown: '# cvd-coordinator\nBusiness metrics per day (EMF, namespace `CvdCoordinator`) and what the alarms watch.',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Reports, publications, blocked cases',
        left: [
          count(BusinessMetric.ReportsReceived),
          count(BusinessMetric.Publications),
          count(BusinessMetric.CasesBlocked),
          count(BusinessMetric.CasesUnblocked),
          count(BusinessMetric.CasesStillBlocked),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Cases entering each phase',
        left: PHASES.map((phase) => businessMetric(BusinessMetric.CasesEnteredPhase, 'Sum', day, phase).with({ label: phase })),
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Time to triage, to first vendor contact (hours, average)',
        left: [
          scaled(BusinessMetric.TimeToTriage, 3600, 'to triage'),
          scaled(BusinessMetric.TimeToFirstVendorContact, 3600, 'to first vendor contact'),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Embargo length (days, average)',
        left: [scaled(BusinessMetric.EmbargoLength, 86400, 'embargo')],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'E-mails sent and refused',
        left: [count(BusinessMetric.EmailsSent), count(BusinessMetric.EmailsBounced)],
        width: 8,
      }),
      new GraphWidget({
        title: 'SES reputation',
        left: [
          new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate', statistic: 'Maximum', period: Duration.hours(1) }),
          new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.ComplaintRate', statistic: 'Maximum', period: Duration.hours(1) }),
        ],
        width: 8,
      }),
      new SingleValueWidget({
        title: 'CVE IDs left in the pool',
        metrics: [businessMetric(BusinessMetric.CveIdsRemaining, 'Minimum', day)],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Workflow executions failed, timed out, aborted',
        left: [
          props.stateMachine.metricFailed({ period: day }),
          props.stateMachine.metricTimedOut({ period: day }),
          props.stateMachine.metricAborted({ period: day }),
        ],
        width: 12,
      }),
      new GraphWidget({ title: 'API 5xx', left: [props.api.metricServerError({ period: day })], width: 12 }),
    );
    return dashboard;
  }
}

type AlarmOptions = ConstructorParameters<typeof Alarm>[2];

const pascal = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
