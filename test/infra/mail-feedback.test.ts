// Bounces and complaints as deployed (lib/mail-feedback.ts): every send names the one
// configuration set; it publishes BOUNCE and COMPLAINT (nothing else) to a KMS-encrypted, TLS-only
// topic that only SES, for this account's configuration set, may publish to; its one subscriber is a
// queue that feeds mail-feedback, with a dead-letter queue and an alarm; its role may write cases and
// wake executions, and neither mail nor hand out links.
import { beforeAll, describe, expect, it } from 'vitest';
import { functionEnvParts } from '../../lib/function-environment.js';
import { MAX_RECEIVES } from '../../lib/mail-feedback.js';
import { tableAccess } from '../../lib/table-access.js';
import { functionOf } from '../builders/table-permissions.js';
import { asArray, isRecord, resourcesOfType, synthesize, type Synthesized } from './synth.js';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const one = (type: string, where: (r: Record<string, unknown>) => boolean = () => true) => {
  const found = resourcesOfType(synth.json, type).filter(([, r]) => where((r.Properties ?? {}) as Record<string, unknown>));
  expect(found, type).toHaveLength(1);
  return found[0] as [string, { Properties?: Record<string, unknown> }];
};
const feedbackTopic = () => one('AWS::SNS::Topic', (p) => p.DisplayName === 'cvd-coordinator mail feedback');
const configurationSet = () => one('AWS::SES::ConfigurationSet');
/** The queue SNS writes to (the one with a redrive policy; the other is its dead-letter queue). */
const feedbackQueue = () => one('AWS::SQS::Queue', (p) => p.RedrivePolicy !== undefined);
const statementsOf = (policyDoc: unknown): Record<string, unknown>[] =>
  isRecord(policyDoc) ? (asArray(policyDoc.Statement as unknown[]) as Record<string, unknown>[]) : [];

describe('the configuration set', () => {
  it('is the one every mailing function sends through', () => {
    const [setId] = configurationSet();
    for (const [, fn] of resourcesOfType(synth.json, 'AWS::Lambda::Function')) {
      const vars = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      if ('MAIL_FROM' in vars) expect(vars.MAIL_CONFIGURATION_SET, String(fn.Metadata?.['cvd:handler-name'])).toEqual({ Ref: setId });
    }
  });

  it('publishes bounces and complaints, and nothing else, to the feedback topic', () => {
    const [setId] = configurationSet();
    const [topicId] = feedbackTopic();
    const [, dest] = one('AWS::SES::ConfigurationSetEventDestination');
    expect(dest.Properties).toEqual({
      ConfigurationSetName: { Ref: setId },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
  });
});

describe('the feedback topic', () => {
  it('is encrypted with its own rotated key, which SES may use only for this configuration set', () => {
    const [, topic] = feedbackTopic();
    const keyId = (topic.Properties?.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] } | undefined)?.['Fn::GetAtt'][0] ?? '';
    const key = synth.json.Resources?.[keyId];
    expect(key?.Properties?.EnableKeyRotation).toBe(true);
    const ses = statementsOf(key?.Properties?.KeyPolicy).filter((s) => JSON.stringify(s.Principal).includes('ses.amazonaws.com'));
    expect(ses).toHaveLength(1);
    expect(ses[0]?.Action).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
    expect(JSON.stringify(ses[0]?.Condition)).toMatch(/aws:SourceAccount.*aws:SourceArn.*configuration-set/);
  });

  it('takes publications from SES for this account and configuration set only, and only over TLS', () => {
    const [topicId] = feedbackTopic();
    const [, policy] = one('AWS::SNS::TopicPolicy', (p) => JSON.stringify(p.Topics) === JSON.stringify([{ Ref: topicId }]));
    const statements = statementsOf(policy.Properties?.PolicyDocument);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 'sns:Publish',
      Principal: { Service: 'ses.amazonaws.com' },
      Condition: { StringEquals: { 'AWS:SourceAccount': expect.anything(), 'AWS:SourceArn': expect.anything() } },
    });
    expect(JSON.stringify(allows[0]?.Condition)).toContain(':configuration-set/');
    expect(JSON.stringify(statements.filter((s) => s.Effect === 'Deny'))).toContain('"aws:SecureTransport":"false"');
  });

  it('has one subscriber, the feedback queue (raw delivery), which only this topic may write to', () => {
    const [topicId] = feedbackTopic();
    const [queueId, queue] = feedbackQueue();
    const subs = resourcesOfType(synth.json, 'AWS::SNS::Subscription').filter(
      ([, r]) => JSON.stringify(r.Properties?.TopicArn) === JSON.stringify({ Ref: topicId }),
    );
    expect(subs.map(([, r]) => [r.Properties?.Protocol, r.Properties?.Endpoint, r.Properties?.RawMessageDelivery])).toEqual([
      ['sqs', { 'Fn::GetAtt': [queueId, 'Arn'] }, true],
    ]);
    const [, policy] = one('AWS::SQS::QueuePolicy', (p) => JSON.stringify(p.Queues) === JSON.stringify([{ Ref: queueId }]));
    const allows = statementsOf(policy.Properties?.PolicyDocument).filter((x) => x.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } },
      }),
    ]);
    expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
  });
});

