// What the API fuzz (fuzz.test.ts) is made of: every route of lib/api-routes.ts with who may call
// it, bodies its schema accepts next to hostile ones, odd path parameters and queries, and the
// oracle that says, for a caller and the parameters of a request, whether it may act at all.
import fc from 'fast-check';
import { type ApiRoute, type HttpMethod, apiRoutes } from '../../lib/api-routes.js';
import { execute } from '../../functions/app/commands.js';
import { ReportSchema } from '../../functions/domain/report.js';
import { SIGNALS, VENDOR_STATUSES } from '../../functions/domain/events.js';
import { REFERENCE_KINDS } from '../../functions/domain/vendor-references.js';
import { DECLINE_REASONS } from '../../functions/domain/triage/decline-reasons.js';
import { VENDOR_CSAF_TLPS } from '../../functions/domain/tlp.js';
import {
  AcknowledgeBodySchema,
  CloseBodySchema,
  CveBodySchema,
  DraftBodySchema,
  EmbargoBodySchema,
  EmbargoProposalBodySchema,
  LinksBodySchema,
  PriorityBodySchema,
  VendorCsafBodySchema,
  PublicationBodySchema,
  REPORTER_MESSAGE_KINDS,
  ReporterMessageBodySchema,
  SignalBodySchema,
  TriageBodySchema,
  VendorMessageBodySchema,
  VendorStatusBodySchema,
  VendorUpdateBodySchema,
  VendorsBodySchema,
  VulnerabilityBodySchema,
} from '../../functions/app/api/schemas.js';
import { AttachmentBodySchema, CoordinatorMessageBodySchema, FileRetentionBodySchema } from '../../functions/app/api/message-bodies.js';
import { DirectoryVendorBodySchema, DirectoryVendorUpdateSchema } from '../../functions/app/api/directory-bodies.js';
import { CALLERS, type CallerName, type World, type WorldPhase, aWorld } from '../builders/api-world.js';
import { COORDINATOR, aReportInput } from '../builders/case.js';
import type { Caller } from '../builders/http.js';

export const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
export const SEED = Number(process.env.FUZZ_SEED ?? 20261101);

// ---- callers -----------------------------------------------------------------------------------

/** The world's callers, and a signed-in user outside the coordinators group (a 403, not a 401). */
export const FUZZ_CALLERS = [...CALLERS, 'signedInOutsider'] as const;
export type FuzzCaller = (typeof FUZZ_CALLERS)[number];

export const callerOf = (w: World, c: FuzzCaller): Caller =>
  c === 'signedInOutsider' ? { kind: 'coordinator', groups: 'readers' } : w.callers[c as CallerName];

export type Who = 'public' | 'reporter' | 'vendor' | 'coordinator';

const ROLE: Record<FuzzCaller, Who | null> = {
  anonymous: null,
  signedInOutsider: null,
  reporterOfCase: 'reporter',
  reporterOfOtherCase: 'reporter',
  vendorOfCase: 'vendor',
  otherVendorOnCase: 'vendor',
  vendorOfOtherCase: 'vendor',
  coordinator: 'coordinator',
};

/** The cases a participant's token opens; a coordinator may act on every case. */
function homeCases(w: World, c: FuzzCaller): string[] {
  if (c === 'coordinator') return [w.a, w.b];
  if (c === 'reporterOfCase' || c === 'vendorOfCase' || c === 'otherVendorOnCase') return [w.a];
  if (c === 'reporterOfOtherCase' || c === 'vendorOfOtherCase') return [w.b];
  return [];
}

// ---- routes ------------------------------------------------------------------------------------

export interface Schema {
  safeParse(v: unknown): { success: boolean };
  shape?: Record<string, unknown>;
}

export type ParamName = 'caseId' | 'vendorId' | 'vulnerabilityId' | 'attachmentId' | 'vendorRef';

/** The fuzzed world's one directory organisation, and a ref of the right shape that none has. */
export const FUZZ_VENDOR_REF = 'v-01JFZZ00000000000000000000';
export const UNKNOWN_VENDOR_REF = 'v-01JZZZZZZZZZZZZZZZZZZZZZZZ';
export type Params = Partial<Record<ParamName, string>>;

