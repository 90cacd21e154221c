// One case with many vendors (VINCE's users report pain at about 120; this one has 500) on the
// local stack, beside a one-vendor case on the same path: outreach to every vendor, a vendor's own
// actions, fifty days of reminders, the workflow's draft, approval and publication.
//
// Printed against the targets of issue 15: a vendor's action (DynamoDB requests and units, bytes
// exchanged with DynamoDB, Lambda invocations, time) within 1.2× of the same action on the
// one-vendor case; DynamoDB requests per vendor over the whole case; the coordinator's first view
// of the case under 150 KB; the 50-day clock advance under 20 s.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allStates } from '../lib/asl.js';
import { readTemplate, synthesizeTemplate } from '../lib/local/template.js';
import { resetDeps } from '../functions/handlers/runtime.js';
import { type E2E, bootStack } from '../test/builders/local-stack.js';
import { aReportInput } from '../test/builders/case.js';
import { type DynamoCounts, startDynamoCounter } from './dynamo-counter.js';

export const LARGE_TARGETS = { actionRatio: 1.2, firstViewKb: 150, advanceSeconds: 20 } as const;

/** What one request cost, counted from the request until the workflow it woke is parked again. */
export interface ActionCost {
  action: string;
  ms: number;
  lambdaInvocations: number;
  dynamoRequests: number;
  wru: number;
  rru: number;
  /** Request and response bodies exchanged with DynamoDB. */
  dynamoBytes: number;
}

export interface CaseRun {
  vendors: number;
  /** Vendors whose contact had been mailed a link once the vendors were added. */
  vendorsMailed: number;
  published: boolean;
  /** Where the case ended, and why it is blocked if it is (the workflow's blocked loop). */
  finalPhase: string;
  blocked: string | null;
  /** The case's executions at the end: status, error, last states. */
  executions: string[];
  firstViewBytes: number;
  firstViewMs: number;
  /** The view's largest top-level fields, bytes each: where the size is. */
  firstViewParts: Record<string, number>;
  /** Added vendors' requests (POST /cases/{caseId}/vendors, batched), with what they started. */
  addVendorsSeconds: number;
  advanceDays: number;
  advanceSeconds: number;
  /** How often the advance stopped at the local stack's settle limit (120 s of real time) and was sent again. */
  settleLimitsHit: number;
  actions: ActionCost[];
  /** Over the whole case, from the report to publication. */
  dynamo: DynamoCounts;
  lambdaInvocations: number;
  emails: number;
  seconds: number;
}

export interface LargeCaseFigures {
  targets: typeof LARGE_TARGETS;
  large: CaseRun;
  small: CaseRun;
}

const ACME = 'psirt@acme.example';
const BATCH = 100; // POST /cases/{caseId}/vendors takes at most LIMITS.vendors at once
const ADVANCE_DAYS = 50;

/** Each address's vendor link, from the mail sent so far. */
function vendorLinks(mail: Awaited<ReturnType<E2E['mail']>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of mail) {
    const t = /#token=([A-Za-z0-9_%-]+)/.exec(m.body.text ?? '')?.[1];
    if (t) for (const to of m.destination.to) out.set(to, decodeURIComponent(t));
  }
  return out;
}

/**
 * Moves the clock to `at` (to the present: waits for the workflow). POST /_local/clock answers 503
 * where the clock stopped when the workflow ran past the local stack's settle limit (120 s of real
 * time), and fetch gives up after 300 s; sent again, it goes on. Returns how often either happened.
 */