describe('the feedback queue', () => {
  it('feeds mail-feedback in batches that report their failed messages, and is its only trigger', () => {
    const [queueId] = feedbackQueue();
    const fnId = functionOf(synth.json, 'mail-feedback');
    const [, mapping] = one('AWS::Lambda::EventSourceMapping', (p) => JSON.stringify(p.FunctionName) === JSON.stringify({ Ref: fnId }));
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const permissions = resourcesOfType(synth.json, 'AWS::Lambda::Permission').filter(
      ([, r]) => JSON.stringify(r.Properties?.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] }),
    );
    expect(permissions).toEqual([]);
  });

  it('moves a message that failed five times to an encrypted dead-letter queue kept 14 days, which raises an alarm', () => {
    const [, queue] = feedbackQueue();
    const redrive = queue.Properties?.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': [string, string] } };
    const dlqId = redrive.deadLetterTargetArn['Fn::GetAtt'][0];
    expect(queue.Properties?.RedrivePolicy).toMatchObject({ maxReceiveCount: MAX_RECEIVES });
    expect(MAX_RECEIVES).toBe(5);
    const dlq = synth.json.Resources?.[dlqId]?.Properties ?? {};
    expect(dlq).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
    // Both queues refuse plain-text access.
    for (const id of [dlqId, feedbackQueue()[0]]) {
      const policies = resourcesOfType(synth.json, 'AWS::SQS::QueuePolicy').filter(([, p]) =>
        JSON.stringify(p.Properties?.Queues).includes(`"${id}"`),
      );
      expect(JSON.stringify(policies), id).toContain('"aws:SecureTransport":"false"');
    }
  });
});

describe('the mail-feedback function', () => {
  it('writes cases and wakes executions, and neither mails nor hands out links nor starts executions', () => {
    expect(tableAccess['mail-feedback']).toEqual(['writeCase', 'wakeCase']);
    expect(functionEnvParts['mail-feedback']).toEqual(['core', 'telemetry']);
    const fnId = functionOf(synth.json, 'mail-feedback');
    const fn = synth.json.Resources?.[fnId]?.Properties ?? {};
    const vars = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    for (const name of ['MAIL_FROM', 'LINK_SECRET_ARN', 'STATE_MACHINE_ARN']) expect(vars[name], name).toBeUndefined();
    const roleId = (fn.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const actions = resourcesOfType(synth.json, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(([, p]) => statementsOf(p.Properties?.PolicyDocument).flatMap((s) => asArray(s.Action as string | string[])));
    expect(actions.some((a) => a.startsWith('ses:'))).toBe(false);
    expect(actions.some((a) => a.startsWith('secretsmanager:'))).toBe(false);
    expect(actions).not.toContain('states:StartExecution');
    expect(actions).toEqual(expect.arrayContaining(['states:SendTaskSuccess', 'dynamodb:PutItem', 'dynamodb:DeleteItem']));
  });

  it('is watched for errors and throttles like every other function', () => {
    for (const metric of ['Errors', 'Throttles'])
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionOf(synth.json, 'mail-feedback') } }],
        MetricName: metric,
        Threshold: 1,
      });
  });
});
