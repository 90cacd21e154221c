// Two cases reached through the API and the workflow's own commands: case A (reported by Ada,
// vendors Acme and Beta) brought to the phase a test needs, and case B with its own reporter and
// vendor. Every participant holds a real capability token.
import { execute } from '../../functions/app/commands.js';
import { liveToken } from '../../functions/app/notify.js';
import { type Command, type ReportInput, addDays } from '../../functions/domain/index.js';
import { type TestApp, aTestApp } from './app.js';
import { COORDINATOR, SYSTEM, aReportInput } from './case.js';
import { ANONYMOUS, type Caller, COORDINATOR_CALLER, bearer, call } from './http.js';

export type WorldPhase = 'triage' | 'embargo' | 'draft-review';

export interface World {
  app: TestApp;
  a: string;
  b: string;
  callers: Record<CallerName, Caller>;
  vendorIds: { acme: string; beta: string; other: string };
}

export const CALLERS = [
  'anonymous',
  'reporterOfCase',
  'reporterOfOtherCase',
  'vendorOfCase',
  'otherVendorOnCase',
  'vendorOfOtherCase',
  'coordinator',
] as const;
export type CallerName = (typeof CALLERS)[number];

export async function reportThroughApi(
  app: TestApp,
  input: ReportInput = aReportInput(),
): Promise<{ caseId: string; reporterToken: string }> {
  const r = await call(app.deps, 'POST', '/reports', { body: input });
  if (r.status !== 201) throw new Error(`report failed: ${r.status} ${r.raw}`);
  return r.body as { caseId: string; reporterToken: string };
}

const run = (app: TestApp, caseId: string, c: Command, actor = SYSTEM) => execute(app.deps, caseId, c, actor);

export async function toTriage(app: TestApp, caseId: string, vendors: string[]) {
  await run(app, caseId, { type: 'register' });
  await run(app, caseId, {
    type: 'record-prescreen',
    scores: {},
    scoreErrors: [],
    triage: {
      recommendation: 'coordinate',
      ssvcOutcome: 'coordinate',
      ssvcInputs: {},
      suggestedReasons: [],
      requestInformation: { suggested: false, missing: [] },
    },
  });
  await run(
    app,
    caseId,
    { type: 'add-vendors', vendors: vendors.map((name) => ({ name, contacts: [{ email: `psirt@${name.toLowerCase()}.example` }] })) },
    COORDINATOR,
  );
}

export async function toEmbargo(app: TestApp, caseId: string) {
  const s = (await run(app, caseId, { type: 'decide-triage', decision: 'accept', comment: 'ok' }, COORDINATOR)).state;
  for (const v of s.vendors) await run(app, caseId, { type: 'record-vendor-contact', vendorId: v.vendorId, purpose: 'report' });
  await run(app, caseId, { type: 'open-embargo' });
}

export async function toDraftReview(app: TestApp, caseId: string) {
  const s = (await app.store.load(caseId))!.state;
  app.clock.set(addDays(s.embargo.endsAt!, -14));
  await run(app, caseId, { type: 'start-draft-review' });
  await run(app, caseId, { type: 'revise-draft', markdown: '# Draft\n\n## Overview\n\nA bug.\n' }, COORDINATOR);
  await run(app, caseId, { type: 'share-draft' });
}

export async function aWorld(phase: WorldPhase = 'embargo'): Promise<World> {
  const app = aTestApp();
  const a = await reportThroughApi(app);
  const b = await reportThroughApi(
    app,
    aReportInput({ title: 'Another bug', reporter: { email: 'bob@example.org' }, vendors: [{ name: 'Initech' }] }),
  );
  await toTriage(app, a.caseId, ['Acme', 'Beta']);
  await toTriage(app, b.caseId, ['Initech']);
  if (phase !== 'triage') {
    await toEmbargo(app, a.caseId);
    await toEmbargo(app, b.caseId);
  }
  if (phase === 'draft-review') await toDraftReview(app, a.caseId);
  const acme = await vendorToken(app, a.caseId, 'vendor-1');
  const beta = await vendorToken(app, a.caseId, 'vendor-2');
  const initech = await vendorToken(app, b.caseId, 'vendor-1');
  return {
    app,
    a: a.caseId,
    b: b.caseId,
    vendorIds: { acme: 'vendor-1', beta: 'vendor-2', other: 'vendor-1' },
    callers: {
      anonymous: ANONYMOUS,
      reporterOfCase: bearer(a.reporterToken),
      reporterOfOtherCase: bearer(b.reporterToken),
      vendorOfCase: bearer(acme),
      otherVendorOnCase: bearer(beta),
      vendorOfOtherCase: bearer(initech),
      coordinator: COORDINATOR_CALLER,
    },
  };
}

/** The live link token of a vendor's first confirmed contact, its grant stored, as a mail would carry it. */
export async function vendorToken(app: TestApp, caseId: string, vendorId: string): Promise<string> {
  const s = (await app.store.load(caseId))!.state;
  const v = s.vendors.find((x) => x.vendorId === vendorId);
  const email = v?.contacts[0]?.email;
  if (!email) throw new Error(`${vendorId} on ${caseId} has no confirmed contact`);
  const token = await liveToken(app.deps, s, { role: 'vendor', vendorId, email });
  if (!token) throw new Error(`${vendorId} on ${caseId} has no live link`);
  return token;
}

/** Everything the store holds for the world's cases, to compare before and after a failed request. */
export async function snapshot(app: TestApp, caseIds: string[]) {
  const out: Record<string, unknown> = {};
  for (const id of caseIds) {
    out[id] = {
      loaded: await app.store.load(id),
      events: await app.store.readEvents(id, { limit: 10_000 }),
      wait: await app.store.getWait(id),
    };
  }
  return {
    cases: out,
    signals: JSON.parse(JSON.stringify(app.signals)) as unknown,
    mails: app.mailer.sent.length,
    tokens: app.tokens.length,
  };
}
