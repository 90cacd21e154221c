// Logs, metrics, traces and alarms as deployed: Powertools from its layer, the EMF namespace and
// service in every function's environment, X-Ray on every function, the state machine and the API
// stage, each alarm with its threshold and the coordinators' SNS topic, and the dashboard.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { Metric } from '../../functions/app/telemetry.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/environment.js';
import { BUNDLING } from '../../lib/bundling.js';
import { repoRoot } from '../../lib/function-defaults.js';
import { THRESHOLDS } from '../../lib/observability.js';
import { powertoolsLayerParameter, powertoolsVersion } from '../../lib/powertools-layer.js';
import { type Synthesized, isRecord, resourcesOfType, synthesize } from './synth.js';

const EMAILS = ['first@cert.example', 'second@cert.example'];
let pool: Synthesized;
let manual: Synthesized;

beforeAll(() => {
  pool = synthesize({ context: { cveMode: 'pool', coordinatorEmails: EMAILS.join(',') } });
  manual = synthesize({ context: { cveMode: 'manual' } });
}, 120_000);

const cvdFunctions = (s: Synthesized) =>
  resourcesOfType(s.json, 'AWS::Lambda::Function').filter(([, r]) => r.Metadata?.['cvd:handler-name']);
const alarms = (s: Synthesized) => resourcesOfType(s.json, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties ?? {});
const topicId = (s: Synthesized): string => {
  // The alarm topic; the other one carries SES's bounces to mail-feedback (test/infra/mail-feedback.test.ts).
  const topics = resourcesOfType(s.json, 'AWS::SNS::Topic').filter(([, r]) => r.Properties?.DisplayName === 'cvd-coordinator alarms');
  expect(topics).toHaveLength(1);
  return topics[0]?.[0] ?? '';
};
const alarmOn = (s: Synthesized, metricName: string) => alarms(s).filter((a) => a.MetricName === metricName);

describe('Powertools', () => {
  it('comes from the Powertools layer at the pinned version, and is left out of every bundle', async () => {
    const r = await build({
      entryPoints: [path.join(repoRoot, 'functions/handlers/workflow/report-blocked.ts')],
      bundle: true,
      write: false,
      outdir: '/tmp/cvd-obs-probe',
      format: BUNDLING.format,
      platform: BUNDLING.platform,
      target: BUNDLING.target,
      mainFields: [...BUNDLING.mainFields],
      external: [...BUNDLING.external],
      metafile: true,
      logLevel: 'silent',
    });
    const out = Object.values(r.metafile.outputs);
    const inputs = out.flatMap((o) => Object.keys(o.inputs));
    expect(inputs.some((k) => k.includes('@aws-lambda-powertools/'))).toBe(false);
    // The handler still imports them: the runtime finds them in the layer.
    const imports = out.flatMap((o) => o.imports.map((i) => i.path));
    expect(imports).toEqual(expect.arrayContaining(['@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics']));

    const version = powertoolsVersion(repoRoot);
    const pinned = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/@aws-lambda-powertools/logger/package.json'), 'utf8')) as {
      version: string;
    };
    expect(version).toBe(pinned.version);
    const parameters = Object.entries(pool.json.Parameters ?? {}).filter(
      ([, p]) => isRecord(p) && p.Default === powertoolsLayerParameter(version),
    );
    expect(parameters).toHaveLength(1);
    const [layerParameter] = parameters[0] ?? [''];
    // Every function has the Powertools layer; the mail functions have openpgp.js's beside it (pgp-key.test.ts).
    for (const [id, fn] of cvdFunctions(pool)) expect(fn.Properties?.Layers, id).toEqual(expect.arrayContaining([{ Ref: layerParameter }]));
  }, 60_000);

  it('gets the EMF namespace, the service name and the log level in every function', () => {
    const fns = cvdFunctions(pool);
    expect(fns.length).toBeGreaterThanOrEqual(26);
    for (const [id, fn] of fns) {
      const env = fn.Properties?.Environment;
      const vars = isRecord(env) && isRecord(env.Variables) ? env.Variables : {};
      expect(vars.POWERTOOLS_METRICS_NAMESPACE, id).toBe(METRICS_NAMESPACE);
      expect(vars.POWERTOOLS_SERVICE_NAME, id).toBe(SERVICE_NAME);
      expect(vars.POWERTOOLS_LOG_LEVEL, id).toBe('INFO');
    }
    const debug = synthesize({ context: { logLevel: 'DEBUG' } });
    for (const [, fn] of cvdFunctions(debug))
      expect(JSON.stringify(fn.Properties?.Environment)).toContain('"POWERTOOLS_LOG_LEVEL":"DEBUG"');
  });
});

describe('X-Ray tracing', () => {
  it('is active on every function, the state machine and the API stage', () => {
    for (const [id, fn] of cvdFunctions(pool)) expect(fn.Properties?.TracingConfig, id).toEqual({ Mode: 'Active' });
    pool.template.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: true } });
    pool.template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });
});

