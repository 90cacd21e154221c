// Fuzzing every route of lib/api-routes.ts through its API handler (test/builders/http.ts) with
// fast-check, as every kind of caller that holds a real token (and as no one): hostile bodies and
// bodies the schema accepts, odd path parameters (traversal, lookalikes, unicode, very long, the
// other case's ids) and odd queries. Nothing ever gets a 5xx; a caller the route or the case is not
// theirs gets 401/403/404, the same bytes as for a case that does not exist; and a refused request
// writes nothing: no store write is even attempted, and the cases, events, grants (the tokens
// handed out), e-mails and signals are exactly as before. The public notes and feeds are fuzzed
// through their own use case. Bounded: FUZZ_RUNS requests per route and caller kind.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../lib/api-routes.js';
import { publishDocuments } from '../../functions/app/publication.js';
import { type PublicDeps, servePublic } from '../../functions/app/public-notes.js';
import { type World, snapshot } from '../builders/api-world.js';
import { type Response, call } from '../builders/http.js';
import { singleVendorFixed } from '../unit/publication/published-cases.js';
import {
  API_ROUTES,
  BODIES,
  FUZZ_CALLERS,
  type FuzzCaller,
  type FuzzPhase,
  type FuzzRoute,
  PUBLIC_ROUTES,
  type Params,
  RUNS,
  SEED,
  UNKNOWN_CASE,
  type Verdict,
  accepted,
  aFuzzWorld,
  bodiesFor,
  callerOf,
  isPrimary,
  mustLookUnknown,
  oddIds,
  paramsArb,
  paramsOfA,
  queriesArb,
  short,
  verdictOf,
} from './fuzz-kit.js';
import { countingWrites } from './helpers.js';

const MUTATING = API_ROUTES.filter((r) => r.body);
const READING = API_ROUTES.filter((r) => r.method === 'GET');
const OPTS = { numRuns: RUNS, seed: SEED };

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Requests against a world whose store counts writes. */
function harness(w: World) {
  const counted = countingWrites(w.app.store);
  const deps = { ...w.app.deps, store: counted.store };
  const send = (route: FuzzRoute, caller: FuzzCaller, params: Params, body?: string, query?: Record<string, string>) =>
    call(deps, route.method, route.path, {
      params: params as Record<string, string>,
      caller: callerOf(w, caller),
      ...(body !== undefined ? { body } : {}),
      ...(query ? { query } : {}),
    });
  // The store as the last refused request left it (proven unchanged), so it need not be read again.
  let unchanged: Snapshot | null = null;
  const take = () => snapshot(w.app, [w.a, w.b]);
  /** Sends the request; on a 4xx, proves that no write was attempted and nothing changed. */
  const probe = async (request: () => Promise<Response>, why: (r: Response) => string): Promise<Response> => {
    const before = unchanged ?? (await take());
    const writes = counted.writes.length;
    const r = await request();
    if (r.status < 400) {
      unchanged = null;
      return r;
    }
    expect(counted.writes.slice(writes), why(r)).toEqual([]);
    const after = await take();
    expect(after, why(r)).toEqual(before);
    unchanged = after;
    return r;
  };
  return { counted, send, probe };
}

const comparable = (r: Response) => ({ status: r.status, headers: r.headers, raw: r.raw });

/** What every answer must be: no 5xx, an outsider kept out, an unknown id refused, problems as problem+json. */
function expectAnswer(r: Response, verdict: Verdict, why: string) {
  expect(r.status, why).toBeLessThan(500);
  if (verdict === 'outsider') expect([401, 403, 404], why).toContain(r.status);
  if (verdict === 'unknown') expect(r.status, why).toBeGreaterThanOrEqual(400);
  if (r.status >= 400) expect(r.headers['content-type'], why).toBe('application/problem+json');
}

