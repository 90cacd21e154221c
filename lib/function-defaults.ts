// One construct carries every Lambda default, and `bind…` helpers set an env var together with
// the IAM grant it needs, so a handler never has a name it may not use. Variable names come from
// the handlers' own contract (functions/environment.ts).
import { BUNDLING } from './bundling.js';
import { powertoolsLayer } from './powertools-layer.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { ENV_VARS, type EnvPart, type EnvVars } from '../functions/environment.js';
import { EntryMetadata } from './asl.js';
import { type Config, coreEnvironment, httpEnvironment, publicNotesEnvironment, telemetryEnvironment } from './config.js';
import type { CaseFiles } from './case-files.js';
import type { CveServicesKey } from './cve-services-key.js';
import { fileAccess } from './function-environment.js';
import type { HandlerName } from './table-access.js';
import type { LinkSecret } from './link-secret.js';
import type { Mailer } from './mailer.js';
import type { PgpKey } from './pgp-key.js';
import { tableStatements, type TableUseName } from './table-access.js';

/** The repository root: entries are recorded relative to it, and bundling starts from it. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export const DEFAULT_LOG_RETENTION_DAYS = 90;

export interface CvdFunctionProps {
  /** The handler's TypeScript file, relative to the repository root. */
  readonly entry: string;
  /** Short name (the file's base name by default), recorded as `cvd:handler-name`. */
  readonly handlerName?: string;
  /** The parts of the environment its handler reads (lib/function-environment.ts); bindEnvironment fills them. */
  readonly envParts: readonly EnvPart[];
  readonly logRetentionDays?: number;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  readonly description?: string;
}