export interface BodySpec {
  schema: Schema;
  /** The world's phase in which the example succeeds. */
  phase: WorldPhase;
  /** A request the route's own caller makes successfully on case A. */
  example: unknown;
  /** Bodies the schema accepts, with ids and values that the case may or may not know. */
  valid: fc.Arbitrary<unknown>;
  /** The route takes no body as {}. */
  optional?: true;
}

const SHA = 'a'.repeat(64);
/** A declared upload: any name, type and size the schema takes (too large is a 413, never a 5xx). */
const fileSpec: BodySpec = {
  schema: AttachmentBodySchema,
  phase: 'embargo',
  example: { filename: 'poc.py', contentType: 'text/x-python', size: 1200, sha256: SHA },
  valid: fc.record({
    filename: fc.constantFrom(
      'poc.py',
      'Ünïcödé ✓ 漢字.pdf',
      '<b>x<b> &amp; onload=1.html',
      "'; DROP TABLE cases; --",
      '..patch',
      'a'.repeat(200),
    ),
    contentType: fc.constantFrom('application/pdf', 'text/html', 'application/x-msdownload', 'image/svg+xml'),
    size: fc.oneof(fc.integer({ min: 1, max: 1024 }), fc.constantFrom(25 * 1024 * 1024, 25 * 1024 * 1024 + 1, 2 ** 40)),
    sha256: fc.constantFrom(SHA, 'f'.repeat(64)),
  }),
};

const words = fc.constantFrom(
  'ok',
  'we are on it',
  'Fixed in 4.2.2.',
  'see https://news.example/x',
  'Ünïcödé ✓ 漢字',
  '<b>not markup</b>',
  "'; DROP TABLE cases; --",
);
const lines = fc.oneof(words, fc.constantFrom('# Note\n\nText.', '# Draft\n\n## Overview\n\nA bug.\n', 'line one\nline two\ttabbed'));
const instants = fc.constantFrom(
  '2020-01-01T00:00:00Z',
  '2026-11-01T09:00:00Z',
  '2026-11-01T09:00:00.001Z',
  '2026-12-01T00:00:00+02:00',
  '2027-06-01T12:00:00Z',
  '2099-12-31T23:59:59Z',
);
const emails = fc.constantFrom(
  'psirt@acme.example',
  'PSIRT@Acme.Example',
  'psirt@beta.example',
  'psirt@initech.example',
  'eve@attacker.example',
  'ada@example.org',
);
const vendorIds = fc.constantFrom('vendor-1', 'vendor-2', 'vendor-3', 'vendor-9');
const vulnerabilityIds = fc.constantFrom('vul-1', 'vul-2', 'vul-9');
const cveIds = fc.constantFrom('CVE-2026-1234', 'CVE-2026-424242', 'CVE-2021-44228');
const vendorNames = fc.constantFrom('Acme', 'acme', 'Beta', 'Gamma', 'Delta', 'Initech', ' Gamma ');
const opt = (keys: Record<string, fc.Arbitrary<unknown>>, requiredKeys: string[] = []): fc.Arbitrary<unknown> =>
  fc.record(keys, { requiredKeys });