describe('reliability: the fuzz covers the route table', () => {
  it('fuzzes every route of lib/api-routes.ts: a body spec for exactly the mutating routes, the rest as GETs or public notes', () => {
    const mutating = apiRoutes.filter((r) => r.method !== 'GET' && r.handler !== 'public-notes').map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(BODIES).sort()).toEqual(mutating.sort());
    const fuzzed = [...MUTATING, ...READING].map((r) => r.name);
    const notPublic = apiRoutes.filter((r) => r.handler !== 'public-notes').map((r) => `${r.method} ${r.path}`);
    expect(fuzzed.sort()).toEqual(notPublic.sort());
    expect([...PUBLIC_ROUTES].sort()).toEqual(
      [
        '/.well-known/security.txt',
        '/pgp-key.asc',
        '/feed.atom',
        '/feed.json',
        '/notes',
        '/notes/{id}',
        '/notes/{id}/csaf.json',
        '/notes/{id}/csaf-vex.json',
        '/notes/{id}/cve/{cveId}',
      ].sort(),
    );
  });

  it('draws valid-looking bodies that every route schema accepts, so a refusal is about the caller or the case', () => {
    for (const route of MUTATING) {
      const spec = route.body!;
      expect(spec.schema.safeParse(spec.example).success, route.name).toBe(true);
      fc.assert(
        fc.property(spec.valid, (b) => spec.schema.safeParse(b).success),
        { numRuns: 100, seed: SEED },
      );
    }
  });
});

describe('reliability: fuzzing the mutating routes as every caller', () => {
  const cells = MUTATING.flatMap((route) => FUZZ_CALLERS.map((caller) => [route.name, caller, route] as const));
  it.each(cells)(
    `scenario: ${RUNS} fast-check requests to %s as %s: never 5xx, the wrong caller 401/403/404 whatever the body, odd ids 4xx, nothing written on a 4xx`,
    async (_name, caller, route) => {
      const spec = route.body!;
      const w = await aFuzzWorld(spec.phase);
      const { send, probe } = harness(w);
      const seen = { refused: 0, passed: 0, outsider: 0, unknown: 0, allowed: 0 };
      // Whatever FUZZ_RUNS is, the property sees a request the route's own caller makes successfully
      // and one no one gets through (malformed JSON), as this caller.
      const examples: [Params, string][] = [
        [paramsOfA(w, route.params), JSON.stringify(spec.example)],
        [paramsOfA(w, route.params), '{"not json'],
      ];
      await fc.assert(
        fc.asyncProperty(paramsArb(w, route.params), bodiesFor(spec), async (params, raw) => {
          const verdict = await verdictOf(w, route, caller, params);
          seen[verdict]++;
          const tell = (r: Response) =>
            `${route.name} as ${caller} (${verdict}) params ${short(params)} body ${short(raw)} → ${r.status} ${short(r.raw)}`;
          const r = await probe(async () => {
            const answer = await send(route, caller, params, raw);
            // Asked inside the probe: the same request for no case must not write either.
            if (mustLookUnknown(w, verdict, params))
              expect(comparable(answer), tell(answer)).toEqual(
                comparable(await send(route, caller, { ...params, caseId: UNKNOWN_CASE }, raw)),
              );
            return answer;
          }, tell);
          expectAnswer(r, verdict, tell(r));
          if (verdict === 'allowed' && !accepted(spec, raw)) expect(r.status, tell(r)).toBeGreaterThanOrEqual(400);
          seen[r.status >= 400 ? 'refused' : 'passed']++;
        }),
        // Examples count towards numRuns: RUNS drawn requests come on top.
        { ...OPTS, numRuns: RUNS + examples.length, examples },
      );
      if (isPrimary(route, caller)) {
        expect(seen.refused).toBeGreaterThan(0);
        expect(seen.passed).toBeGreaterThan(0);
      } else if (route.who !== 'public') expect(seen.outsider).toBeGreaterThan(0);
    },
  );
});