export class CvdFunction extends NodejsFunction {
  readonly entryPath: string;
  readonly handlerName: string;
  readonly envParts: readonly EnvPart[];
  readonly functionLogGroup: LogGroup;
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: CvdFunctionProps) {
    const entryPath = props.entry.split(path.sep).join('/');
    const handlerName = props.handlerName ?? path.basename(entryPath).replace(/\.[cm]?[jt]s$/, '');
    // Our own log group (retention set, no log-retention custom resource) and our own role
    // (no AWSLambdaBasicExecutionRole managed policy: writes to this one log group only).
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: (props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS) as RetentionDays,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `cvd ${handlerName}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: path.join(repoRoot, entryPath),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      layers: [powertoolsLayer(scope, repoRoot)],
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      description: props.description ?? `cvd ${handlerName}`,
      logGroup,
      role,
      // NODE_OPTIONS is Node's own; everything else comes from the contract through setEnvironment.
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        minify: BUNDLING.minify,
        sourceMap: true,
        // Stack traces need the mappings only; the sources would double the bundle.
        sourcesContent: false,
        target: BUNDLING.target,
        format: OutputFormat.ESM,
        mainFields: [...BUNDLING.mainFields],
        // Bundle the AWS SDK v3 too: we pin, measure and control its size rather than take the
        // runtime's. Only Powertools comes from its layer.
        externalModules: [...BUNDLING.external],
        banner: BUNDLING.banner,
      },
    });
    this.entryPath = entryPath;
    this.handlerName = handlerName;
    this.envParts = props.envParts;
    this.functionLogGroup = logGroup;
    this.executionRole = role;

    // The local runtime maps each function of the template back to its TypeScript module.
    this.node.addMetadata(EntryMetadata.Entry, entryPath);
    this.node.addMetadata(EntryMetadata.HandlerName, handlerName);
    const cfn = this.node.defaultChild as CfnFunction;
    cfn.addMetadata(EntryMetadata.Entry, entryPath);
    cfn.addMetadata(EntryMetadata.HandlerName, handlerName);

    NagSuppressions.addResourceSuppressions(this, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'Node.js 22 is the pinned target of the bundles (esbuild target node22) and of the local runtime; moving to a newer runtime is a deliberate toolchain change, not a default.',
      },
    ]);
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so CDK grants them on "*".',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
  }

  /** Contract variables only, and only of the parts its handler reads: anything else is a wiring bug. */
  setEnvironment(vars: EnvVars): void {
    for (const [name, value] of Object.entries(vars)) {
      const part = (ENV_VARS as Record<string, { part: EnvPart }>)[name]?.part;
      if (part === undefined || !this.envParts.includes(part)) throw new Error(`${this.handlerName} does not read ${name}`);
      if (value !== undefined) this.addEnvironment(name, value);
    }
  }
}

/** What the parts of a handler's environment are made of. */
export interface EnvironmentSources {
  readonly table: ITable;
  readonly config: Config;
  readonly mailer: Mailer;
  readonly linkSecret: LinkSecret;
  readonly pgpKey: PgpKey;
  /** For API functions only: workflow functions run inside the execution. */
  readonly stateMachine?: IStateMachine;
  /** Only in cveMode cve-services. */
  readonly cveServicesKey?: CveServicesKey;
  readonly files: CaseFiles;
}

/** Each part of the function's environment, with the grants that come with it. */
export function bindEnvironment(fn: CvdFunction, tableUses: readonly TableUseName[], sources: EnvironmentSources): void {
  for (const part of fn.envParts) {
    switch (part) {
      case 'core':
        bindCaseTable(fn, sources.table, tableUses);
        fn.setEnvironment(coreEnvironment(sources.config));
        break;
      case 'http':
        fn.setEnvironment(httpEnvironment(sources.config));
        break;
      case 'mail':
        bindMailer(fn, sources.mailer);
        sources.pgpKey.bindPrivate(fn);
        break;
      case 'links':
        sources.linkSecret.bind(fn);
        break;
      case 'signals':
        if (sources.stateMachine === undefined) throw new Error(`${fn.handlerName} starts executions but has no state machine`);
        bindWorkflowSignals(fn, sources.stateMachine);
        break;
      case 'files':
        {
          const access = fileAccess[fn.handlerName as HandlerName];
          if (access === undefined)
            throw new Error(`${fn.handlerName} reads FILES_BUCKET but lib/function-environment.ts gives it no file access`);
          sources.files.bind(fn, access);
        }
        break;
      case 'publicNotes':
        fn.setEnvironment(publicNotesEnvironment(sources.config));
        sources.pgpKey.bindPublic(fn);
        break;
      case 'telemetry':
        fn.setEnvironment(telemetryEnvironment(sources.config));
        break;
      case 'cveServices':
        // Read only in cveMode cve-services (functions/environment.ts): in other modes, nothing to give.
        if (sources.config.cveMode !== 'cve-services') break;
        if (sources.cveServicesKey === undefined) throw new Error(`${fn.handlerName} calls CVE Services but the stack has no key secret`);
        sources.cveServicesKey.bind(fn, sources.config);
        break;
    }
  }
}

/**
 * CASE_TABLE_NAME, and exactly the uses given (lib/table-access.ts): each statement allows its
 * actions on the table, or on one named index, only for items whose partition key matches its
 * patterns (dynamodb:LeadingKeys).
 */
export function bindCaseTable(fn: CvdFunction, table: ITable, uses: readonly TableUseName[]): void {
  fn.setEnvironment({ CASE_TABLE_NAME: table.tableName });
  for (const statement of tableStatements(uses)) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: statement.actions.map((action) => `dynamodb:${action}`),
        resources: [statement.index === null ? table.tableArn : `${table.tableArn}/index/${statement.index}`],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...statement.keys] },
          // ForAllValues holds for a request without the key at all: on the table, require it. An
          // index Query's leading key is the index's partition key; the index ARN bounds that grant.
          ...(statement.index === null ? { Null: { 'dynamodb:LeadingKeys': 'false' } } : {}),
        },
      }),
    );
  }
}

/** MAIL_FROM and MAIL_CONFIGURATION_SET, and sending through exactly that identity and set. */
export function bindMailer(fn: CvdFunction, mailer: Mailer): void {
  fn.setEnvironment({ MAIL_FROM: mailer.senderEmail, MAIL_CONFIGURATION_SET: mailer.configurationSetName });
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [mailer.identityArn, mailer.configurationSetArn],
      // A domain identity would allow any address of the domain; only our sender may be used.
      conditions: { StringEquals: { 'ses:FromAddress': mailer.senderEmail } },
    }),
  );
}

export const TASK_SIGNAL_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'];

/**
 * Completing a waiting task by its token. Kept in its own policy so the one unavoidable "*" is
 * visible and justified on its own.
 */
export function bindTaskSignals(fn: CvdFunction): void {
  const policy = new Policy(fn, 'TaskSignalsPolicy', {
    statements: [new PolicyStatement({ actions: TASK_SIGNAL_ACTIONS, resources: ['*'] })],
  });
  policy.attachToRole(fn.executionRole);
  NagSuppressions.addResourceSuppressions(policy, [
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'states:SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat support no resource-level permissions (Service Authorization Reference lists no resource type); the task token itself is the capability, and it never leaves the server.',
      appliesTo: ['Resource::*'],
    },
  ]);
}

/**
 * STATE_MACHINE_ARN, starting and describing executions of the case workflow, and completing
 * its waiting tasks. For API handlers: workflow handlers run inside the execution and would make
 * the state machine depend on itself.
 */
export function bindWorkflowSignals(fn: CvdFunction, stateMachine: IStateMachine): void {
  fn.setEnvironment({ STATE_MACHINE_ARN: stateMachine.stateMachineArn });
  stateMachine.grantStartExecution(fn);
  stateMachine.grantExecution(fn, 'states:DescribeExecution');
  bindTaskSignals(fn);
  NagSuppressions.addResourceSuppressions(
    fn.executionRole,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'DescribeExecution is granted on the executions of the case workflow only ("execution:<state machine name>:*"); execution names are case ids, unknown at deploy time.',
        // Region and account are pseudo parameters in a region-agnostic synth, values once the stack is bound.
        appliesTo: [
          { regex: '/^Resource::arn:<AWS::Partition>:states:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|\\d{12}):execution:.*:\\*$/g' },
        ],
      },
    ],
    true,
  );
}