/** Every mutating route: its schema, the phase its example needs, its example and valid-looking bodies. */
export const BODIES: Record<string, BodySpec> = {
  'POST /reports': {
    schema: ReportSchema,
    phase: 'embargo',
    example: aReportInput(),
    valid: fc.constantFrom(
      aReportInput(),
      aReportInput({ title: 'Another flaw', vendors: [{ name: 'Initech' }] }),
      aReportInput({ vendors: [{ name: 'Acme' }, { name: 'Beta' }] }),
    ),
  },
  'POST /reports/{caseId}/messages': {
    schema: ReporterMessageBodySchema,
    phase: 'embargo',
    example: { kind: 'comment', body: 'any news?' },
    valid: opt({ kind: fc.constantFrom(...REPORTER_MESSAGE_KINDS), body: lines, disclosureDate: instants }, ['kind', 'body']),
  },
  'POST /cases/{caseId}/triage': {
    schema: TriageBodySchema,
    phase: 'triage',
    example: { decision: 'accept', reasons: [], comment: 'we coordinate this' },
    valid: opt(
      {
        decision: fc.constantFrom('accept', 'decline', 'request-info'),
        reasons: fc.subarray([...DECLINE_REASONS], { maxLength: 2 }),
        comment: words,
        ssvc: fc.constant({ utility: 'efficient' }),
      },
      ['decision'],
    ),
  },
  'POST /cases/{caseId}/vendors': {
    schema: VendorsBodySchema,
    phase: 'embargo',
    example: { vendors: [{ name: 'Gamma', contacts: ['sec@gamma.example'] }] },
    valid: fc.record({
      vendors: fc.array(
        opt({ name: vendorNames, contacts: fc.array(emails, { maxLength: 2 }), isCna: fc.boolean(), downstream: fc.boolean() }, ['name']),
        { minLength: 1, maxLength: 2 },
      ),
    }),
  },
  'PUT /cases/{caseId}/vendors/{vendorId}': {
    schema: VendorUpdateBodySchema,
    phase: 'embargo',
    example: { contacts: [{ email: 'psirt@acme.example' }, { email: 'second@acme.example' }] },
    valid: opt({
      name: vendorNames,
      contacts: fc.array(fc.record({ email: emails }), { maxLength: 2 }),
      isCna: fc.boolean(),
      cnaShortName: words,
      downstream: fc.boolean(),
    }),
  },
  'POST /cases/{caseId}/vendors/{vendorId}/links': {
    schema: LinksBodySchema,
    phase: 'embargo',
    example: { action: 'reissue', email: 'psirt@acme.example' },
    valid: opt({ action: fc.constantFrom('revoke', 'reissue'), email: emails }, ['action']),
  },
  'POST /cases/{caseId}/reporter/links': {
    schema: LinksBodySchema,
    phase: 'embargo',
    example: { action: 'reissue' },
    valid: opt({ action: fc.constantFrom('revoke', 'reissue'), email: emails }, ['action']),
  },
  'POST /cases/{caseId}/vulnerabilities': {
    schema: VulnerabilityBodySchema,
    phase: 'embargo',
    example: { title: 'A second flaw', description: 'in the parser' },
    valid: opt({ vulnerabilityId: vulnerabilityIds, title: words, description: lines, cwe: fc.constantFrom('CWE-79', 'CWE-22') }),
  },
  'PUT /cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve': {
    schema: CveBodySchema,
    phase: 'embargo',
    example: { cveId: 'CVE-2026-424242' },
    valid: opt({ cveId: fc.option(cveIds), acceptProposalFrom: vendorIds }),
  },
  'PUT /cases/{caseId}/embargo': {
    schema: EmbargoBodySchema,
    phase: 'embargo',
    example: { endsAt: '2027-06-01T12:00:00Z', reason: 'the vendor needs a release cycle' },
    valid: fc.oneof(
      fc.record({ endsAt: instants, reason: words }),
      opt({ reason: words }).map((b) => ({ ...(b as object), declineProposal: 'EP-1' })),
      opt({ reason: words }).map((b) => ({ ...(b as object), acceptProposal: 'EP-2' })),
    ),
  },
  'PUT /reports/{caseId}/embargo': {
    schema: EmbargoProposalBodySchema,
    phase: 'embargo',
    example: { endsAt: '2027-06-01T12:00:00Z', reason: 'we present it at a conference' },
    valid: fc.record({ endsAt: instants, reason: words }),
  },
  'PUT /vendor/cases/{caseId}/embargo': {
    schema: EmbargoProposalBodySchema,
    phase: 'embargo',
    example: { endsAt: '2027-06-01T12:00:00Z', reason: 'our release train' },
    valid: fc.record({ endsAt: instants, reason: words }),
  },
  'POST /cases/{caseId}/signals': {
    schema: SignalBodySchema,
    phase: 'embargo',
    example: { kind: 'public', evidence: 'https://news.example/x' },
    valid: fc.record({ kind: fc.constantFrom(...SIGNALS), evidence: lines }),
  },
  'PUT /cases/{caseId}/draft': {
    schema: DraftBodySchema,
    phase: 'embargo',
    example: { markdown: '# Note\n\nText.' },
    valid: opt({ markdown: lines, reason: words }, ['markdown']),
  },
  'POST /cases/{caseId}/publication': {
    schema: PublicationBodySchema,
    phase: 'draft-review',
    example: { decision: 'approve' },
    valid: opt({ decision: fc.constantFrom('approve', 'revise', 'do-not-publish'), publishAt: instants, reason: words }, ['decision']),
  },
  'POST /cases/{caseId}/messages': {
    schema: CoordinatorMessageBodySchema,
    phase: 'embargo',
    example: { to: 'everyone', body: 'an update for everyone' },
    valid: opt(
      {
        to: fc.oneof(fc.constantFrom('reporter', 'vendors', 'everyone', 'internal'), fc.constant({ vendorIds: ['vendor-1'] })),
        body: lines,
      },
      ['to', 'body'],
    ),
  },
  'POST /cases/{caseId}/close': {
    schema: CloseBodySchema,
    phase: 'embargo',
    example: { reason: 'withdrawn by the reporter' },
    valid: opt({ reason: words, closure: fc.constantFrom('withdrawn', 'other') }, ['reason']),
  },
  'POST /directory/vendors': {
    schema: DirectoryVendorBodySchema,
    phase: 'embargo',
    example: { name: 'Globex', aliases: ['GBX'], contacts: [{ email: 'psirt@globex.example' }] },
    valid: opt(
      {
        name: vendorNames,
        aliases: fc.array(vendorNames, { maxLength: 2 }),
        contacts: fc.array(fc.record({ email: emails }), { maxLength: 2 }),
        isCna: fc.boolean(),
        advisoryUrl: fc.constantFrom('https://acme.example/advisories', 'https://acme.example/a?b=<c>'),
      },
      ['name'],
    ),
  },
  'PUT /directory/vendors/{vendorRef}': {
    schema: DirectoryVendorUpdateSchema,
    phase: 'embargo',
    example: { name: 'Fuzz Org Renamed', aliases: ['FUZZ'], version: 1 },
    valid: opt(
      {
        name: vendorNames,
        aliases: fc.array(vendorNames, { maxLength: 2 }),
        contacts: fc.array(fc.record({ email: emails }), { maxLength: 2 }),
        version: fc.integer({ min: 1, max: 3 }),
      },
      ['name', 'version'],
    ),
  },
  'PUT /cases/{caseId}/priority': {
    schema: PriorityBodySchema,
    phase: 'embargo',
    example: { level: 'high', reason: 'exploited in the wild' },
    valid: fc.record({ level: fc.constantFrom('high', 'medium', 'low', null), reason: words }),
  },
  'PUT /cases/{caseId}/vendor-csaf': {
    schema: VendorCsafBodySchema,
    phase: 'embargo',
    example: { tlp: 'RED' },
    valid: fc.record({ tlp: fc.constantFrom(...VENDOR_CSAF_TLPS) }),
  },
  'POST /vendor/cases/{caseId}/acknowledge': {
    schema: AcknowledgeBodySchema,
    phase: 'embargo',
    example: {},
    valid: fc.constantFrom({}, { note: 'ignored' }),
    optional: true,
  },
  'PUT /vendor/cases/{caseId}/status': {
    schema: VendorStatusBodySchema,
    phase: 'embargo',
    example: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], fixReady: true, statement: 'Fixed in 4.2.2.' },
    valid: opt({
      vulnerabilities: fc.array(fc.record({ id: vulnerabilityIds, status: fc.constantFrom(...VENDOR_STATUSES) }), { maxLength: 2 }),
      fixReady: fc.boolean(),
      fixDeployed: fc.boolean(),
      statement: lines,
      isCna: fc.boolean(),
      cveIds: fc.array(fc.record({ vulnerabilityId: vulnerabilityIds, cveId: cveIds }), { maxLength: 2 }),
      references: fc.uniqueArray(
        fc.record({
          url: fc.constantFrom('https://acme.example/sa/1', 'https://acme.example/releases/4.2.3', 'https://acme.example/p.diff?x=1'),
          summary: words,
          kind: fc.constantFrom(...REFERENCE_KINDS),
        }),
        { maxLength: 3, selector: (r) => r.url },
      ),
    }),
  },
  'POST /vendor/cases/{caseId}/messages': {
    schema: VendorMessageBodySchema,
    phase: 'embargo',
    example: { body: 'we are on it' },
    valid: opt({ kind: fc.constantFrom('comment', 'draft-comment'), body: lines }, ['body']),
  },
  'POST /reports/{caseId}/attachments': fileSpec,
  'POST /cases/{caseId}/attachments': fileSpec,
  'PUT /cases/{caseId}/file-retention': {
    schema: FileRetentionBodySchema,
    phase: 'embargo',
    example: { keep: true },
    valid: fc.record({ keep: fc.boolean() }),
  },
  'POST /vendor/cases/{caseId}/attachments': fileSpec,
};