describe('reliability: fuzzing the GET routes as every caller', () => {
  let w: World;
  let cursors: string[];
  beforeAll(async () => {
    w = await aFuzzWorld('embargo');
    const page = (query: Record<string, string>) => call(w.app.deps, 'GET', '/cases', { caller: w.callers.coordinator, query });
    const merged = (await page({ limit: '1' })).body as { cursor: string | null };
    const byPhase = (await page({ limit: '1', phase: 'embargo' })).body as { cursor: string | null };
    cursors = [merged.cursor, byPhase.cursor].filter((c): c is string => typeof c === 'string');
    expect(cursors).toHaveLength(2);
  });

  const cells = READING.flatMap((route) => FUZZ_CALLERS.map((caller) => [route.name, caller, route] as const));
  it.each(cells)(
    `scenario: ${RUNS} fast-check queries and path parameters to %s as %s: never 5xx, never written, an outsider's answer the same bytes as for no case`,
    async (_name, caller, route) => {
      const { counted, send } = harness(w);
      const before = await snapshot(w.app, [w.a, w.b]);
      const plain = route.params.length === 0 ? await send(route, caller, {}) : null;
      await fc.assert(
        fc.asyncProperty(paramsArb(w, route.params), queriesArb(cursors), async (params, query) => {
          const verdict = await verdictOf(w, route, caller, params);
          const r = await send(route, caller, params, undefined, query);
          const why = `${route.name} as ${caller} (${verdict}) params ${short(params)} query ${short(query)} → ${r.status} ${short(r.raw)}`;
          expectAnswer(r, verdict, why);
          if (mustLookUnknown(w, verdict, params))
            expect(comparable(r), why).toEqual(
              comparable(await send(route, caller, { ...params, caseId: UNKNOWN_CASE }, undefined, query)),
            );
          // A route without a case (GET /cases) tells an outsider nothing its query could change.
          if (verdict === 'outsider' && plain) expect(comparable(r), why).toEqual(comparable(plain));
        }),
        { ...OPTS, numRuns: RUNS + 1, examples: [[paramsOfA(w, route.params), {}]] },
      );
      expect(counted.writes).toEqual([]);
      expect(await snapshot(w.app, [w.a, w.b])).toEqual(before);
    },
  );
});

describe('reliability: fuzzing the public notes and feeds', () => {
  let w: World;
  let deps: PublicDeps;
  let noteId: string;
  let cveId: string;
  beforeAll(async () => {
    w = await aFuzzWorld('embargo');
    const note = await publishDocuments({ notes: w.app.notes }, singleVendorFixed().state, w.app.deps.publication);
    noteId = note.noteId;
    cveId = note.cveRecords[0]!.cveId;
    deps = {
      notes: w.app.notes,
      config: { publicBaseUrl: 'https://cvd.example', coordinatorName: 'Example CERT', coordinatorEmails: ['coord@cert.example'] },
      now: () => w.app.clock.now,
    };
  });

  it.each(PUBLIC_ROUTES)(
    `scenario: ${RUNS} fast-check requests to GET %s: never 5xx, one 404 for whatever is not a published note, nothing of an unpublished case`,
    async (route) => {
      const notFound = await servePublic(deps, { route: '/notes/{id}', params: { id: UNKNOWN_CASE }, query: {}, headers: {} });
      expect(notFound.status).toBe(404);
      const stored = JSON.stringify([...w.app.notes.notes]);
      const ids = fc.oneof(fc.constantFrom(noteId, `${noteId}.html`, w.a, w.b, `${w.a}.html`), oddIds(w));
      const cves = fc.oneof(fc.constantFrom(cveId, `${cveId}.json`, `${cveId}.JSON`, 'CVE-2026-424242.json'), oddIds(w));
      const accept = fc.constantFrom(
        undefined,
        'text/html',
        'application/json',
        'text/html;q=0.5, application/json',
        '*/*',
        'text/html;q=abc',
        ',,;;',
        'x'.repeat(3000),
      );
      await fc.assert(
        fc.asyncProperty(ids, cves, queriesArb([]), accept, async (id, cve, query, acceptHeader) => {
          const params = route.includes('{cveId}') ? { id, cveId: cve } : route.includes('{id}') ? { id } : {};
          const headers = acceptHeader === undefined ? {} : { accept: acceptHeader };
          const r = await servePublic(deps, { route, params, query, headers });
          const why = `GET ${route} params ${short(params)} query ${short(query)} → ${r.status} ${short(r.body)}`;
          expect(r.status, why).toBeLessThan(500);
          if (r.status === 404) expect(r, why).toEqual(notFound);
          // A case that is not published is as absent as one that does not exist.
          if ([w.a, w.b, `${w.a}.html`].includes(id) && route.includes('{id}'))
            expect(r, why).toEqual(await servePublic(deps, { route, params: { ...params, id: UNKNOWN_CASE }, query, headers }));
        }),
        OPTS,
      );
      expect(JSON.stringify([...w.app.notes.notes])).toBe(stored);
    },
  );
});

// ---- valid-looking requests in states that refuse them ---------------------------------------------

interface StateCase {
  name: string;
  phase: FuzzPhase;
  route: string;
  caller: FuzzCaller;
  params?: Partial<Params>;
  body: unknown;
  status: number;
  /** Requests (by the coordinator unless named) that bring the case to the state. */
  before?: { route: string; params?: Partial<Params>; body: unknown }[];
}

