// `npm run demo`: one realistic case end to end against the running local stack, through HTTP
// only: report, triage, vendor outreach, the vendor's answer, the clock moved to the draft date,
// approval, publication. Prints a readable timeline and the published note's URL.
// Reads CVD_API_URL (default http://127.0.0.1:$PORT or :3000) and CVD_DEV_TOKEN (default: the
// token `npm start` wrote to $CVD_DATA_DIR/dev-token). The tests import runDemo.
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DemoOptions {
  /** The stack's API, e.g. http://127.0.0.1:3000. */
  api: string;
  /** The coordinator dev token (also opens the /_local routes). */
  devToken: string;
  /** Where the timeline goes, line by line; default: stdout. */
  print?: (line: string) => void;
  /** How long to wait for each thing the workflow does in the background (real seconds). */
  waitSeconds?: number;
}

export interface DemoResult {
  caseId: string;
  noteUrl: string;
}

interface Reply<T> {
  status: number;
  body: T;
}

interface CaseView {
  phase: string;
  embargo?: { state: string; endsAt: string | null };
  triage?: { recommendation?: string | null };
  draft?: { shared: { revision: number } | null };
  noteId?: string;
}

interface Mail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
}

/**
 * Deadlines are timers of whole seconds counted from when the workflow began to wait, so one can
 * fall due up to a second after the instant it stands for; the demo moves the clock this far past.
 */