export interface FuzzRoute {
  method: HttpMethod;
  path: string;
  name: string;
  who: Who;
  params: ParamName[];
  body?: BodySpec;
}

function whoOf(r: ApiRoute): Who {
  if (r.auth === 'public') return 'public';
  if (r.auth === 'coordinator') return 'coordinator';
  return r.path.startsWith('/vendor/') ? 'vendor' : 'reporter';
}

const paramsOf = (path: string): ParamName[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as ParamName);

/**
 * Every route but the public notes and feeds (fuzzed through their own use case), straight from the
 * route table: a new route is fuzzed as soon as it exists, and a mutating one must have BODIES.
 */
export const API_ROUTES: FuzzRoute[] = apiRoutes
  .filter((r) => r.handler !== 'public-notes')
  .map((r) => {
    const name = `${r.method} ${r.path}`;
    const body = BODIES[name];
    return { method: r.method, path: r.path, name, who: whoOf(r), params: paramsOf(r.path), ...(body ? { body } : {}) };
  });

export const PUBLIC_ROUTES = apiRoutes.filter((r) => r.handler === 'public-notes').map((r) => r.path);

// ---- the world ---------------------------------------------------------------------------------

export type FuzzPhase = WorldPhase | 'closed';

/** A case id in the right format that no case has. */
export const UNKNOWN_CASE = 'VU-0000ZZZZ';

