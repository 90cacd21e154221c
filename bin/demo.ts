// `npm run demo`: one realistic case end to end against the running local stack, through HTTP
// only: report, triage, vendor outreach, the vendor's answer, the clock moved to the draft date,
// approval, publication. Prints a readable timeline and the published note's URL.
// Reads CVD_API_URL (default http://127.0.0.1:$PORT or :3000) and CVD_DEV_TOKEN (default: the
// token `npm start` wrote to $CVD_DATA_DIR/dev-token).
import { readFileSync } from 'node:fs';
import path from 'node:path';

const api = process.env.CVD_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const devToken = process.env.CVD_DEV_TOKEN ?? readDevToken();

function readDevToken(): string {
  const file = path.resolve(process.env.CVD_DATA_DIR ?? '.cvd', 'dev-token');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`no dev token: set CVD_DEV_TOKEN to the token npm start printed (or start it with a data folder so ${file} exists)`);
  }
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function call(method: string, p: string, opts: { token?: string; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${api}${p}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await r.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { text };
  }
  if (r.status >= 400) throw new Error(`${method} ${p} → ${r.status}: ${text}`);
  return { status: r.status, body };
}

const coordinator = { token: devToken };
// The /_local routes (mail, clock) take the same dev token.
const local = coordinator;
const step = (what: string) => console.log(`\n▶ ${what}`);
const say = (what: string) => console.log(`  ${what}`);

async function until<T>(what: string, probe: () => Promise<T | undefined>, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function caseView(caseId: string) {
  return (await call('GET', `/cases/${caseId}`, coordinator)).body as { phase: string; embargo?: { state: string; endsAt: string | null }; noteId?: string };
}
async function phaseIs(caseId: string, phase: string) {
  return until(`phase ${phase}`, async () => ((await caseView(caseId)).phase === phase ? true : undefined));
}

async function main() {
  const now = ((await call('GET', '/_local/clock', local)).body.now as string) ?? new Date().toISOString();
  console.log(`cvd-coordinator demo against ${api} (clock: ${now})`);

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
  const recommendation = await until('the pre-screen', async () => ((await caseView(caseId)) as { triage?: { recommendation?: string | null } }).triage?.recommendation ?? undefined);
  say(`SSVC recommendation: ${recommendation} (the coordinator overrides it, with a reason)`);
  await call('POST', `/cases/${caseId}/triage`, { ...coordinator, body: { decision: 'accept', reasons: [], comment: 'Widely deployed; the reporter could not reach the vendor.' } });
  await phaseIs(caseId, 'outreach');

  step("The coordinator confirms Acme's security contact (the reporter's address is only a suggestion)");
  await call('PUT', `/cases/${caseId}/vendors/vendor-1`, { ...coordinator, body: { contacts: [{ email: 'psirt@acme.example' }] } });
  await phaseIs(caseId, 'embargo');
  const embargo = (await caseView(caseId)).embargo;
  say(`Acme contacted; embargo ${embargo?.state} until ${embargo?.endsAt}`);

  step('Acme follows the link in its e-mail, acknowledges, and reports a fix');
  const mail = (await call('GET', '/_local/mail', local)).body.emails as { destination: { to: string[] }; subject: string; body: { text?: string } }[];
  const vendorMail = mail.find((m) => m.destination.to.includes('psirt@acme.example') && /#token=/.test(m.body.text ?? ''));
  const vendorToken = decodeURIComponent(/#token=([^&\s]+)/.exec(vendorMail?.body.text ?? '')?.[1] ?? '');
  if (!vendorToken) throw new Error('no vendor link found in the mail');
  await call('POST', `/vendor/cases/${caseId}/acknowledge`, { token: vendorToken, body: {} });
  await call('PUT', `/vendor/cases/${caseId}/status`, {
    token: vendorToken,
    body: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], fixReady: true, statement: 'Fixed in Widget Server 4.2.2; update now.' },
  });
  say('acknowledged; status affected, fix ready, statement given');

  step('Time passes: the clock moves to 14 days before the embargo ends; the draft is shared');
  const draftAt = new Date(Date.parse(embargo?.endsAt ?? now) - 14 * 86_400_000).toISOString();
  await call('POST', '/_local/clock', { ...local, body: { to: draftAt } });
  await phaseIs(caseId, 'draft-review');
  say(`draft shared with Acme and the reporter (clock: ${draftAt})`);

  step('The coordinator approves publication on the embargo end');
  await call('POST', `/cases/${caseId}/publication`, { ...coordinator, body: { decision: 'approve' } });
  await call('POST', '/_local/clock', { ...local, body: { to: embargo?.endsAt } });
  await phaseIs(caseId, 'published');

  step('Timeline');
  const events = (await call('GET', `/cases/${caseId}/events?limit=200`, coordinator)).body.events as { seq: number; type: string; at: string; by: { role: string } }[];
  for (const e of events) if (!['notification-sent', 'events-applied'].includes(e.type)) say(`${e.at.slice(0, 16).replace('T', ' ')}  ${e.by.role.padEnd(11)} ${e.type}`);
  const sent = ((await call('GET', '/_local/mail', local)).body.emails as unknown[]).length;
  say(`${sent} e-mails sent (GET ${api}/_local/mail with the dev token)`);

  const noteId = (await caseView(caseId)).noteId ?? caseId;
  console.log(`\n✔ Published: ${api}/notes/${noteId}.html\n`);
}

main().catch((e: unknown) => {
  console.error(`\n✘ demo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