describe('alarms', () => {
  it('go to one KMS-encrypted, TLS-only SNS topic that mails each configured coordinator', () => {
    const topic = topicId(pool);
    pool.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlarmTopicKey'), 'Arn'] },
    });
    pool.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const subscriptions = resourcesOfType(pool.json, 'AWS::SNS::Subscription')
      .map(([, r]) => r.Properties ?? {})
      .filter((s) => s.Protocol === 'email');
    expect(subscriptions.map((s) => [s.Protocol, s.Endpoint]).sort()).toEqual(EMAILS.map((e) => ['email', e]).sort());
    for (const s of subscriptions) expect(s.TopicArn).toEqual({ Ref: topic });
    const policy = resourcesOfType(pool.json, 'AWS::SNS::TopicPolicy').find(([, r]) => JSON.stringify(r).includes(`"Ref":"${topic}"`))?.[1];
    expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    const all = alarms(pool);
    expect(all.length).toBeGreaterThan(0);
    for (const a of all) expect(a.AlarmActions).toEqual([{ Ref: topic }]);
  });

  it('watch failed, timed-out and aborted executions', () => {
    for (const name of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      const [a] = alarmOn(pool, name);
      expect(a, name).toMatchObject({
        Namespace: 'AWS/States',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Statistic: 'Sum',
      });
    }
  });

  it('watch every function for errors and throttles', () => {
    const fns = cvdFunctions(pool).map(([id]) => id);
    for (const metric of ['Errors', 'Throttles']) {
      const watched = alarmOn(pool, metric)
        .filter((a) => a.Namespace === 'AWS/Lambda' && a.Threshold === 1)
        .map((a) => JSON.stringify(a.Dimensions));
      for (const id of fns)
        expect(
          watched.some((d) => d.includes(`"Ref":"${id}"`)),
          `${metric} of ${id}`,
        ).toBe(true);
    }
  });

  it('watch API 5xx', () => {
    expect(alarmOn(pool, '5XXError')).toEqual([expect.objectContaining({ Namespace: 'AWS/ApiGateway', Threshold: 1 })]);
  });

  it('raise a blocked case from the CasesBlocked metric, held for a day', () => {
    expect(alarmOn(pool, Metric.CasesBlocked)).toEqual([
      expect.objectContaining({
        Namespace: METRICS_NAMESPACE,
        Threshold: 1,
        Period: 86400,
        Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
      }),
    ]);
  });

  it('raise a case blocked for more than a day from the daily CasesStillBlocked check-in', () => {
    expect(alarmOn(pool, Metric.CasesStillBlocked)).toEqual([
      expect.objectContaining({ Namespace: METRICS_NAMESPACE, Threshold: 1, Period: 86400, Statistic: 'Sum' }),
    ]);
  });

  it("warn below SES's review thresholds for bounces (5%) and complaints (0.1%)", () => {
    expect(alarmOn(pool, 'Reputation.BounceRate')).toEqual([
      expect.objectContaining({ Namespace: 'AWS/SES', Threshold: THRESHOLDS.sesBounceRate }),
    ]);
    expect(alarmOn(pool, 'Reputation.ComplaintRate')).toEqual([
      expect.objectContaining({ Namespace: 'AWS/SES', Threshold: THRESHOLDS.sesComplaintRate }),
    ]);
    expect(THRESHOLDS.sesBounceRate).toBeLessThan(0.05);
    expect(THRESHOLDS.sesComplaintRate).toBeLessThan(0.001);
  });

  it('warn when the CVE pool runs low, in pool mode only', () => {
    expect(alarmOn(pool, Metric.CveIdsRemaining)).toEqual([
      expect.objectContaining({
        Namespace: METRICS_NAMESPACE,
        Threshold: THRESHOLDS.cvePoolLow,
        ComparisonOperator: 'LessThanOrEqualToThreshold',
        Statistic: 'Minimum',
      }),
    ]);
    expect(alarmOn(manual, Metric.CveIdsRemaining)).toEqual([]);
  });

  it('keep the topic without subscriptions when no coordinator address is configured', () => {
    // The one subscription left is the feedback queue's, on the bounce topic (test/infra/mail-feedback.test.ts).
    expect(resourcesOfType(manual.json, 'AWS::SNS::Subscription').map(([, r]) => r.Properties?.Protocol)).toEqual(['sqs']);
    expect(alarms(manual).every((a) => JSON.stringify(a.AlarmActions) === JSON.stringify([{ Ref: topicId(manual) }]))).toBe(true);
  });
});

describe('the dashboard', () => {
  it('shows every business metric in the EMF namespace', () => {
    const dashboards = resourcesOfType(pool.json, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.[1].Properties?.DashboardBody);
    expect(body).toContain(METRICS_NAMESPACE);
    for (const name of Object.values(Metric)) expect(body, name).toContain(name);
  });
});
