// What one case costs on AWS, per lifecycle path, counted on the local stack (npm start's runtime,
// in memory, a clock moved by hand), each path on a fresh stack driven over HTTP as people would:
//
// * state transitions: states entered, from the local engine's execution history (every
//   execution of the case, waits re-armed included);
// * Lambda invocations: the history's entries of Task states (workflow functions, each entered
//   Task is one invocation; retries would add more, none happen here) plus one per API request;
// * API requests: the HTTP calls the drivers make (the /_local routes excluded);
// * DynamoDB: every request of every handler's client goes through bench/dynamo-counter.ts, a
//   counting proxy (the handlers' endpoint is switched to it after boot, then their clients rebuilt);
// * e-mails: from the SES emulator's store (/_local/mail), one per recipient as SES bills them.
import { createHash } from 'node:crypto';
import { allStates } from '../lib/asl.js';
import { readTemplate, synthesizeTemplate } from '../lib/local/template.js';
import { resetDeps } from '../functions/handlers/runtime.js';
import { type E2E, bootStack } from '../test/builders/local-stack.js';
import { aReportInput } from '../test/builders/case.js';
import { type DynamoCounts, startDynamoCounter } from './dynamo-counter.js';

/** Public on-demand prices, us-east-1, free tiers ignored (checked for this run's date: see README). */
export const PRICES = {
  region: 'us-east-1',
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaPerGbSecondArm: 0.0000133334,
  lambdaMemoryGb: 0.25,
  lambdaAssumedMsPerInvocation: 100,
  dynamoPerWru: 0.625 / 1_000_000,
  dynamoPerRru: 0.125 / 1_000_000,
  sesPerEmail: 0.1 / 1000,
  apiGatewayRestPerRequest: 3.5 / 1_000_000,
  // S3 Standard: PUT, COPY, POST and LIST; GET, HEAD and the rest (DELETE is free); storage per GB-month.
  s3PerWriteRequest: 0.005 / 1000,
  s3PerReadRequest: 0.0004 / 1000,
  s3PerGbMonth: 0.023,
} as const;

/** How long a file is stored, for its price: from upload to publication, at most the embargo. */
const FILE_STORED_DAYS = 45;

export interface PathFigure {
  path: string;
  finalPhase: string;
  executions: number;
  transitions: number;
  lambdaWorkflow: number;
  apiRequests: number;
  lambdaInvocations: number;
  dynamo: DynamoCounts;
  emails: number;
  /** Requests the S3 stand-in served (presigned uploads and downloads, the handlers' checks and removals), and bytes stored. */
  s3: { writes: number; reads: number; deletes: number; bytes: number };
  cost: { stepFunctions: number; lambda: number; dynamo: number; ses: number; apiGateway: number; s3: number; total: number };
  /** The wall time the path took here (the clock jumps), for information. */
  seconds: number;
}

const ACME = 'psirt@acme.example';
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

interface Driver {
  e: E2E;
  /** The reporter's token from the last POST /reports. */
  reporterToken?: string;
  api(method: string, path: string, body?: unknown, token?: string): Promise<unknown>;
  now(): Promise<string>;
}

async function report(d: Driver): Promise<string> {
  const r = (await d.api('POST', '/reports', aReportInput())) as { caseId: string; reporterToken: string };
  d.reporterToken = r.reporterToken;
  return r.caseId;
}
async function accept(d: Driver, caseId: string): Promise<string> {
  await d.api('POST', `/cases/${caseId}/triage`, { decision: 'accept', reasons: [], comment: 'we coordinate this' }, d.e.coordinator);
  // The reporter only suggests the vendor's address: a coordinator confirms it, and the vendor is contacted.
  await d.api('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: ACME }] }, d.e.coordinator);
  // The default embargo: first contact (now, the clock stands still) + 45 days at 12:00 UTC.
  return `${addDays(await d.now(), 45).slice(0, 10)}T12:00:00.000Z`;
}
async function vendorToken(d: Driver): Promise<string> {
  for (const m of await d.e.mail()) {
    if (!m.destination.to.includes(ACME)) continue;
    const t = /#token=([A-Za-z0-9_%-]+)/.exec(m.body.text ?? '')?.[1];
    if (t) return decodeURIComponent(t);
  }
  throw new Error('no vendor link mailed');
}
/** A file declared by `as` on its prefix, then PUT to the presigned URL, as a page does. */
async function upload(d: Driver, prefix: string, token: string, name: string, bytes: Buffer): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const up = (await d.api(
    'POST',
    `${prefix}/attachments`,
    { filename: name, contentType: 'application/octet-stream', size: bytes.length, sha256 },
    token,
  )) as {
    attachmentId: string;
    uploadUrl: string;
    uploadHeaders: Record<string, string>;
  };
  const put = await fetch(up.uploadUrl, { method: 'PUT', headers: up.uploadHeaders, body: bytes });
  if (!put.ok) throw new Error(`upload of ${name}: ${put.status}`);
  return up.attachmentId;
}
async function download(d: Driver, prefix: string, token: string, id: string): Promise<void> {
  const got = (await d.api('GET', `${prefix}/attachments/${id}`, undefined, token)) as { downloadUrl: string };
  const r = await fetch(got.downloadUrl);
  if (!r.ok) throw new Error(`download: ${r.status}`);
  await r.arrayBuffer();
}

