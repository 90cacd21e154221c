import { existsSync } from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { templateFunctions } from '../../lib/asl.js';
import { repoRoot } from '../../lib/function-defaults.js';
import { WorkflowHandler } from '../../lib/workflow-states.js';
import { ApiHandler } from '../../lib/api-routes.js';
import { ALL_HANDLERS } from '../../lib/handlers.js';
import { functionEnvParts } from '../../lib/function-environment.js';
import { asArray, isRecord, resourcesOfType, synthesize, type Synthesized } from './synth.js';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const CONFIG_ENV = [
  'COORDINATOR_EMAILS',
  'PUBLIC_BASE_URL',
  'EMBARGO_DAYS',
  'EMBARGO_HOUR_UTC',
  'TRIAGE_SLA_HOURS',
  'INFORMATION_REQUEST_DAYS',
  'REMINDER_DAYS',
  'MAX_CONTACT_ATTEMPTS',
  'UNRESPONSIVE_DAYS',
  'DRAFT_LEAD_DAYS',
  'STATEMENT_REMINDER_DAYS',
  'CVE_MODE',
  'REQUIRE_CVE_IDS',
];

const envOf = (handlerName: string): Record<string, unknown> => {
  const fn = resourcesOfType(synth.json, 'AWS::Lambda::Function').find(([, r]) => r.Metadata?.['cvd:handler-name'] === handlerName);
  const environment = fn?.[1].Properties?.Environment;
  return isRecord(environment) && isRecord(environment.Variables) ? environment.Variables : {};
};

/** Our functions; the one other is CDK's own BucketDeployment handler (lib/web-site.ts). */
const cvdLambdas = () => {
  const all = resourcesOfType(synth.json, 'AWS::Lambda::Function');
  const ours = all.filter(([, r]) => typeof r.Metadata?.['cvd:handler-name'] === 'string');
  expect(all.filter(([id]) => !ours.some(([o]) => o === id)).map(([id]) => id)).toEqual([
    expect.stringMatching(/^CustomCDKBucketDeployment/),
  ]);
  return ours;
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every permission statement: inline role policies and AWS::IAM::Policy documents. */
const statements = (): Array<{ policy: string; statement: Statement }> => {
  const found: Array<{ policy: string; statement: Statement }> = [];
  for (const [id, resource] of Object.entries(synth.json.Resources ?? {})) {
    const documents: unknown[] = [];
    if (resource.Type === 'AWS::IAM::Policy') documents.push(resource.Properties?.PolicyDocument);
    if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of asArray(resource.Properties?.Policies as unknown[] | undefined)) {
        if (isRecord(inline)) documents.push(inline.PolicyDocument);
      }
    }
    for (const document of documents) {
      if (!isRecord(document)) continue;
      for (const statement of asArray(document.Statement as Statement[] | undefined)) found.push({ policy: id, statement });
    }
  }
  return found;
};

