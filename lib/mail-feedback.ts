// Bounces and complaints: the configuration set every send names (lib/mailer.ts) publishes SES's
// BOUNCE and COMPLAINT events to an SNS topic (KMS-encrypted, TLS only, publishable by SES for this
// account's configuration set alone), and the mail-feedback function, its only subscriber, marks the
// contact on the case the mail's `case` tag names (functions/app/mail-feedback.ts).
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { EventHandler, eventHandlerEntry } from './event-handlers.js';
import { bindEnvironment, bindTaskSignals, CvdFunction, type EnvironmentSources } from './function-defaults.js';
import { functionEnvParts } from './function-environment.js';
import { tableAccess } from './table-access.js';

/** What its environment is made of: the stack's sources, less the workflow and CVE Services it never calls. */
export type MailFeedbackProps = Omit<EnvironmentSources, 'stateMachine' | 'cveServicesKey'>;

/** The SES events that mark a contact: the others (deliveries, opens) are not published at all. */
export const FEEDBACK_EVENTS = [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT] as const;

export class MailFeedback extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  readonly fn: CvdFunction;

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
    this.topic.addSubscription(new LambdaSubscription(this.fn));
  }
}
