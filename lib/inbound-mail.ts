// Reports and replies by e-mail (docs/workflow.md "Reports and replies by e-mail"), only when
// inboundDomain is configured. SES receiving (v1) has one receipt rule set with one rule for the
// domain: its first action stores the message in a private bucket, its second invokes the inbound
// function (asynchronously, so SES does not wait), which reads the object and SES's verdicts.
// Only one receipt rule set can be active per account and region: the stack creates it but cannot
// activate it without taking over another one, so the deployer activates it (README "Reports and
// replies by e-mail").
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { CfnReceiptRule, CfnReceiptRuleSet } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { INBOUND_OBJECT_PREFIX } from '../functions/app/inbound-received.js';
import type { Config } from './config.js';
import { intakeAddressOf } from './config.js';
import { EventHandler, eventHandlerEntry } from './event-handlers.js';
import { CvdFunction, type EnvironmentSources, bindEnvironment } from './function-defaults.js';
import { functionEnvParts } from './function-environment.js';
import { tableAccess } from './table-access.js';

export { INBOUND_OBJECT_PREFIX };
/** Received messages are kept this long for a coordinator to look at a held one, then expire. */
export const INBOUND_RETENTION_DAYS = 30;
export const RULE_NAME = 'intake-and-replies';

export type InboundMailProps = Required<Pick<EnvironmentSources, 'stateMachine'>> &
  Omit<EnvironmentSources, 'stateMachine' | 'cveServicesKey'> & { config: Config & { inboundDomain: string } };

export class InboundMail extends Construct {
  readonly bucket: Bucket;
  readonly fn: CvdFunction;
  /** Receipts the function failed on after Lambda's retries: the alarm's dead letters (README "Operations"). */
  readonly failures: Queue;
  readonly ruleSet: CfnReceiptRuleSet;
  readonly rule: CfnReceiptRule;
  readonly ruleSetName: string;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const domain = props.config.inboundDomain.toLowerCase();
    this.ruleSetName = `${stack.stackName}-inbound`;
    const ruleArn = `arn:${stack.partition}:ses:${stack.region}:${stack.account}:receipt-rule-set/${this.ruleSetName}:receipt-rule/${RULE_NAME}`;

    // SSE-S3: SES's S3 action writes into it with no key policy to trust SES for; the action's own
    // KMS option is client-side encryption, which the function would need the S3 encryption client to read.
    this.bucket = new Bucket(this, 'Messages', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(INBOUND_RETENTION_DAYS) }, { abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // SES of this account, for this one rule, may put messages under the prefix; nobody else may write.
    const put = this.bucket.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${INBOUND_OBJECT_PREFIX}*`)],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': ruleArn } },
      }),
    );
    NagSuppressions.addResourceSuppressions(this.bucket, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'Only SES (this rule) writes here and only the inbound function reads; objects expire after 30 days. Access logs would copy senders’ addresses into another bucket.',
      },
    ]);

    const name = EventHandler.InboundMail;
    this.fn = new CvdFunction(this, 'Function', {
      entry: eventHandlerEntry(name),
      handlerName: name,
      envParts: functionEnvParts[name],
      logRetentionDays: props.config.logRetentionDays,
      // A message of up to 40 MB is parsed in memory with its attachments.
      memorySize: 1024,
      timeout: Duration.seconds(60),
    });
    bindEnvironment(this.fn, tableAccess[name], props);
    this.fn.setEnvironment({ INBOUND_BUCKET: this.bucket.bucketName, INTAKE_ADDRESS: intakeAddressOf(props.config) });
    // Encrypted reports and replies are opened with the team's key (functions/adapters/openpgp-mail.ts).
    props.pgpKey.bindOpener(this.fn);
    // SES invokes asynchronously: a receipt the function fails on after Lambda's two retries lands
    // here with the message's object key (the message stays in the bucket), never silently.
    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.fn.configureAsyncInvoke({ onFailure: new SqsDestination(this.failures), retryAttempts: 2 });
    NagSuppressions.addResourceSuppressions(this.failures, [
      { id: 'AwsSolutions-SQS3', reason: 'This is the on-failure destination of the inbound function: an alarm watches it.' },
    ]);
    // Read the messages, nothing else of the bucket: no list, no write, no delete.
    this.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${INBOUND_OBJECT_PREFIX}*`)] }),
    );
    NagSuppressions.addResourceSuppressions(
      this.fn.executionRole,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Received messages are objects named mail/<SES message id>, unknown at deploy time; the grant is GetObject on that prefix of the inbound bucket only.',
          appliesTo: [{ regex: '/^Resource::<.+\\.Arn>\\/mail\\/\\*$/g' }],
        },
      ],
      true,
    );
    this.fn.addPermission('InvokedBySes', {
      principal: new ServicePrincipal('ses.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: stack.account,
      sourceArn: ruleArn,
    });

    this.ruleSet = new CfnReceiptRuleSet(this, 'RuleSet', { ruleSetName: this.ruleSetName });
    this.rule = new CfnReceiptRule(this, 'Rule', {
      ruleSetName: this.ruleSetName,
      rule: {
        name: RULE_NAME,
        enabled: true,
        // The domain and its addresses: the intake address and every case+…@ reply address.
        recipients: [domain],
        scanEnabled: true,
        tlsPolicy: 'Require',
        actions: [
          { s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: INBOUND_OBJECT_PREFIX } },
          { lambdaAction: { functionArn: this.fn.functionArn, invocationType: 'Event' } },
        ],
      },
    });
    // SES checks that it may write and invoke when the rule is created.
    this.rule.node.addDependency(this.ruleSet);
    if (put.policyDependable) this.rule.node.addDependency(put.policyDependable);
    this.rule.node.addDependency(this.fn.permissionsNode.findChild('InvokedBySes'));
  }
}
