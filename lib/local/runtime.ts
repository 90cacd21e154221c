// `npm start`: the synthesized stack on one machine. dynalite for DynamoDB, aws-ses-v2-local for
// SES, the local engine (behind an AWS-JSON Step Functions service) for the workflow, handlers
// imported in-process, and an API Gateway stand-in. Handlers run unchanged: the SDK's
// AWS_ENDPOINT_URL_* variables point them here. Every listener binds 127.0.0.1, and nothing
// answers with a wildcard CORS header: the pages share the API's origin.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import sesLocal from 'aws-ses-v2-local';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-event-store.js';
import { DynamoDbCvePool } from '../../functions/adapters/cve-pool.js';
import { createTableInput } from '../../functions/adapters/table-layout.js';
import { caseProjection } from '../../functions/app/deps.js';
import type { CaseEvent, CaseState } from '../../functions/domain/index.js';
import { OPEN_PHASES } from '../../functions/domain/case.js';
import { ENV_VARS, type EnvVars, envVarNames, parseCoreEnv, parseInboundEnv } from '../../functions/environment.js';
import { resetDeps, setClock } from '../../functions/handlers/runtime.js';
import { Clock } from './clock.js';
import { LocalWorkflowEngine, type TaskFunction } from './engine.js';
import { type ProxyHandler, startLocalApi } from './api-gateway.js';
import {
  LOCAL_CVE_API_KEY_SECRET_ARN,
  LOCAL_LINK_SECRET_ARN,
  LOCAL_PGP_KEY_SECRET_ARN,
  LOCAL_PGP_PUBLIC_KEY_SECRET_ARN,
  localLinkSecret,
  localTeamKey,
  startSecretsService,
} from './secrets-service.js';
import { startSfnService } from './sfn-service.js';
import { LOCAL_FILES_BUCKET, LOCAL_INBOUND_BUCKET, startLocalS3 } from './s3-service.js';
import { startLocalSmtp } from './smtp-inbound.js';
import { INBOUND_OBJECT_PREFIX } from '../../functions/app/inbound-received.js';
import { currentFunction } from './invocation.js';
import { type LocalTemplate, readTemplate, synthesizeTemplate } from './template.js';
import { devRoutes } from './dev-routes.js';
import { EventHandler, eventHandlerEntry } from '../event-handlers.js';
import { loopbackOnly } from './loopback.js';
import { serveWeb } from './static.js';
import type { HostedSignIn } from '../web-routes.js';

export interface LocalStackOptions {
  /** The API port; 0 picks a free one. */
  port?: number;
  devToken?: string;
  dataDir?: string;
  inMemory?: boolean;
  /** Start the clock at this instant and move it only by hand (tests); default: real time. */
  manualClockStart?: string;
  coordinatorEmail?: string;
  /** The S3 stand-in's port; 0 or unset picks a free one. */
  s3Port?: number;
  /** The SMTP listener's port (inbound mail, lib/local/smtp-inbound.ts); 0 or unset picks a free one. */
  smtpPort?: number;
  /** Pre-synthesized template (tests share one). */
  template?: LocalTemplate;
  /** CDK context to synthesize with when no template is given (cveMode, cnaShortName, …). */
  context?: Record<string, unknown>;
  /**
   * With cveMode cve-services: the CVE Services API key, served as the key's secret. Without it the
   * secret is empty, as on AWS before the operator puts the key, and CVE ID assignment blocks the case.
   */
  cveApiKey?: string;
  /**
   * A hosted sign-in for the console instead of the dev-token prompt (the tests use a stand-in);
   * the console's own URL on this stack is its redirect URI.
   */
  consoleSignIn?: Omit<HostedSignIn, 'redirectUri'>;
  quiet?: boolean;
}

export interface LocalStack {
  apiUrl: string;
  mailUrl: string;
  /** The S3 stand-in (presigned uploads and downloads go straight there). */
  s3Url: string;
  /** The S3 stand-in's requests by method and bytes uploaded, since the start. */
  s3Counts(): { byMethod: Record<string, number>; bytesIn: number };
  /** The SMTP listener for inbound mail (127.0.0.1), and the intake address; null when the template has no inbound function. */
  smtp: { port: number; intakeAddress: string; domain: string } | null;
  devToken: string;
  dataDir: string | null;
  clock: Clock;
  engine: LocalWorkflowEngine;
  /** Resumed open cases at start. */
  resumed: string[];
  /** Every server this stack listens with, by role, and its address. */
  listeners(): { name: string; address: AddressInfo }[];
  /** Resolves once every execution waits (on a token or a timer) or is done; rejects after 120 s. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const TABLE = 'cvd-cases';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:CaseWorkflow';
const LOCAL_CVE_ORG_ID = '00000000-0000-4000-8000-00000000c0de';
/** How long (real time) the workflow may run before a settle, and so POST /_local/clock, gives up. */
const SETTLE_LIMIT_MS = 120_000;

const listen = async (server: Server, port = 0) => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
};