describe('the case table', () => {
  it('is on demand, point-in-time recoverable, encrypted and retained', () => {
    synth.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    synth.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
      }),
    });
  });

  it('has the coordinator-queue and public-feed indexes', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'ByPhaseDeadline',
          KeySchema: [
            { AttributeName: 'GSI1PK', KeyType: 'HASH' },
            { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'ByPublishedDate',
          KeySchema: [
            { AttributeName: 'GSI2PK', KeyType: 'HASH' },
            { AttributeName: 'GSI2SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });
});

describe('the functions', () => {
  it('are one per workflow, API and event handler, each recording its existing entry file', () => {
    const functions = templateFunctions(synth.json);
    expect(functions.length).toBe(cvdLambdas().length);
    expect(functions.map((fn) => fn.handlerName).sort()).toEqual([...ALL_HANDLERS].sort());
    for (const fn of functions) {
      expect(existsSync(path.join(repoRoot, fn.entry)), fn.entry).toBe(true);
      expect(fn.entry).toMatch(new RegExp(`^functions/handlers/(workflow|api|events)/${fn.handlerName}\\.ts$`));
    }
  });

  it('run Node.js 22 on ARM64 with tracing, source maps and their own log group', () => {
    const logGroups = Object.fromEntries(resourcesOfType(synth.json, 'AWS::Logs::LogGroup'));
    for (const [id, fn] of cvdLambdas()) {
      const props = fn.Properties ?? {};
      expect(props.Runtime, id).toBe('nodejs22.x');
      expect(props.Architectures, id).toEqual(['arm64']);
      expect(props.TracingConfig, id).toEqual({ Mode: 'Active' });
      // The inbound function parses a received message of up to 40 MB in memory (lib/inbound-mail.ts).
      const inbound = fn.Metadata?.['cvd:handler-name'] === 'inbound-mail';
      expect(props.MemorySize, id).toBe(inbound ? 1024 : 256);
      expect(props.Timeout, id).toBe(inbound ? 60 : 30);
      expect(props.Handler, id).toBe('index.handler');
      expect(envOf(String(fn.Metadata?.['cvd:handler-name'])).NODE_OPTIONS, id).toBe('--enable-source-maps');
      const loggingConfig = props.LoggingConfig;
      const logGroupRef = isRecord(loggingConfig) && isRecord(loggingConfig.LogGroup) ? loggingConfig.LogGroup.Ref : undefined;
      expect(typeof logGroupRef, id).toBe('string');
      expect(logGroups[String(logGroupRef)]?.Properties?.RetentionInDays, id).toBe(90);
    }
  });

  it('give workflow handlers the table and the configuration, the mailer to those that mail, and nothing to start executions', () => {
    for (const name of Object.values(WorkflowHandler)) {
      const env = envOf(name);
      const mails = functionEnvParts[name].includes('mail');
      expect(Object.keys(env), name).toEqual(expect.arrayContaining(['CASE_TABLE_NAME', ...CONFIG_ENV]));
      expect(env.STATE_MACHINE_ARN, name).toBeUndefined();
      expect(env.MAIL_FROM, name).toBe(mails ? 'cvd@example.org' : undefined);
      expect('MAIL_CONFIGURATION_SET' in env, name).toBe(mails);
      expect(env.EMBARGO_DAYS, name).toBe('45');
      expect(env.CVE_MODE, name).toBe('pool');
    }
    expect(Object.values(WorkflowHandler).filter((name) => !functionEnvParts[name].includes('mail'))).toEqual(
      expect.arrayContaining(['locate-case', 'assign-cve-ids', 'publish-note', 'publish-cve-records']),
    );
  });

  it('give API handlers the workflow and the table only where their routes need them, and no mailer', () => {
    expect(Object.keys(envOf('submit-report'))).toEqual(
      expect.arrayContaining(['CASE_TABLE_NAME', 'STATE_MACHINE_ARN', 'LINK_SECRET_ARN', 'ALLOWED_ORIGINS']),
    );
    expect(envOf('coordinator-commands').STATE_MACHINE_ARN).toBeDefined();
    for (const name of Object.values(ApiHandler)) {
      expect(envOf(name).MAIL_FROM, name).toBeUndefined();
      // The group's name is a constant both sides import, not a variable.
      expect(envOf(name).COORDINATOR_GROUP, name).toBeUndefined();
    }
    expect(envOf('public-notes').STATE_MACHINE_ARN).toBeUndefined();
    expect(envOf('public-notes').ALLOWED_ORIGINS).toBeUndefined();
    expect(Object.keys(envOf('service-info')).sort()).toEqual([
      'ALLOWED_ORIGINS',
      'NODE_OPTIONS',
      'POWERTOOLS_LOG_LEVEL',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
    ]);
    // The pages are on the API's origin (one CloudFront distribution): no other origin needs CORS.
    expect(envOf('coordinator-queries').ALLOWED_ORIGINS).toBe('');
  });

  it("link e-mails to the stack's own site unless publicBaseUrl names another", () => {
    for (const name of ALL_HANDLERS.filter((n) => n !== 'service-info')) {
      expect(JSON.stringify(envOf(name).PUBLIC_BASE_URL), name).toMatch(
        /"https:\/\/",\{"Fn::GetAtt":\["SiteDistribution[0-9A-F]+","DomainName"\]\}/,
      );
    }
    const other = synthesize({ context: { publicBaseUrl: 'https://cvd.example.org' } });
    const fn = resourcesOfType(other.json, 'AWS::Lambda::Function').find(([, r]) => r.Metadata?.['cvd:handler-name'] === 'notify-vendor');
    expect(JSON.stringify(fn?.[1].Properties?.Environment)).toContain('"PUBLIC_BASE_URL":"https://cvd.example.org"');
  });
});

describe('the state machine', () => {
  it('is Standard, logs errors without execution data to a log group with retention, and is traced', () => {
    synth.template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    synth.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      // Inputs, outputs and error causes can hold embargoed details: none of them reach CloudWatch.
      LoggingConfiguration: {
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } }],
      },
    });
    const [[, machine] = ['', undefined]] = resourcesOfType(synth.json, 'AWS::StepFunctions::StateMachine');
    const logging = machine?.Properties?.LoggingConfiguration;
    const destination = isRecord(logging) ? asArray(logging.Destinations as unknown[])[0] : undefined;
    const arn =
      isRecord(destination) && isRecord(destination.CloudWatchLogsLogGroup) ? destination.CloudWatchLogsLogGroup.LogGroupArn : undefined;
    const logGroupId = isRecord(arn) ? asArray(arn['Fn::GetAtt'] as string[])[0] : undefined;
    expect(synth.json.Resources?.[String(logGroupId)]?.Properties?.RetentionInDays).toBe(90);
  });
});