const approve = (d: Driver, caseId: string) => d.api('POST', `/cases/${caseId}/publication`, { decision: 'approve' }, d.e.coordinator);

const PATHS: Record<string, (d: Driver) => Promise<string>> = {
  'accepted, published': async (d) => {
    const id = await report(d);
    const endsAt = await accept(d, id);
    const vt = await vendorToken(d);
    await d.api('POST', `/vendor/cases/${id}/acknowledge`, {}, vt);
    await d.api(
      'PUT',
      `/vendor/cases/${id}/status`,
      { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], fixReady: true, statement: 'Fixed in 4.2.2.' },
      vt,
    );
    await d.e.to(addDays(endsAt, -14));
    await approve(d, id);
    await d.e.to(endsAt);
    return id;
  },
  declined: async (d) => {
    const id = await report(d);
    await d.api(
      'POST',
      `/cases/${id}/triage`,
      { decision: 'decline', reasons: ['resources'], comment: 'declined with regret' },
      d.e.coordinator,
    );
    return id;
  },
  'messages and two files, published': async (d) => {
    const id = await report(d);
    const endsAt = await accept(d, id);
    const vt = await vendorToken(d);
    await d.api('POST', `/vendor/cases/${id}/acknowledge`, {}, vt);
    const asked = (await d.api(
      'POST',
      `/cases/${id}/messages`,
      { to: { vendorIds: ['vendor-1'] }, body: 'Can you share the fix?' },
      d.e.coordinator,
    )) as {
      messageId: string;
    };
    await d.api('GET', `/vendor/cases/${id}/messages`, undefined, vt);
    // A patch and a log, 200 KB and 2 MB, with the vendor's answer.
    const vendorPrefix = `/vendor/cases/${id}`;
    const patch = await upload(d, vendorPrefix, vt, 'fix.patch', Buffer.alloc(200 * 1024, 'p'));
    const log = await upload(d, vendorPrefix, vt, 'crash.log', Buffer.alloc(2 * 1024 * 1024, 'l'));
    await d.api(
      'POST',
      `${vendorPrefix}/messages`,
      { body: 'The fix and the log.', inReplyTo: asked.messageId, attachmentIds: [patch, log] },
      vt,
    );
    await download(d, `/cases/${id}`, d.e.coordinator, patch);
    await download(d, `/cases/${id}`, d.e.coordinator, log);
    // The coordinators pass the patch to the reporter, who downloads it and answers.
    await d.api(
      'POST',
      `/cases/${id}/messages`,
      { to: 'reporter', body: 'The vendor’s fix, to retest.', attachmentIds: [patch] },
      d.e.coordinator,
    );
    const rt = d.reporterToken ?? '';
    await download(d, `/reports/${id}`, rt, patch);
    await d.api('POST', `/reports/${id}/messages`, { kind: 'comment', body: 'Retested: fixed.' }, rt);
    await d.e.to(addDays(endsAt, -14));
    await approve(d, id);
    await d.e.to(endsAt);
    return id;
  },
  'information never came': async (d) => {
    const id = await report(d);
    await d.api('POST', `/cases/${id}/triage`, { decision: 'request-info', reasons: [] }, d.e.coordinator);
    await d.e.advance('P14DT1H');
    return id;
  },
  'unresponsive vendor, published': async (d) => {
    const id = await report(d);
    const endsAt = await accept(d, id);
    await d.e.advance('P7D');
    await d.e.advance('P7D');
    await d.e.advance('P14D');
    await d.e.to(addDays(endsAt, -14));
    await approve(d, id);
    await d.e.to(endsAt);
    return id;
  },
  'early release, published': async (d) => {
    const id = await report(d);
    await accept(d, id);
    await d.api('POST', `/cases/${id}/signals`, { kind: 'exploit-public', evidence: 'https://exploit.example/poc' }, d.e.coordinator);
    await d.e.advance('PT1M');
    await approve(d, id);
    await d.e.advance('P30D');
    return id;
  },
  'do not publish': async (d) => {
    const id = await report(d);
    const endsAt = await accept(d, id);
    await d.e.to(addDays(endsAt, -14));
    await d.api(
      'POST',
      `/cases/${id}/publication`,
      { decision: 'do-not-publish', reason: 'the vendor advisory covers it' },
      d.e.coordinator,
    );
    return id;
  },
};

