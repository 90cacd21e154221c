// Reports and replies by e-mail as deployed (lib/inbound-mail.ts): one receipt rule set with one
// rule for the inbound domain (TLS required, spam and virus scan on) whose actions are: store in
// the private bucket, then invoke the inbound function asynchronously. Only SES, for this rule of
// this account, may write to the bucket or invoke the function; the function may only read the
// received messages. Without inboundDomain none of it exists and no mail carries a Reply-To.
import { beforeAll, describe, expect, it } from 'vitest';
import { INBOUND_OBJECT_PREFIX, INBOUND_RETENTION_DAYS, RULE_NAME } from '../../lib/inbound-mail.js';
import { functionOf } from '../builders/table-permissions.js';
import { asArray, isRecord, resourcesOfType, synthesize, type Synthesized } from './synth.js';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ context: { inboundDomain: 'Mail.CERT.example', intakeAddress: 'cert@mail.cert.example' } });
});

type Resource = { Properties?: Record<string, unknown>; DependsOn?: string | string[]; Metadata?: Record<string, unknown> };
const one = (type: string): [string, Resource] => {
  const found = resourcesOfType(synth.json, type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};
const statementsOf = (doc: unknown): Record<string, unknown>[] =>
  isRecord(doc) ? (asArray(doc.Statement as unknown[]) as Record<string, unknown>[]) : [];
const json = (v: unknown) => JSON.stringify(v);

const inboundBucket = () => {
  const found = resourcesOfType(synth.json, 'AWS::S3::Bucket').filter(([id]) => id.startsWith('InboundMail'));
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
};

describe('the receipt rule', () => {
  it('is the one rule of its own rule set, for the whole inbound domain, TLS required and scanned', () => {
    const [, set] = one('AWS::SES::ReceiptRuleSet');
    const [, rule] = one('AWS::SES::ReceiptRule');
    expect(rule.Properties?.RuleSetName).toEqual(set.Properties?.RuleSetName);
    expect(rule.Properties?.Rule).toMatchObject({
      Name: RULE_NAME,
      Enabled: true,
      Recipients: ['mail.cert.example'],
      ScanEnabled: true,
      TlsPolicy: 'Require',
    });
  });

  it('stores the message in the inbound bucket, then invokes the inbound function asynchronously', () => {
    const [, rule] = one('AWS::SES::ReceiptRule');
    const [bucketId] = inboundBucket();
    const actions = (rule.Properties?.Rule as { Actions: Record<string, Record<string, unknown>>[] } | undefined)?.Actions ?? [];
    expect(actions).toHaveLength(2);
    expect(actions[0]?.S3Action).toEqual({ BucketName: { Ref: bucketId }, ObjectKeyPrefix: INBOUND_OBJECT_PREFIX });
    expect(actions[1]?.LambdaAction).toEqual({
      FunctionArn: { 'Fn::GetAtt': [functionOf(synth.json, 'inbound-mail'), 'Arn'] },
      InvocationType: 'Event',
    });
  });

  it('is created after the bucket policy and the invoke permission, which SES checks at creation', () => {
    const [, rule] = one('AWS::SES::ReceiptRule');
    const deps = asArray(rule.DependsOn);
    expect(deps.some((d) => d.startsWith('InboundMailMessagesPolicy'))).toBe(true);
    expect(deps.some((d) => d.includes('InvokedBySes'))).toBe(true);
  });
});

describe('the inbound bucket', () => {
  it('is private, encrypted, TLS-only, and expires messages', () => {
    const [, bucket] = inboundBucket();
    const p = bucket.Properties ?? {};
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(json(p.BucketEncryption)).toContain('AES256');
    expect(json(p.LifecycleConfiguration)).toContain(`"ExpirationInDays":${INBOUND_RETENTION_DAYS}`);
  });

  it('lets SES write only for this rule of this account, and denies plain HTTP', () => {
    const [bucketId] = inboundBucket();
    const [, policy] = resourcesOfType(synth.json, 'AWS::S3::BucketPolicy').find(
      ([, r]) => json(r.Properties?.Bucket) === json({ Ref: bucketId }),
    ) as [string, Resource];
    const statements = statementsOf(policy.Properties?.PolicyDocument);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    const ses = allows[0] ?? {};
    expect(ses.Principal).toEqual({ Service: 'ses.amazonaws.com' });
    expect(ses.Action).toBe('s3:PutObject');
    expect(json(ses.Resource)).toContain(`/${INBOUND_OBJECT_PREFIX}*`);
    expect(json(ses.Condition)).toContain('aws:SourceAccount');
    expect(json((ses.Condition as Record<string, unknown>).ArnLike)).toContain(`receipt-rule/${RULE_NAME}`);
    expect(statements.some((s) => s.Effect === 'Deny' && json(s.Condition).includes('aws:SecureTransport'))).toBe(true);
  });
});

describe('the inbound function', () => {
  it('may be invoked by SES for this rule of this account only', () => {
    const fnId = functionOf(synth.json, 'inbound-mail');
    const perms = resourcesOfType(synth.json, 'AWS::Lambda::Permission').filter(([, r]) => json(r.Properties?.FunctionName).includes(fnId));
    expect(perms).toHaveLength(1);
    const p = perms[0]?.[1].Properties ?? {};
    expect(p.Principal).toBe('ses.amazonaws.com');
    expect(p.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
    expect(json(p.SourceArn)).toContain(`receipt-rule/${RULE_NAME}`);
  });

  it('reads the received messages and nothing else of that bucket; no other function touches it', () => {
    const [bucketId] = inboundBucket();
    const roleStatements = resourcesOfType(synth.json, 'AWS::IAM::Policy').flatMap(([id, r]) =>
      statementsOf(r.Properties?.PolicyDocument).map((s) => ({ id, s })),
    );
    const onBucket = roleStatements.filter(({ s }) => json(s.Resource).includes(bucketId));
    expect(onBucket).toHaveLength(1);
    expect(onBucket[0]?.id.startsWith('InboundMailFunctionRole')).toBe(true);
    expect(onBucket[0]?.s.Action).toBe('s3:GetObject');
    expect(json(onBucket[0]?.s.Resource)).toContain(`/${INBOUND_OBJECT_PREFIX}*`);
  });

  it('is told the bucket, the intake address and the domain, and never sends mail', () => {
    const fn = synth.json.Resources?.[functionOf(synth.json, 'inbound-mail')];
    const vars = (fn?.Properties?.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
    expect(vars.INTAKE_ADDRESS).toBe('cert@mail.cert.example');
    expect(vars.INBOUND_DOMAIN).toBe('mail.cert.example');
    expect(vars.INBOUND_BUCKET).toEqual({ Ref: inboundBucket()[0] });
    expect('MAIL_FROM' in vars).toBe(false);
  });

  it('sends a receipt it failed on after two retries to an encrypted queue an alarm watches: no message is lost unseen', () => {
    const fnId = functionOf(synth.json, 'inbound-mail');
    const [, config] = one('AWS::Lambda::EventInvokeConfig');
    expect(config.Properties?.FunctionName).toEqual({ Ref: fnId });
    expect(config.Properties?.MaximumRetryAttempts).toBe(2);
    const queues = resourcesOfType(synth.json, 'AWS::SQS::Queue').filter(([id]) => id.startsWith('InboundMailFailures'));
    expect(queues).toHaveLength(1);
    const [queueId, queue] = queues[0] as [string, Resource];
    expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    expect(json(config.Properties?.DestinationConfig)).toContain(queueId);
    const alarms = resourcesOfType(synth.json, 'AWS::CloudWatch::Alarm').filter(([, a]) =>
      (json(a.Properties?.Dimensions) ?? '').includes(queueId),
    );
    expect(alarms).toHaveLength(1);
  });
});

describe('without inboundDomain', () => {
  it('creates no receiving resources and gives no function a reply domain', () => {
    const off = synthesize({ context: { inboundDomain: undefined } });
    for (const type of ['AWS::SES::ReceiptRuleSet', 'AWS::SES::ReceiptRule']) expect(resourcesOfType(off.json, type), type).toEqual([]);
    expect(off.stack.inboundMail).toBeUndefined();
    for (const [, fn] of resourcesOfType(off.json, 'AWS::Lambda::Function'))
      expect(json(fn.Properties?.Environment)).not.toContain('INBOUND_DOMAIN');
  });

  it('refuses an intake address off the inbound domain', () => {
    expect(() => synthesize({ context: { inboundDomain: 'cert.example', intakeAddress: 'security@elsewhere.example' } })).toThrow(
      /intakeAddress/,
    );
  });
});