const STATE_CASES: StateCase[] = [
  {
    name: 'a publication decision before draft review',
    phase: 'embargo',
    route: 'POST /cases/{caseId}/publication',
    caller: 'coordinator',
    body: { decision: 'approve' },
    status: 409,
  },
  {
    name: 'approving a revised draft before it is shared',
    phase: 'draft-review',
    route: 'POST /cases/{caseId}/publication',
    caller: 'coordinator',
    body: { decision: 'approve' },
    status: 409,
    before: [{ route: 'PUT /cases/{caseId}/draft', body: { markdown: '# Draft\n\nRevised.' } }],
  },
  {
    name: 'not publishing without a reason',
    phase: 'draft-review',
    route: 'POST /cases/{caseId}/publication',
    caller: 'coordinator',
    body: { decision: 'do-not-publish' },
    status: 400,
  },
  {
    name: 'a triage decision twice',
    phase: 'triage',
    route: 'POST /cases/{caseId}/triage',
    caller: 'coordinator',
    body: { decision: 'decline', reasons: ['insufficient-evidence'], comment: 'on second thought' },
    status: 409,
    before: [{ route: 'POST /cases/{caseId}/triage', body: { decision: 'accept', comment: 'we coordinate this' } }],
  },
  {
    name: 'declining without a reason',
    phase: 'triage',
    route: 'POST /cases/{caseId}/triage',
    caller: 'coordinator',
    body: { decision: 'decline', comment: 'no' },
    status: 400,
  },
  {
    name: 'accepting with reasons to decline',
    phase: 'triage',
    route: 'POST /cases/{caseId}/triage',
    caller: 'coordinator',
    body: { decision: 'accept', reasons: ['insufficient-evidence'] },
    status: 400,
  },
  {
    name: 'a draft during triage',
    phase: 'triage',
    route: 'PUT /cases/{caseId}/draft',
    caller: 'coordinator',
    body: { markdown: '# Early' },
    status: 409,
  },
  {
    name: 'a CVE ID for an unknown vulnerability',
    phase: 'embargo',
    route: 'PUT /cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
    caller: 'coordinator',
    params: { vulnerabilityId: 'vul-9' },
    body: { cveId: 'CVE-2026-1234' },
    status: 404,
  },
  {
    name: 'a CVE ID for a vulnerability only the other case has',
    phase: 'embargo',
    route: 'PUT /cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
    caller: 'coordinator',
    params: { vulnerabilityId: 'vul-2' },
    body: { cveId: 'CVE-2026-1234' },
    status: 404,
  },
  {
    name: 'a CVE ID during triage, before any vulnerability',
    phase: 'triage',
    route: 'PUT /cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
    caller: 'coordinator',
    body: { cveId: 'CVE-2026-1234' },
    status: 404,
  },
  {
    name: 'a CVE ID another vulnerability of the case holds',
    phase: 'embargo',
    route: 'PUT /cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
    caller: 'coordinator',
    params: { vulnerabilityId: 'vul-2' },
    body: { cveId: 'CVE-2026-1234' },
    status: 400,
    before: [
      { route: 'POST /cases/{caseId}/vulnerabilities', body: { title: 'A second flaw' } },
      { route: 'PUT /cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve', body: { cveId: 'CVE-2026-1234' } },
    ],
  },
  {
    name: 'accepting a CVE proposal of an unknown vendor',
    phase: 'embargo',
    route: 'PUT /cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
    caller: 'coordinator',
    body: { acceptProposalFrom: 'vendor-9' },
    status: 404,
  },
  {
    name: 'a CVE ID on a closed case',
    phase: 'closed',
    route: 'PUT /cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
    caller: 'coordinator',
    body: { cveId: 'CVE-2026-1234' },
    status: 409,
  },
  {
    name: 'a link action for an address that is no contact',
    phase: 'embargo',
    route: 'POST /cases/{caseId}/vendors/{vendorId}/links',
    caller: 'coordinator',
    body: { action: 'revoke', email: 'eve@attacker.example' },
    status: 404,
  },
  {
    name: "a link action for another vendor's contact",
    phase: 'embargo',
    route: 'POST /cases/{caseId}/vendors/{vendorId}/links',
    caller: 'coordinator',
    body: { action: 'reissue', email: 'psirt@beta.example' },
    status: 404,
  },
  {
    name: 'a link action for the reporter as a vendor contact',
    phase: 'embargo',
    route: 'POST /cases/{caseId}/vendors/{vendorId}/links',
    caller: 'coordinator',
    body: { action: 'revoke', email: 'ada@example.org' },
    status: 404,
  },
  {
    name: 'a link action for a vendor only the other case has',
    phase: 'embargo',
    route: 'POST /cases/{caseId}/vendors/{vendorId}/links',
    caller: 'coordinator',
    params: { vendorId: 'vendor-3' },
    body: { action: 'revoke' },
    status: 404,
  },
  {
    name: 'reissuing a vendor link on a closed case',
    phase: 'closed',
    route: 'POST /cases/{caseId}/vendors/{vendorId}/links',
    caller: 'coordinator',
    body: { action: 'reissue' },
    status: 409,
  },
  {
    name: 'reissuing the reporter link on a closed case',
    phase: 'closed',
    route: 'POST /cases/{caseId}/reporter/links',
    caller: 'coordinator',
    body: { action: 'reissue' },
    status: 409,
  },
  {
    name: 'editing a vendor the case lacks',
    phase: 'embargo',
    route: 'PUT /cases/{caseId}/vendors/{vendorId}',
    caller: 'coordinator',
    params: { vendorId: 'vendor-9' },
    body: { isCna: true },
    status: 404,
  },
  {
    name: "renaming a vendor to another vendor's name",
    phase: 'embargo',
    route: 'PUT /cases/{caseId}/vendors/{vendorId}',
    caller: 'coordinator',
    body: { name: 'BETA' },
    status: 400,
  },
  {
    name: 'editing a vendor on a closed case',
    phase: 'closed',
    route: 'PUT /cases/{caseId}/vendors/{vendorId}',
    caller: 'coordinator',
    body: { isCna: true },
    status: 409,
  },
  {
    name: 'adding a vendor the case has',
    phase: 'embargo',
    route: 'POST /cases/{caseId}/vendors',
    caller: 'coordinator',
    body: { vendors: [{ name: 'ACME' }] },
    status: 400,
  },
  {
    name: 'adding the same vendor twice at once',
    phase: 'embargo',
    route: 'POST /cases/{caseId}/vendors',
    caller: 'coordinator',
    body: { vendors: [{ name: 'Gamma' }, { name: 'gamma' }] },
    status: 400,
  },
  {
    name: 'editing a vulnerability the case lacks',
    phase: 'embargo',
    route: 'POST /cases/{caseId}/vulnerabilities',
    caller: 'coordinator',
    body: { vulnerabilityId: 'vul-9', title: 'x' },
    status: 404,
  },
  {
    name: 'adding a vulnerability to a closed case',
    phase: 'closed',
    route: 'POST /cases/{caseId}/vulnerabilities',
    caller: 'coordinator',
    body: { title: 'late' },
    status: 409,
  },
  {
    name: 'an embargo that ends in the past',
    phase: 'embargo',
    route: 'PUT /cases/{caseId}/embargo',
    caller: 'coordinator',
    body: { endsAt: '2026-10-01T00:00:00Z', reason: 'x' },
    status: 400,
  },
  {
    name: 'an embargo on a closed case',
    phase: 'closed',
    route: 'PUT /cases/{caseId}/embargo',
    caller: 'coordinator',
    body: { endsAt: '2027-06-01T12:00:00Z', reason: 'x' },
    status: 409,
  },
  {
    name: 'a signal on a closed case',
    phase: 'closed',
    route: 'POST /cases/{caseId}/signals',
    caller: 'coordinator',
    body: { kind: 'public', evidence: 'x' },
    status: 409,
  },
  {
    name: 'closing a closed case',
    phase: 'closed',
    route: 'POST /cases/{caseId}/close',
    caller: 'coordinator',
    body: { reason: 'again' },
    status: 409,
  },
  {
    name: 'information from the reporter after triage',
    phase: 'embargo',
    route: 'POST /reports/{caseId}/messages',
    caller: 'reporterOfCase',
    body: { kind: 'information', body: 'more detail' },
    status: 409,
  },
  {
    name: 'a reporter comment on a draft that is not shared',
    phase: 'embargo',
    route: 'POST /reports/{caseId}/messages',
    caller: 'reporterOfCase',
    body: { kind: 'draft-comment', body: 'typo' },
    status: 409,
  },
  {
    name: 'a reporter message on a closed case',
    phase: 'closed',
    route: 'POST /reports/{caseId}/messages',
    caller: 'reporterOfCase',
    body: { kind: 'comment', body: 'hello?' },
    status: 409,
  },
  {
    name: 'a vendor comment on a draft that is not shared',
    phase: 'embargo',
    route: 'POST /vendor/cases/{caseId}/messages',
    caller: 'vendorOfCase',
    body: { kind: 'draft-comment', body: 'typo' },
    status: 409,
  },
  {
    name: 'a vendor acknowledging a closed case',
    phase: 'closed',
    route: 'POST /vendor/cases/{caseId}/acknowledge',
    caller: 'vendorOfCase',
    body: {},
    status: 409,
  },
  {
    name: 'a vendor status on a closed case',
    phase: 'closed',
    route: 'PUT /vendor/cases/{caseId}/status',
    caller: 'vendorOfCase',
    body: { fixReady: true },
    status: 409,
  },
  {
    name: 'a vendor status for a vulnerability only the other case has',
    phase: 'embargo',
    route: 'PUT /vendor/cases/{caseId}/status',
    caller: 'vendorOfCase',
    body: { vulnerabilities: [{ id: 'vul-2', status: 'affected' }] },
    status: 404,
  },
  {
    name: 'a vendor proposing a CVE ID for a vulnerability the case lacks',
    phase: 'embargo',
    route: 'PUT /vendor/cases/{caseId}/status',
    caller: 'vendorOfCase',
    body: { cveIds: [{ vulnerabilityId: 'vul-9', cveId: 'CVE-2026-1234' }] },
    status: 404,
  },
];