export function costOf(
  f: {
    transitions: number;
    lambdaInvocations: number;
    dynamo: DynamoCounts;
    emails: number;
    apiRequests: number;
    s3?: { writes: number; reads: number; bytes: number };
  },
  prices = PRICES,
) {
  const stepFunctions = f.transitions * prices.stepFunctionsPerTransition;
  const lambda =
    f.lambdaInvocations *
    (prices.lambdaPerRequest + prices.lambdaMemoryGb * (prices.lambdaAssumedMsPerInvocation / 1000) * prices.lambdaPerGbSecondArm);
  const dynamo = f.dynamo.wru * prices.dynamoPerWru + f.dynamo.rru * prices.dynamoPerRru;
  const ses = f.emails * prices.sesPerEmail;
  const apiGateway = f.apiRequests * prices.apiGatewayRestPerRequest;
  const s3 = f.s3
    ? f.s3.writes * prices.s3PerWriteRequest +
      f.s3.reads * prices.s3PerReadRequest +
      (f.s3.bytes / 1024 ** 3) * prices.s3PerGbMonth * (FILE_STORED_DAYS / 30)
    : 0;
  return { stepFunctions, lambda, dynamo, ses, apiGateway, s3, total: stepFunctions + lambda + dynamo + ses + apiGateway + s3 };
}

export async function measureLifecycles(): Promise<PathFigure[]> {
  const { definition } = readTemplate(await synthesizeTemplate());
  const taskStates = new Set(
    allStates(definition)
      .filter(([, s]) => s.Type === 'Task')
      .map(([n]) => n),
  );
  const out: PathFigure[] = [];
  for (const [name, drive] of Object.entries(PATHS)) {
    const started = performance.now();
    const e = await bootStack();
    const ddbEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '';
    const counter = await startDynamoCounter(ddbEndpoint);
    // Every handler's DynamoDB client is rebuilt from the environment, now pointing at the counter.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = counter.endpoint;
    resetDeps();
    let apiRequests = 0;
    const d: Driver = {
      e,
      api: async (method, path, body, token) => {
        apiRequests++;
        const r = await e.call(method, path, { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });
        if (r.status >= 300) throw new Error(`${name}: ${method} ${path} → ${r.status} ${r.text}`);
        return r.json;
      },
      now: () => e.now(),
    };
    try {
      const caseId = await drive(d);
      await e.stack.settle();
      const dynamo = counter.counts();
      const emails = (await e.mail()).reduce((n, m) => n + m.destination.to.length, 0);
      const executions = [...e.stack.engine.executions.values()];
      const transitions = executions.reduce((n, x) => n + x.history.length, 0);
      const lambdaWorkflow = executions.reduce((n, x) => n + x.history.filter((s) => taskStates.has(s)).length, 0);
      // Not counted: the check of where the case ended.
      const view = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as { phase: string };
      const byMethod = e.stack.s3Counts().byMethod;
      const s3 = {
        writes: (byMethod.PUT ?? 0) + (byMethod.POST ?? 0),
        reads: (byMethod.GET ?? 0) + (byMethod.HEAD ?? 0),
        deletes: byMethod.DELETE ?? 0,
        bytes: e.stack.s3Counts().bytesIn,
      };
      const counted = { transitions, lambdaInvocations: lambdaWorkflow + apiRequests, dynamo, emails, apiRequests, s3 };
      out.push({
        path: name,
        finalPhase: `${view.phase}${executions.every((x) => x.status === 'SUCCEEDED') ? '' : ` (executions: ${executions.map((x) => x.status).join(',')})`}`,
        executions: executions.length,
        transitions,
        lambdaWorkflow,
        apiRequests,
        lambdaInvocations: counted.lambdaInvocations,
        dynamo,
        emails,
        s3,
        cost: costOf(counted),
        seconds: (performance.now() - started) / 1000,
      });
    } finally {
      await e.stop();
      await counter.close();
      process.env.AWS_ENDPOINT_URL_DYNAMODB = ddbEndpoint;
    }
  }
  return out;
}
