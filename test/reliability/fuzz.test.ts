// Fuzzing every mutating route through its API handler (test/builders/http.ts) with fast-check
// bodies: raw text, arbitrary JSON, and objects built from the route's own field names with wrong
// values (plus __proto__ and friends). A body the route's schema refuses gets a 4xx; nothing ever
// gets a 5xx; and a refused request writes nothing: no store write is even attempted, and the
// cases, signals, e-mails and tokens are exactly as before. Bounded: RUNS bodies per route.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HttpMethod } from '../../lib/api-routes.js';
import { ReportSchema } from '../../functions/domain/report.js';
import {
  AcknowledgeBodySchema,
  CloseBodySchema,
  DraftBodySchema,
  EmbargoBodySchema,
  PublicationBodySchema,
  ReporterMessageBodySchema,
  SignalBodySchema,
  TriageBodySchema,
  VendorMessageBodySchema,
  VendorStatusBodySchema,
  VendorsBodySchema,
  VulnerabilityBodySchema,
} from '../../functions/app/api/schemas.js';
import { type CallerName, type World, aWorld, snapshot } from '../builders/api-world.js';
import { call } from '../builders/http.js';
import { countingWrites } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);

interface Schema {
  safeParse(v: unknown): { success: boolean };
  shape?: Record<string, unknown>;
}
interface FuzzRoute {
  method: HttpMethod;
  path: string;
  caller: CallerName;
  schema: Schema;
}

const ROUTES: FuzzRoute[] = [
  { method: 'POST', path: '/reports', caller: 'anonymous', schema: ReportSchema },
  { method: 'POST', path: '/reports/{caseId}/messages', caller: 'reporterOfCase', schema: ReporterMessageBodySchema },
  { method: 'POST', path: '/cases/{caseId}/triage', caller: 'coordinator', schema: TriageBodySchema },
  { method: 'POST', path: '/cases/{caseId}/vendors', caller: 'coordinator', schema: VendorsBodySchema },
  { method: 'POST', path: '/cases/{caseId}/vulnerabilities', caller: 'coordinator', schema: VulnerabilityBodySchema },
  { method: 'PUT', path: '/cases/{caseId}/embargo', caller: 'coordinator', schema: EmbargoBodySchema },
  { method: 'POST', path: '/cases/{caseId}/signals', caller: 'coordinator', schema: SignalBodySchema },
  { method: 'PUT', path: '/cases/{caseId}/draft', caller: 'coordinator', schema: DraftBodySchema },
  { method: 'POST', path: '/cases/{caseId}/publication', caller: 'coordinator', schema: PublicationBodySchema },
  { method: 'POST', path: '/cases/{caseId}/close', caller: 'coordinator', schema: CloseBodySchema },
  { method: 'POST', path: '/vendor/cases/{caseId}/acknowledge', caller: 'vendorOfCase', schema: AcknowledgeBodySchema },
  { method: 'PUT', path: '/vendor/cases/{caseId}/status', caller: 'vendorOfCase', schema: VendorStatusBodySchema },
  { method: 'POST', path: '/vendor/cases/{caseId}/messages', caller: 'vendorOfCase', schema: VendorMessageBodySchema },
];

const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''];
const NASTY_STRINGS = ['', ' ', '<script>alert(1)</script>', '\u0000', '\ud800', 'x'.repeat(70_000), '2027-01-15T12:00:00Z', 'not-a-date', 'CVE-2026-1234', 'a@b', '${jndi:ldap://x}'];

/** A body for a route: a raw string, any JSON, or an object of the route's fields with odd values. */
function bodies(route: FuzzRoute): fc.Arbitrary<string> {
  const fields = Object.keys(route.schema.shape ?? {});
  const key = fc.oneof(fc.constantFrom(...fields, ...NASTY_KEYS), fc.string({ maxLength: 12 }));
  const leaf = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
  const value = fc.oneof({ depthSize: 'small' }, leaf, fc.array(leaf, { maxLength: 4 }), fc.dictionary(key, leaf, { maxKeys: 4 }));
  return fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.json({ maxDepth: 3 }),
    fc.dictionary(key, value, { maxKeys: fields.length + 2 }).map((o) => JSON.stringify(o)),
  );
}

const accepted = (schema: Schema, raw: string) => {
  try {
    return schema.safeParse(JSON.parse(raw)).success;
  } catch {
    return false;
  }
};

let w: World;
beforeAll(async () => {
  w = await aWorld('embargo');
});

describe('reliability: fuzzing the mutating routes', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(`scenario: ${RUNS} fast-check bodies to %s: only 4xx for what the schema refuses, never 5xx, nothing written`, async (_name, route) => {
    const counted = countingWrites(w.app.store);
    const deps = { ...w.app.deps, store: counted.store };
    const seen = { refused: 0, passed: 0 };
    await fc.assert(
      fc.asyncProperty(bodies(route), async (raw) => {
        const before = await snapshot(w.app, [w.a, w.b]);
        const writes = counted.writes.length;
        const r = await call(deps, route.method, route.path, { params: { caseId: w.a }, caller: w.callers[route.caller], body: raw });
        expect(r.status, r.raw).toBeLessThan(500);
        if (!accepted(route.schema, raw)) expect(r.status, r.raw).toBeGreaterThanOrEqual(400);
        if (r.status >= 400) {
          seen.refused++;
          expect(r.headers['content-type']).toBe('application/problem+json');
          expect(counted.writes.slice(writes)).toEqual([]);
          expect(await snapshot(w.app, [w.a, w.b])).toEqual(before);
        } else seen.passed++;
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261101) },
    );
    expect(seen.refused).toBeGreaterThan(0);
  });
});