const routeNamed = (name: string): FuzzRoute => {
  const r = API_ROUTES.find((x) => x.name === name);
  if (!r) throw new Error(`no route ${name}`);
  return r;
};

describe('reliability: valid-looking requests in states that refuse them', () => {
  it.each(STATE_CASES.map((c) => [c.name, c.status, c] as const))('scenario: %s → %i, nothing written', async (_name, status, c) => {
    const w = await aFuzzWorld(c.phase);
    for (const step of c.before ?? []) {
      const route = routeNamed(step.route);
      const r = await call(w.app.deps, route.method, route.path, {
        params: { ...paramsOfA(w, route.params), ...step.params } as Record<string, string>,
        caller: w.callers.coordinator,
        body: step.body,
      });
      expect(r.status, `${step.route}: ${r.raw}`).toBeLessThan(300);
    }
    const route = routeNamed(c.route);
    const { send, probe } = harness(w);
    const r = await probe(
      () => send(route, c.caller, { ...paramsOfA(w, route.params), ...c.params }, JSON.stringify(c.body)),
      (x) => x.raw,
    );
    expect(r.status, r.raw).toBe(status);
    expect(r.headers['content-type']).toBe('application/problem+json');
  });

  // The same, drawn: every route's own caller sends bodies its schema accepts in every phase.
  const PHASES: FuzzPhase[] = ['triage', 'embargo', 'draft-review', 'closed'];
  const runs = Math.max(1, Math.ceil(RUNS / 5));
  const cells = MUTATING.filter((r) => r.who !== 'public').flatMap((route) => PHASES.map((phase) => [route.name, phase, route] as const));
  it.each(cells)(
    `scenario: ${runs} valid-looking bodies to %s by its own caller in phase %s: never 5xx, nothing written on a 4xx`,
    async (_name, phase, route) => {
      const spec = route.body!;
      const caller: FuzzCaller = route.who === 'coordinator' ? 'coordinator' : route.who === 'reporter' ? 'reporterOfCase' : 'vendorOfCase';
      const w = await aFuzzWorld(phase);
      const { send, probe } = harness(w);
      const params = fc.oneof(
        { weight: 3, arbitrary: fc.constant(paramsOfA(w, route.params)) },
        { weight: 1, arbitrary: paramsArb(w, route.params) },
      );
      await fc.assert(
        fc.asyncProperty(params, spec.valid, async (p, body) => {
          const verdict = await verdictOf(w, route, caller, p);
          const raw = JSON.stringify(body);
          const tell = (r: Response) =>
            `${route.name} in ${phase} (${verdict}) params ${short(p)} body ${short(raw)} → ${r.status} ${short(r.raw)}`;
          const r = await probe(() => send(route, caller, p, raw), tell);
          expectAnswer(r, verdict, tell(r));
        }),
        { numRuns: runs, seed: SEED },
      );
    },
  );
});