/**
 * aWorld, plus ids that only case B has (vendor-3, and one more vulnerability: vul-2 once triage
 * is over), so "an id of the other case" is not also one of case A; 'closed' closes case A.
 */
export async function aFuzzWorld(phase: FuzzPhase): Promise<World> {
  const w = await aWorld(phase === 'closed' ? 'embargo' : phase);
  await execute(
    w.app.deps,
    w.b,
    {
      type: 'add-vendors',
      vendors: [
        { name: 'Umbrella', contacts: [{ email: 'sec@umbrella.example' }] },
        { name: 'Hooli', contacts: [] },
      ],
    },
    COORDINATOR,
  );
  const b = (await w.app.store.load(w.b))!.state;
  await execute(
    w.app.deps,
    w.b,
    {
      type: 'add-vulnerability',
      vulnerability: { title: `Flaw ${b.vulnerabilities.length + 1} of B`, description: 'b', cvss: {}, affected: [] },
    },
    COORDINATOR,
  );
  if (phase === 'closed') await execute(w.app.deps, w.a, { type: 'close-case', reason: 'withdrawn', closure: 'withdrawn' }, COORDINATOR);
  await w.app.directory.create({
    vendorRef: FUZZ_VENDOR_REF,
    name: 'Fuzz Org',
    aliases: [],
    contacts: [{ email: 'psirt@fuzz.example' }],
    isCna: false,
    version: 1,
    createdAt: w.app.clock.now,
    updatedAt: w.app.clock.now,
    updatedBy: 'alice',
  });
  return w;
}

// ---- path parameters, queries, bodies --------------------------------------------------------------

/** Ids no case has: empty-ish, traversal, encoded slashes, lookalikes, unicode, very long. */
export function oddIds(w: World): fc.Arbitrary<string> {
  const a = w.a;
  return fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '.',
      '..',
      '../..',
      `../${a}`,
      `${a}/..`,
      '%2F',
      `${a}%2F..`,
      '%2e%2e',
      'a/b',
      '\\',
      '\u0000',
      `${a}\u0000`,
      `${a} `,
      ` ${a}`,
      `${a}\n`,
      a.toLowerCase(),
      a.replace('VU-', 'VU_'),
      a.replace('V', '\u0412'),
      a.replace('-', '\u2011'),
      `${a}x`,
      a.slice(0, -1),
      'VU-',
      'VU-00000000',
      'VU-NOSUCH00',
      UNKNOWN_CASE,
      'vendor-0',
      'vendor-01',
      'VENDOR-1',
      'vendor-1 ',
      'vul-0',
      'vul-01',
      'VUL-1',
      'vul-1.',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'null',
      'undefined',
      '*',
      'CASE#',
      `CASE#${a}`,
      '\u202Eevil',
      '🦀',
      'ﬀ',
      '%00',
      '{caseId}',
    ),
    // Longer than any id, and than any key DynamoDB accepts (2048 bytes; the emoji are 4 bytes each).
    fc.constantFrom('x'.repeat(300), 'x'.repeat(3000), `${a}${'x'.repeat(2100)}`, '\u{1F600}'.repeat(600)),
    fc.string({ maxLength: 24, unit: 'grapheme' }),
  );
}