describe('IAM', () => {
  it('never grants a whole service or everything', () => {
    for (const { policy, statement } of statements()) {
      for (const action of asArray(statement.Action)) {
        expect(action, policy).not.toBe('*');
        expect(action, policy).not.toMatch(/^[a-z0-9-]+:\*$/);
      }
    }
  });

  it('uses Resource "*" only for the actions that support no resource-level permissions', () => {
    const wildcard = statements()
      .filter(({ statement }) => asArray(statement.Resource).includes('*'))
      .map(({ statement }) => asArray(statement.Action).sort().join(' '));
    expect([...new Set(wildcard)].sort()).toEqual(
      [
        // Lambda and Step Functions X-Ray tracing
        'xray:PutTelemetryRecords xray:PutTraceSegments',
        'xray:GetSamplingRules xray:GetSamplingTargets xray:PutTelemetryRecords xray:PutTraceSegments',
        // Step Functions logging through CloudWatch Logs vended delivery
        'logs:CreateLogDelivery logs:DeleteLogDelivery logs:DescribeLogGroups logs:DescribeResourcePolicies logs:GetLogDelivery logs:ListLogDeliveries logs:PutResourcePolicy logs:UpdateLogDelivery',
        // Completing a waiting task by its token
        'states:SendTaskFailure states:SendTaskHeartbeat states:SendTaskSuccess',
        // CDK's BucketDeployment invalidating the site's distribution after a release
        'cloudfront:CreateInvalidation cloudfront:GetInvalidation',
      ].sort(),
    );
  });

  it('lets only await-signal, mail-feedback, inbound-mail and the API handlers that signal the workflow complete tasks', () => {
    const signalling = statements()
      .filter(({ statement }) => asArray(statement.Action).includes('states:SendTaskSuccess'))
      .map(({ policy }) => policy.replace(/TaskSignalsPolicy.*$/, ''))
      .sort();
    expect(signalling).toEqual(
      [
        'CaseWorkflowHandlersAwaitSignal',
        'MailFeedbackFunction',
        'InboundMailFunction',
        'CaseApiHandlersSubmitReport',
        'CaseApiHandlersReporterCase',
        'CaseApiHandlersCoordinatorCommands',
        'CaseApiHandlersVendorCase',
        'CaseApiHandlersCaseConversations',
      ].sort(),
    );
  });

  it('sends mail only from the sender, through its identity and configuration set', () => {
    const ses = statements().filter(({ statement }) => asArray(statement.Action).includes('ses:SendEmail'));
    expect(ses.length).toBeGreaterThan(0);
    for (const { policy, statement } of ses) {
      expect(asArray(statement.Resource).length, policy).toBe(2);
      expect(statement, policy).toMatchObject({ Condition: { StringEquals: { 'ses:FromAddress': 'cvd@example.org' } } });
    }
  });
});

describe('mail, sign-in and the API stage', () => {
  it('verifies the sender and requires TLS for its mail', () => {
    synth.template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'cvd@example.org' });
    synth.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
  });

  it('lets only invited coordinators sign in, with MFA and threat protection', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14, RequireSymbols: true }) },
    });
    synth.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'coordinators' });
  });

  it('throttles, traces and access-logs the stage, without logging bodies', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
      ],
    });
    synth.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });
});
