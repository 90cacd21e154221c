// Bounces and complaints: the configuration set every send names (lib/mailer.ts) publishes SES's
// BOUNCE and COMPLAINT events to an SNS topic (KMS-encrypted, TLS only, publishable by SES for this
// account's configuration set alone). The topic's only subscriber is a queue, and the mail-feedback
// function reads the queue and marks the address on the case the mail's `case` tag names
// (functions/app/mail-feedback.ts). A message whose marking keeps failing moves to a dead-letter
// queue after five tries, which raises an alarm and is redriven to the queue once the cause is
// fixed: no notification is lost to a failing store, as an asynchronous invocation would lose it.
import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { EventHandler, eventHandlerEntry } from './event-handlers.js';
import { bindEnvironment, bindTaskSignals, CvdFunction, type EnvironmentSources } from './function-defaults.js';
import { functionEnvParts } from './function-environment.js';
import { tableAccess } from './table-access.js';

/** What its environment is made of: the stack's sources, less the workflow and CVE Services it never calls. */
export type MailFeedbackProps = Omit<EnvironmentSources, 'stateMachine' | 'cveServicesKey'>;

/** Tries of one feedback message before it moves to the dead-letter queue. */
export const MAX_RECEIVES = 5;

/** The SES events that mark a contact: the others (deliveries, opens) are not published at all. */
export const FEEDBACK_EVENTS = [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT] as const;

export class MailFeedback extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  readonly fn: CvdFunction;
  readonly queue: Queue;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: MailFeedbackProps) {
    super(scope, id);
    const { mailer } = props;
    const stack = Stack.of(this);
    // SES encrypts what it publishes with this key: only for this account's configuration set.
    this.key = new Key(this, 'TopicKey', { enableKeyRotation: true, description: 'cvd-coordinator SES bounce and complaint topic' });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': mailer.configurationSetArn },
        },
      }),
    );
    // The addresses in these notifications are vendors' contacts: never over a plain-text hop.
    this.topic = new Topic(this, 'Topic', { displayName: 'cvd-coordinator mail feedback', masterKey: this.key, enforceSSL: true });
    // Adds the topic policy too: sns:Publish for ses.amazonaws.com from this configuration set only.
    mailer.configurationSet.addEventDestination('Feedback', {
      destination: EventDestination.snsTopic(this.topic),
      events: [...FEEDBACK_EVENTS],
    });

    const name = EventHandler.MailFeedback;
    this.fn = new CvdFunction(this, 'Function', {
      entry: eventHandlerEntry(name),
      handlerName: name,
      envParts: functionEnvParts[name],
      logRetentionDays: props.config.logRetentionDays,
    });
    bindEnvironment(this.fn, tableAccess[name], props);
    // It wakes the execution that waits on the case (SendTaskSuccess by token).
    bindTaskSignals(this.fn);
    // The addresses are vendors' and reporters' contacts: encrypted at rest (SQS-managed keys, which
    // SNS can write to without a key policy) and never over plain text.
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Six times the function's timeout, as Lambda advises for a queue it reads.
      visibilityTimeout: Duration.seconds(6 * (this.fn.timeout?.toSeconds() ?? 30)),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAX_RECEIVES },
    });
    // Raw delivery: each message's body is SES's notification itself.
    this.topic.addSubscription(new SqsSubscription(this.queue, { rawMessageDelivery: true }));
    // Only the messages the function names as failed come back (functions/app/mail-feedback.ts).
    this.fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
    NagSuppressions.addResourceSuppressions(this.deadLetters, [
      { id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the feedback queue: its messages are redriven from here.' },
    ]);
  }
}