/** Path parameters: mostly case A's, sometimes ids that only case B has, often odd. */
export function paramsArb(w: World, names: readonly ParamName[]): fc.Arbitrary<Params> {
  const onA: Record<ParamName, fc.Arbitrary<string>> = {
    caseId: fc.constant(w.a),
    vendorId: fc.constantFrom('vendor-1', 'vendor-2'),
    vulnerabilityId: fc.constant('vul-1'),
    // The fuzzed world holds no file: every id is unknown.
    attachmentId: fc.constant('00000000-0000-4000-8000-000000000000'),
    vendorRef: fc.constant(FUZZ_VENDOR_REF),
  };
  const onlyOnB: Record<ParamName, fc.Arbitrary<string>> = {
    caseId: fc.constant(w.b),
    vendorId: fc.constant('vendor-3'),
    vulnerabilityId: fc.constant('vul-2'),
    attachmentId: fc.constant('11111111-1111-4111-8111-111111111111'),
    vendorRef: fc.constant(UNKNOWN_VENDOR_REF),
  };
  const one = (n: ParamName) =>
    fc.oneof({ weight: 4, arbitrary: onA[n] }, { weight: 1, arbitrary: onlyOnB[n] }, { weight: 2, arbitrary: oddIds(w) });
  return fc.record(Object.fromEntries(names.map((n) => [n, one(n)])) as Record<ParamName, fc.Arbitrary<string>>) as fc.Arbitrary<Params>;
}

/** The parameters of case A's example request (a case, vendor and vulnerability that all exist). */
export function paramsOfA(w: World, names: readonly ParamName[]): Params {
  const all: Params = {
    caseId: w.a,
    vendorId: w.vendorIds.acme,
    vulnerabilityId: 'vul-1',
    attachmentId: '00000000-0000-4000-8000-000000000000',
    vendorRef: FUZZ_VENDOR_REF,
  };
  return Object.fromEntries(names.map((n) => [n, all[n]]));
}

const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''];
const NASTY_STRINGS = [
  '',
  ' ',
  '<script>alert(1)</script>',
  '\u0000',
  '\ud800',
  'x'.repeat(70_000),
  '2027-01-15T12:00:00Z',
  'not-a-date',
  'CVE-2026-1234',
  'a@b',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the Log4Shell probe is this literal text
  '${jndi:ldap://x}',
];

/** Hostile bodies: a raw string, any JSON, or an object of the schema's fields with odd values. */
export function hostileBodies(schema: Schema): fc.Arbitrary<string> {
  const fields = Object.keys(schema.shape ?? {});
  const key = fc.oneof(fc.constantFrom(...fields, ...NASTY_KEYS), fc.string({ maxLength: 12 }));
  const leaf = fc.oneof(
    fc.constantFrom(...NASTY_STRINGS),
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.oneof({ depthSize: 'small' }, leaf, fc.array(leaf, { maxLength: 4 }), fc.dictionary(key, leaf, { maxKeys: 4 }));
  return fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.json({ maxDepth: 3 }),
    fc.dictionary(key, value, { maxKeys: fields.length + 2 }).map((o) => JSON.stringify(o)),
  );
}

/** Half hostile, half bodies the schema accepts (the ones a wrong caller must be refused for). */
export const bodiesFor = (spec: BodySpec): fc.Arbitrary<string> =>
  fc.oneof(
    hostileBodies(spec.schema),
    spec.valid.map((b) => JSON.stringify(b)),
  );

/** Whether the route takes this raw body (an empty one is no body). */
export const accepted = (spec: BodySpec, raw: string): boolean => {
  if (raw === '') return spec.optional === true;
  try {
    return spec.schema.safeParse(JSON.parse(raw)).success;
  } catch {
    return false;
  }
};