async function ensureTable(client: DynamoDBClient): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: TABLE }));
    return;
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  await client.send(new CreateTableCommand(createTableInput(TABLE)));
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    if (Table?.TableStatus === 'ACTIVE' && (Table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const devToken = opts.devToken ?? `dev-${randomBytes(18).toString('base64url')}`;
  const dataDir = opts.inMemory ? null : path.resolve(opts.dataDir ?? path.join(ROOT, '.cvd'));
  const coordinatorEmail = opts.coordinatorEmail ?? 'coordinator@localhost.test';

  // DynamoDB: dynalite, persisted under the data folder unless in memory.
  if (dataDir) {
    mkdirSync(path.join(dataDir, 'dynamodb'), { recursive: true });
    // The demo and other local tools read the dev token from here (only on this machine).
    writeFileSync(path.join(dataDir, 'dev-token'), devToken, { mode: 0o600 });
  }
  const ddbServer = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(dataDir ? { path: path.join(dataDir, 'dynamodb') } : {}),
  });
  const ddbPort = await listen(ddbServer);
  loopbackOnly(ddbServer);
  const ddbEndpoint = `http://127.0.0.1:${ddbPort}`;

  // SES: aws-ses-v2-local with its web inbox.
  const sesPort = await freePort();
  // CommonJS with an `exports.default`: Node's ESM import gives the exports object, vitest's the function.
  const startSes = (typeof sesLocal === 'function' ? sesLocal : sesLocal.default) as typeof sesLocal.default;
  // Its default host is every interface; the inbox page at its own origin may call it.
  const sesServer = await startSes({ host: '127.0.0.1', port: sesPort });
  loopbackOnly(sesServer, { ownPages: true });
  const sesEndpoint = `http://127.0.0.1:${sesPort}`;

  const template = opts.template ?? readTemplate(await synthesizeTemplate(opts.context));
  const clock = new Clock(opts.manualClockStart ? { manualStart: opts.manualClockStart } : {});

  // One environment for every in-process handler (they share process.env): the template's
  // configuration, and the emulators' endpoints. The template's references (ARNs, the table's
  // name, the site's URL) are not strings: the emulators' stand-ins replace them.
  const config = Object.assign({}, ...template.environments.values()) as Record<string, string>;
  const standIns: EnvVars = {
    CASE_TABLE_NAME: TABLE,
    MAIL_FROM: 'cvd@localhost.test',
    MAIL_CONFIGURATION_SET: '',
    COORDINATOR_EMAILS: process.env.COORDINATOR_EMAILS || coordinatorEmail,
    STATE_MACHINE_ARN,
    // A stand-in CNA: records name this organisation, and IDs come from a local block (below).
    CVE_ORG_ID: process.env.CVE_ORG_ID || LOCAL_CVE_ORG_ID,
    COORDINATOR_NAME: process.env.COORDINATOR_NAME || 'Local CVD Coordinator',
    LINK_SECRET_ARN: LOCAL_LINK_SECRET_ARN,
    PGP_KEY_SECRET_ARN: LOCAL_PGP_KEY_SECRET_ARN,
    PGP_PUBLIC_KEY_SECRET_ARN: LOCAL_PGP_PUBLIC_KEY_SECRET_ARN,
    INBOUND_PGP_KEY_SECRET_ARN: LOCAL_PGP_KEY_SECRET_ARN,
    FILES_BUCKET: LOCAL_FILES_BUCKET,
    INBOUND_BUCKET: LOCAL_INBOUND_BUCKET,
    ...(config.CVE_MODE === 'cve-services' ? { CVE_API_KEY_SECRET_ARN: LOCAL_CVE_API_KEY_SECRET_ARN } : {}),
    // Warnings and errors only, unless CVD_LOG_LEVEL asks for more: the console stays readable. No
    // EMF: nothing locally reads it.
    POWERTOOLS_LOG_LEVEL: (process.env.CVD_LOG_LEVEL || 'WARN').toUpperCase(),
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  // A stack started earlier in this process (tests) may have left variables its template had; the
  // handler-only policy values (never set by the stack) stay overridable from the shell.
  for (const name of envVarNames) if (ENV_VARS[name].stack !== 'never') delete process.env[name];
  Object.assign(process.env, {
    ...Object.fromEntries(Object.entries(config).filter(([k]) => k !== 'NODE_OPTIONS')),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: ddbEndpoint,
    AWS_ENDPOINT_URL_SES: sesEndpoint,
    ...standIns,
  });
  const core = parseCoreEnv(process.env);
  const ddb = new DynamoDBClient({
    endpoint: ddbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(ddb);
  if (core.cveMode === 'pool') {
    // A block of IDs for trying the product: CVE-<year>-9000000 onwards (a range no CNA uses).
    const year = new Date(clock.nowMs()).getUTCFullYear();
    await new DynamoDbCvePool({ client: ddb, tableName: TABLE }).reserveBlock(
      Array.from({ length: 100 }, (_, i) => `CVE-${year}-${9_000_000 + i}`),
    );
  }

  // Handlers, imported in-process from the entry each function records in the template.
  const modules = new Map<string, Promise<{ handler: (e: unknown, c?: object) => Promise<unknown> }>>();
  const entryOf = new Map(template.functions.map((f) => [f.logicalId, f.entry]));
  const arnToLogical = new Map(template.functions.map((f) => [f.arn, f.logicalId]));
  const load = (logicalId: string) => {
    const entry = entryOf.get(logicalId);
    if (!entry) throw new Error(`no entry recorded for function ${logicalId}`);
    let m = modules.get(logicalId);
    if (!m) {
      m = import(pathToFileURL(path.join(ROOT, entry)).href) as Promise<{ handler: (e: unknown, c?: object) => Promise<unknown> }>;
      modules.set(logicalId, m);
    }
    return m;
  };

  let engine!: LocalWorkflowEngine;
  const sfn = { endpoint: '' };
  engine = new LocalWorkflowEngine({
    definition: template.definition,
    stateMachineArn: STATE_MACHINE_ARN,
    clock,
    resolveFunction: (arn): TaskFunction => {
      const logical = arnToLogical.get(arn);
      if (!logical) throw new Error(`no function for ${arn}`);
      return async (input) => currentFunction.run(logical, async () => (await load(logical)).handler(input, { functionName: logical }));
    },
  });
  const sfnService = await startSfnService(engine, STATE_MACHINE_ARN);
  loopbackOnly(sfnService.server);
  sfn.endpoint = sfnService.endpoint;
  process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;
  const secrets = new Map([[LOCAL_LINK_SECRET_ARN, localLinkSecret(dataDir)]]);
  const teamKey = await localTeamKey(dataDir, { name: core.coordinatorName, email: 'cvd@localhost.test' });
  secrets.set(LOCAL_PGP_KEY_SECRET_ARN, teamKey.privateKey);
  secrets.set(LOCAL_PGP_PUBLIC_KEY_SECRET_ARN, teamKey.publicKey);
  if (core.cveMode === 'cve-services' && opts.cveApiKey) secrets.set(LOCAL_CVE_API_KEY_SECRET_ARN, opts.cveApiKey);
  const secretsService = await startSecretsService(secrets);
  loopbackOnly(secretsService.server);
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secretsService.endpoint;
  // Handlers read the clock through the runtime module; rebuild their dependencies from this environment.
  setClock(() => clock.now());
  resetDeps();

  // Bounded so that a handler that hangs turns into an error naming it, not a request that never ends.
  const settle = () => engine.settle({ timeoutMs: SETTLE_LIMIT_MS });
  const local = devRoutes({
    devToken,
    clock,
    settle,
    mail: async () => {
      const r = await fetch(`${sesEndpoint}/store`);
      return ((await r.json()) as { emails: { at: number; subject?: string; destination?: { to?: string[] } }[] }).emails;
    },
    // The same handler the feedback topic invokes on AWS (lib/mail-feedback.ts).
    mailFeedback: async (event) => {
      const logical = template.functions.find((f) => f.entry === eventHandlerEntry(EventHandler.MailFeedback))?.logicalId;
      if (!logical) throw new Error('the template has no mail-feedback function');
      return currentFunction.run(logical, async () => (await load(logical)).handler(event, { functionName: logical }));
    },
  });

  // The S3 stand-in starts once the API's port is known; the pages may call it from then on.
  let filesOrigins: string[] = [];
  const api = await startLocalApi(
    {
      routes: template.routes,
      devToken,
      coordinatorEmail,
      handlerFor: async (logicalId) => {
        const handler = (await load(logicalId)).handler as ProxyHandler;
        return (event, context) => currentFunction.run(logicalId, () => handler(event, context));
      },
      extra: (req, body, url) => localRoutes(req, body, url),
      allowedOrigins: (config.ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    },
    opts.port ?? 3000,
  );

  // Links in e-mails point at this stack, whatever port it got.
  process.env.PUBLIC_BASE_URL = process.env.CVD_PUBLIC_BASE_URL ?? api.url;
  // S3 (the files bucket) once the pages' origin is known: they upload to it and download from it
  // (its CORS rule), as does any site the template allows.
  const apiPort = new URL(api.url).port;
  const s3 = await startLocalS3({
    dataDir,
    port: opts.s3Port ?? 0,
    origins: [api.url, `http://localhost:${apiPort}`, ...(config.ALLOWED_ORIGINS ?? '').split(',').filter(Boolean)],
    accessKeyId: 'local',
    secretAccessKey: 'local',
  });
  loopbackOnly(s3.server, { pageOrigins: () => s3.origins });
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  filesOrigins = [s3.endpoint];
  resetDeps();

  // SES receiving's stand-in: SMTP on loopback, into the S3 stand-in, then the same inbound function.
  const inboundLogical = template.functions.find((f) => f.entry === eventHandlerEntry(EventHandler.InboundMail))?.logicalId;
  const inboundEnv = inboundLogical ? parseInboundEnv(process.env) : null;
  const smtp =
    inboundLogical && inboundEnv && core.inboundDomain
      ? await startLocalSmtp({
          port: opts.smtpPort ?? 0,
          domain: core.inboundDomain,
          bucket: LOCAL_INBOUND_BUCKET,
          objectPrefix: INBOUND_OBJECT_PREFIX,
          s3Endpoint: s3.endpoint,
          now: () => clock.now(),
          receive: (event) =>
            currentFunction.run(inboundLogical, async () => (await load(inboundLogical)).handler(event, { functionName: inboundLogical })),
          log: (m) => console.error(m),
        })
      : null;

  async function localRoutes(req: IncomingMessage, body: Buffer, url: URL) {
    const reply = await local(req, body, url);
    if (reply) return reply;
    // The web pages (/, /status, /vendor, /console/, /assets/*); API routes win but for `/`.
    return serveWeb(
      req,
      url,
      template.routes,
      { signIn: opts.consoleSignIn ? { ...opts.consoleSignIn, redirectUri: `${api.url}/console/` } : null },
      filesOrigins,
    );
  }

  // Restart safety: every open case gets an execution that continues where the case stands.
  const store = new DynamoDbCaseStore<CaseState, CaseEvent>({ client: ddb, tableName: TABLE, projection: caseProjection(core.policy) });
  const resumed: string[] = [];
  for (const phase of OPEN_PHASES) {
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof store.queue>> = await store.queue(phase, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const item of page.items) {
        // A snapshot from before summaries can sit in the index beside its case's summary for a moment.
        if (resumed.includes(item.caseId)) continue;
        engine.start(`${item.caseId}-resume-${Date.now().toString(36)}`, { caseId: item.caseId, resume: true });
        resumed.push(item.caseId);
      }
      cursor = page.cursor;
    } while (cursor);
  }

  return {
    apiUrl: api.url,
    mailUrl: sesEndpoint,
    s3Url: s3.endpoint,
    s3Counts: () => s3.counts(),
    smtp:
      smtp && inboundEnv && core.inboundDomain
        ? { port: smtp.port, intakeAddress: inboundEnv.intakeAddress, domain: core.inboundDomain }
        : null,
    devToken,
    dataDir,
    clock,
    engine,
    resumed,
    listeners: () =>
      Object.entries({
        api: api.server,
        dynamodb: ddbServer,
        ses: sesServer,
        stepFunctions: sfnService.server,
        secretsManager: secretsService.server,
        s3: s3.server,
        ...(smtp ? { smtp: smtp.server.server } : {}),
      }).map(([name, server]) => ({ name, address: server.address() as AddressInfo })),
    settle,
    async stop() {
      for (const [name, r] of engine.executions) if (r.status === 'RUNNING') engine.stop(name);
      clock.stop();
      await engine.settle({ timeoutMs: 10_000 }).catch(() => undefined);
      await Promise.all(
        [api.server, sfnService.server, secretsService.server, sesServer, ddbServer].map(
          (s) => new Promise<void>((r) => s.close(() => r())),
        ),
      );
      ddb.destroy();
      await smtp?.close();
      await s3.close();
    },
  };
}

/** A free loopback port, for aws-ses-v2-local, which takes a port number, not 0. */
async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}