const PAST_DEADLINE_MS = 30_000;

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const { api } = opts;
  const print = opts.print ?? ((line: string) => console.log(line));
  const waitMs = (opts.waitSeconds ?? 30) * 1000;
  const coordinator = { token: opts.devToken };
  // The /_local routes (mail, clock) take the same dev token.
  const local = coordinator;
  const step = (what: string) => print(`\n▶ ${what}`);
  const say = (what: string) => print(`  ${what}`);

  async function call<T = Record<string, unknown>>(
    method: string,
    p: string,
    o: { token?: string; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${api}${p}`, {
      method,
      headers,
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const text = await r.text();
    if (r.status >= 400) throw new Error(`${method} ${p} → ${r.status}: ${text}`);
    try {
      return { status: r.status, body: (text ? JSON.parse(text) : {}) as T };
    } catch {
      throw new Error(`${method} ${p} → ${r.status}: not JSON: ${text.slice(0, 200)}`);
    }
  }

  const caseView = async (caseId: string) => (await call<CaseView>('GET', `/cases/${caseId}`, coordinator)).body;

  /**
   * Waits until `probe` gives a value. The workflow runs in the background of each request, so a
   * step can lag its request: first ask the stack to answer once its workflow rests (a zero
   * advance of the clock does that), then poll. Bounded; the error says what was awaited and
   * where the case stood.
   */
  async function until<T>(caseId: string, what: string, probe: (view: CaseView) => T | undefined | Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + waitMs;
    let view = await caseView(caseId);
    let v = await probe(view);
    if (v !== undefined) return v;
    await call('POST', '/_local/clock', { ...local, body: { advance: 'PT0S' }, signal: AbortSignal.timeout(waitMs) }).catch(
      (e: unknown) => {
        if (!(e instanceof Error && e.name === 'TimeoutError')) throw e;
      },
    );
    for (;;) {
      view = await caseView(caseId);
      v = await probe(view);
      if (v !== undefined) return v;
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `gave up after ${waitMs / 1000} s waiting for ${what} (case ${caseId} is in phase "${view.phase}"); is the stack at ${api} still running? Its console shows what the workflow did.`,
    );
  }
  const phaseIs = (caseId: string, phase: string) => until(caseId, `phase ${phase}`, (v) => (v.phase === phase ? true : undefined));
  const moveClock = async (to: number) =>
    (await call<{ now: string }>('POST', '/_local/clock', { ...local, body: { to: new Date(to).toISOString() } })).body.now;

  const { now } = (await call<{ now: string }>('GET', '/_local/clock', local)).body;
  print(`cvd-coordinator demo against ${api} (clock: ${now})`);

  step('A researcher reports an unauthenticated RCE in Widget Server');
  const report = await call('POST', '/reports', {
    body: {
      reporter: { name: 'Ada L.', email: 'ada@example.org', credit: 'named', shareContactWithVendors: true },
      product: { name: 'Widget Server', version: '4.2.1' },
      vendors: [{ name: 'Acme', contactEmail: 'psirt@acme.example', contacted: false }],
      title: 'Unauthenticated RCE in the upload handler',
      description: 'A crafted multipart upload writes a file outside the upload directory, which the scheduler then runs.',
      exploitation: 'POST a file named ../../etc/cron.d/x to /upload; no authentication is needed.',
      impact: 'Remote code execution as the service user.',
      evidence: { proofOfConcept: 'curl -F "f=@x;filename=../../etc/cron.d/x" http://host/upload' },
      cvss: { v3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      requestedService: 'coordination',
    },
  });
  const caseId = String(report.body.caseId);
  say(`case ${caseId} opened; the reporter's status page: ${String(report.body.statusUrl).replace(/#.*/, '#token=…')}`);

  step('The coordinator reviews the pre-screen and accepts');
  await phaseIs(caseId, 'triage');
  // The pre-screen runs right after registration; wait for its recommendation.
  const recommendation = await until(caseId, 'the pre-screen', (v) => v.triage?.recommendation ?? undefined);
  say(`SSVC recommendation: ${recommendation} (the coordinator overrides it, with a reason)`);
  await call('POST', `/cases/${caseId}/triage`, {
    ...coordinator,
    body: { decision: 'accept', reasons: [], comment: 'Widely deployed; the reporter could not reach the vendor.' },
  });
  await phaseIs(caseId, 'outreach');

  step("The coordinator confirms Acme's security contact (the reporter's address is only a suggestion)");
  await call('PUT', `/cases/${caseId}/vendors/vendor-1`, { ...coordinator, body: { contacts: [{ email: 'psirt@acme.example' }] } });
  const embargo = await until(caseId, 'the embargo to open', (v) =>
    v.phase === 'embargo' && v.embargo?.endsAt ? { state: v.embargo.state, endsAt: v.embargo.endsAt } : undefined,
  );
  say(`Acme contacted; embargo ${embargo.state} until ${embargo.endsAt}`);

  step('Acme follows the link in its e-mail, acknowledges, and reports a fix');
  // The link names its case: other cases on this stack have mailed Acme too.
  const linkOfThisCase = new RegExp(`#token=([^&\\s]+)&case=${caseId}\\b`);
  const vendorToken = await until(caseId, "Acme's e-mail with its link", async () => {
    const mail = (await call<{ emails: Mail[] }>('GET', '/_local/mail', local)).body.emails;
    const m = mail.find((x) => x.destination.to.includes('psirt@acme.example') && linkOfThisCase.test(x.body.text ?? ''));
    return m ? decodeURIComponent(linkOfThisCase.exec(m.body.text ?? '')?.[1] ?? '') || undefined : undefined;
  });
  await call('POST', `/vendor/cases/${caseId}/acknowledge`, { token: vendorToken, body: {} });
  await call('PUT', `/vendor/cases/${caseId}/status`, {
    token: vendorToken,
    body: {
      vulnerabilities: [{ id: 'vul-1', status: 'affected' }],
      fixReady: true,
      statement: 'Fixed in Widget Server 4.2.2; update now.',
    },
  });
  say('acknowledged; status affected, fix ready, statement given');

  step('Time passes: the clock moves to 14 days before the embargo ends; the draft is shared');
  const endsAt = Date.parse(embargo.endsAt);
  const draftClock = await moveClock(endsAt - 14 * 86_400_000 + PAST_DEADLINE_MS);
  // Approval needs the draft shared with the participants, not only the draft-review phase.
  const revision = await until(caseId, 'the draft to be shared', (v) => v.draft?.shared?.revision);
  say(`draft revision ${revision} shared with Acme and the reporter (clock: ${draftClock})`);

  step('The coordinator approves publication on the embargo end');
  await call('POST', `/cases/${caseId}/publication`, { ...coordinator, body: { decision: 'approve' } });
  const publishClock = await moveClock(endsAt + PAST_DEADLINE_MS);
  const noteId = await until(caseId, 'the publication', (v) => (v.phase === 'published' ? (v.noteId ?? caseId) : undefined));
  say(`published (clock: ${publishClock})`);

  step('Timeline');
  const { events } = (
    await call<{ events: { seq: number; type: string; at: string; by: { role: string } }[] }>(
      'GET',
      `/cases/${caseId}/events?limit=200`,
      coordinator,
    )
  ).body;
  for (const e of events)
    if (!['notification-sent', 'events-applied'].includes(e.type))
      say(`${e.at.slice(0, 16).replace('T', ' ')}  ${e.by.role.padEnd(11)} ${e.type}`);
  // Every subject names its case; other cases on this stack have mail there too.
  const sent = (await call<{ emails: Mail[] }>('GET', '/_local/mail', local)).body.emails.filter((m) => m.subject.includes(caseId)).length;
  say(`${sent} e-mails sent for this case (all of them: GET ${api}/_local/mail with the dev token)`);

  const noteUrl = `${api}/notes/${noteId}.html`;
  print(`\n✔ Published: ${noteUrl}\n`);
  return { caseId, noteUrl };
}

function readDevToken(): string {
  const file = path.resolve(process.env.CVD_DATA_DIR ?? '.cvd', 'dev-token');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`no dev token: set CVD_DEV_TOKEN to the token npm start printed (or start it with a data folder so ${file} exists)`);
  }
}

const runAsScript = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (runAsScript) {
  try {
    const api = process.env.CVD_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
    await runDemo({ api, devToken: process.env.CVD_DEV_TOKEN ?? readDevToken() });
  } catch (e: unknown) {
    console.error(`\n✘ demo failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