async function clockTo(e: E2E, at: string): Promise<number> {
  for (let hit = 0; hit <= 20; hit++) {
    // Not e.call: it would wait for the workflow again, and throw where the route answers 503.
    const r = await fetch(`${e.stack.apiUrl}/_local/clock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${e.stack.devToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: at }),
    }).catch((error: unknown) => {
      // fetch gives up on an answer after 300 s; the stack goes on moving the clock, and asking again waits for it.
      if ((error as { cause?: { code?: string } }).cause?.code === 'UND_ERR_HEADERS_TIMEOUT') return null;
      throw error;
    });
    if (r === null) continue;
    const text = await r.text();
    if (r.status === 200) return hit;
    if (r.status !== 503) throw new Error(`large case: POST /_local/clock → ${r.status} ${text}`);
  }
  throw new Error('large case: the workflow never came to rest');
}

async function runCase(vendorCount: number, taskStates: Set<string>): Promise<CaseRun> {
  const started = performance.now();
  const e = await bootStack();
  const ddbEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '';
  const counter = await startDynamoCounter(ddbEndpoint);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = counter.endpoint;
  resetDeps();
  let apiRequests = 0;
  const workflowTasks = () =>
    [...e.stack.engine.executions.values()].reduce((n, x) => n + x.history.filter((s) => taskStates.has(s)).length, 0);
  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    apiRequests++;
    const r = await e.call(method, path, { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });
    if (r.status >= 300) throw new Error(`large case: ${method} ${path} → ${r.status} ${r.text.slice(0, 400)}`);
    return r;
  };
  /** One request's cost: DynamoDB from the counter, Lambda from the API call and the tasks it started. */
  const measured = async (action: string, f: () => Promise<unknown>): Promise<ActionCost> => {
    await e.stack.settle();
    const before = counter.counts();
    const tasks = workflowTasks();
    const calls = apiRequests;
    const t = performance.now();
    await f();
    await e.stack.settle();
    const ms = performance.now() - t;
    const after = counter.counts();
    return {
      action,
      ms,
      lambdaInvocations: apiRequests - calls + workflowTasks() - tasks,
      dynamoRequests: after.writeRequests + after.readRequests - before.writeRequests - before.readRequests,
      wru: after.wru - before.wru,
      rru: after.rru - before.rru,
      dynamoBytes: after.bytes - before.bytes,
    };
  };
  let settleLimitsHit = 0;
  try {
    const { caseId } = (await api('POST', '/reports', aReportInput())).json as { caseId: string };
    await api('POST', `/cases/${caseId}/triage`, { decision: 'accept', reasons: [], comment: 'we coordinate this' }, e.coordinator);
    await api('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: ACME }] }, e.coordinator);
    // The organisations are in the vendor directory first, as a coordination team keeps them;
    // the case takes them by reference (their contacts come confirmed).
    const others: { vendorRef: string; contacts: string[] }[] = [];
    for (let i = 0; i < vendorCount - 1; i++) {
      const email = `psirt@vendor-${i + 2}.example`;
      const r = await api('POST', '/directory/vendors', { name: `Vendor ${i + 2}`, contacts: [{ email }] }, e.coordinator);
      others.push({ vendorRef: (r.json as { vendorRef: string }).vendorRef, contacts: [email] });
    }
    const t0 = performance.now();
    for (let i = 0; i < others.length; i += BATCH) {
      const batch = others.slice(i, i + BATCH).map((o) => ({ vendorRef: o.vendorRef }));
      await api('POST', `/cases/${caseId}/vendors`, { vendors: batch }, e.coordinator);
      settleLimitsHit += await clockTo(e, await e.now());
    }
    const addVendorsSeconds = (performance.now() - t0) / 1000;

    const links = vendorLinks(await e.mail());
    const acme = links.get(ACME);
    const vendorsMailed = [ACME, ...others.map((o) => o.contacts[0] ?? '')].filter((a) => links.has(a)).length;
    if (!acme || vendorsMailed < vendorCount) {
      const v = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as { blocked: unknown; phase: string };
      console.error(
        `large case: ${vendorsMailed} of ${vendorCount} vendors mailed a link; phase ${v.phase}, blocked ${JSON.stringify(v.blocked)}`,
      );
      for (const x of e.stack.engine.executions.values())
        console.error(
          `  execution ${x.name}: ${x.status} ${x.error ?? ''} ${(x.cause ?? '').slice(0, 300)} after ${x.history.slice(-4).join(' → ')}`,
        );
    }
    if (!acme) throw new Error('no vendor link mailed to the first vendor');
    // One in ten of the added vendors acknowledges; the others are reminded, then marked unresponsive.
    for (let i = 10; i < vendorCount; i += 10) {
      const link = links.get(`psirt@vendor-${i}.example`);
      if (link) await api('POST', `/vendor/cases/${caseId}/acknowledge`, {}, link);
    }

    const actions: ActionCost[] = [];
    const vendorPath = `/vendor/cases/${caseId}`;
    actions.push(await measured('acknowledge', () => api('POST', `${vendorPath}/acknowledge`, {}, acme)));
    actions.push(await measured('comment', () => api('POST', `${vendorPath}/messages`, { body: 'We are looking into it.' }, acme)));
    actions.push(
      await measured('status', () =>
        api(
          'PUT',
          `${vendorPath}/status`,
          { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], fixReady: true, statement: 'Fixed in 4.2.2.' },
          acme,
        ),
      ),
    );
    actions.push(await measured('view', () => api('GET', vendorPath, undefined, acme)));

    const tv = performance.now();
    const first = await api('GET', `/cases/${caseId}`, undefined, e.coordinator);
    const firstViewMs = performance.now() - tv;

    const ta = performance.now();
    settleLimitsHit += await clockTo(e, new Date(Date.parse(await e.now()) + ADVANCE_DAYS * 86_400_000).toISOString());
    const advanceSeconds = (performance.now() - ta) / 1000;

    // The workflow drafted and shared the note two weeks before the embargo's end; the date is past.
    const waiting = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as { phase: string };
    if (waiting.phase === 'draft-review' || waiting.phase === 'publication')
      await api('POST', `/cases/${caseId}/publication`, { decision: 'approve' }, e.coordinator);
    else
      console.error(
        `large case: still in phase ${waiting.phase} after ${ADVANCE_DAYS} days; not approved (blocked: ${JSON.stringify((waiting as { blocked?: unknown }).blocked)})`,
      );
    await e.advance('P1D');
    await e.stack.settle();
    const view = (await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as { phase: string; blocked: unknown };
    const dynamo = counter.counts();
    return {
      vendors: vendorCount,
      vendorsMailed,
      published: view.phase === 'published',
      finalPhase: view.phase,
      blocked: view.blocked ? JSON.stringify(view.blocked).slice(0, 500) : null,
      executions: [...e.stack.engine.executions.values()].map(
        (x) =>
          `${x.name} ${x.status}${x.error ? ` ${x.error}: ${(x.cause ?? '').slice(0, 300)}` : ''} after ${x.history.slice(-3).join(' → ')}`,
      ),
      firstViewBytes: Buffer.byteLength(first.text),
      firstViewMs,
      firstViewParts: Object.fromEntries(
        Object.entries(first.json as Record<string, unknown>)
          .map(([k, v]) => [k, Buffer.byteLength(JSON.stringify(v) ?? '')] as const)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6),
      ),
      addVendorsSeconds,
      advanceDays: ADVANCE_DAYS,
      advanceSeconds,
      settleLimitsHit,
      actions,
      dynamo,
      lambdaInvocations: apiRequests + workflowTasks(),
      emails: (await e.mail()).reduce((n, m) => n + m.destination.to.length, 0),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await e.stop();
    await counter.close();
    process.env.AWS_ENDPOINT_URL_DYNAMODB = ddbEndpoint;
  }
}

/**
 * The worst ratio, large case over small, of what an action costs on AWS: DynamoDB requests, units
 * and bytes, Lambda invocations (time is printed beside it, not judged: it is this machine's).
 */
export function actionRatio(large: ActionCost, small: ActionCost): number {
  const r = (p: number, q: number) => (q === 0 ? (p === 0 ? 1 : Number.POSITIVE_INFINITY) : p / q);
  return Math.max(
    r(large.dynamoRequests, small.dynamoRequests),
    r(large.wru, small.wru),
    r(large.rru, small.rru),
    r(large.dynamoBytes, small.dynamoBytes),
    r(large.lambdaInvocations, small.lambdaInvocations),
  );
}

/** Each action measured on the large case with the same action on the small one. */
export function actionPairs(f: LargeCaseFigures): { large: ActionCost; small: ActionCost; ratio: number }[] {
  return f.large.actions.flatMap((large) => {
    const small = f.small.actions.find((a) => a.action === large.action);
    return small ? [{ large, small, ratio: actionRatio(large, small) }] : [];
  });
}

export function measureLargeCase(vendors = 500): LargeCaseFigures {
  // Each case in a Node process of its own: a stack's module state (the SES stand-in's inbox, the
  // handlers' clients) never carries over from one case to the next, and neither does its memory.
  return { targets: LARGE_TARGETS, small: runInChild(1), large: runInChild(vendors) };
}

function runInChild(vendors: number): CaseRun {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, String(vendors)], {
    cwd: path.resolve(path.dirname(self), '..'),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30 * 60_000,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as CaseRun;
}

async function taskStateNames(): Promise<Set<string>> {
  const { definition } = readTemplate(await synthesizeTemplate());
  return new Set(
    allStates(definition)
      .filter(([, s]) => s.Type === 'Task')
      .map(([n]) => n),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  taskStateNames()
    .then((names) => runCase(Number(process.argv[2] ?? 500), names))
    .then(
      (f) => {
        process.stdout.write(`${JSON.stringify(f)}\n`);
        process.exit(0);
      },
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
}