/** Query parameters of the list routes (limit, cursor, phase) and unknown ones, with odd values. */
export function queriesArb(cursors: readonly string[]): fc.Arbitrary<Record<string, string>> {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
  const value = fc.oneof(
    fc.constantFrom(
      ...cursors,
      '0',
      '1',
      '2',
      '50',
      '200',
      '201',
      '-1',
      '1e2',
      '1.5',
      ' 5',
      '0x10',
      '9999999999',
      '99999999999',
      'abc',
      '',
      'x'.repeat(3000),
      'triage',
      'embargo',
      'draft-review',
      'closed',
      'TRIAGE',
      '__proto__',
      'toString',
      'm.',
      'm.e30',
      `m.${b64(null)}`,
      `m.${b64([])}`,
      `m.${b64({ triage: 1 })}`,
      `m.${b64({ embargo: 'garbage' })}`,
      `m.${Buffer.from('{"__proto__":"x","constructor":null}').toString('base64url')}`,
      Buffer.from('~#VU-0000ZZZZ').toString('base64url'),
      Buffer.from('2026-11-01T09:00:00.000Z#').toString('base64url'),
    ),
    // Cursors of the right shape whose keys are longer than DynamoDB takes (a sort key: 1024 bytes).
    fc
      .constantFrom(`~#${'x'.repeat(1100)}`, `~#${'x'.repeat(3000)}`, `${'9'.repeat(1100)}#VU-0000ZZZZ`, `~#${'\u{1F600}'.repeat(300)}`)
      .chain((key) => {
        const cursor = Buffer.from(key, 'utf8').toString('base64url');
        return fc.constantFrom(cursor, `m.${b64({ embargo: cursor })}`);
      }),
    fc.string({ maxLength: 30 }),
  );
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('limit', 'cursor', 'phase') },
    { weight: 1, arbitrary: fc.constantFrom('foo', '__proto__', 'constructor', '', 'Limit', 'limit[]') },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );
  // Built by hand, so that a __proto__ key is a parameter of its own, as API Gateway would pass it.
  return fc.array(fc.tuple(key, value), { maxLength: 4 }).map((pairs) => {
    const q: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of pairs) Object.defineProperty(q, k, { value: v, enumerable: true, writable: true, configurable: true });
    return q;
  });
}

// ---- the oracle --------------------------------------------------------------------------------

/**
 * outsider: the caller holds nothing that opens this route on this case (wrong role, another
 * case's token, no token): 401, 403 or 404, whatever else the request says.
 * unknown: a caller who may use the route, with a case, vendor or vulnerability the case lacks: 4xx.
 * allowed: the state and the body decide.
 */
export type Verdict = 'outsider' | 'unknown' | 'allowed';

export async function verdictOf(w: World, route: FuzzRoute, caller: FuzzCaller, params: Params): Promise<Verdict> {
  if (route.who === 'public') return 'allowed';
  if (ROLE[caller] !== route.who) return 'outsider';
  if (route.params.length === 0) return 'allowed';
  if (params.vendorRef !== undefined) return params.vendorRef === FUZZ_VENDOR_REF ? 'allowed' : 'unknown';
  const caseId = params.caseId ?? '';
  if (caller !== 'coordinator' && !homeCases(w, caller).includes(caseId)) return 'outsider';
  // Only the world's two cases exist (and an odd id may not even fit a table key).
  const loaded = caseId === w.a || caseId === w.b ? await w.app.store.load(caseId) : null;
  if (!loaded) return 'unknown';
  const s = loaded.state;
  if (params.vendorId !== undefined && !s.vendors.some((v) => v.vendorId === params.vendorId)) return 'unknown';
  if (params.vulnerabilityId !== undefined && !s.vulnerabilities.some((v) => v.vulnerabilityId === params.vulnerabilityId))
    return 'unknown';
  if (params.attachmentId !== undefined) return 'unknown';
  return 'allowed';
}

/** The caller may not see this real case: its answer must be the one for a case that does not exist. */
export const mustLookUnknown = (w: World, verdict: Verdict, params: Params) =>
  verdict === 'outsider' && (params.caseId === w.a || params.caseId === w.b);

/** Primary callers: those a route is for, on case A (the example request is theirs). */
export function isPrimary(route: FuzzRoute, caller: FuzzCaller): boolean {
  if (route.who === 'public') return true;
  if (route.who === 'coordinator') return caller === 'coordinator';
  if (route.who === 'reporter') return caller === 'reporterOfCase';
  return caller === 'vendorOfCase' || caller === 'otherVendorOnCase';
}

/** Long strings cut down for a failure message. */
export const short = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 200)}…(${s.length} chars)` : s;
};
