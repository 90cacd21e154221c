// The coordinator queue lists cases from the facts their summary items hold, not from the cases:
// the row must be the one the whole case gives, whatever the priority's inputs, and the facts must
// carry none of a report's own words beyond its title (the index copies them at every write).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type CaseState, emptyCase } from '../../functions/domain/index.js';
import { priorityOf } from '../../functions/domain/priority.js';
import { queueFacts, queueRow } from '../../functions/domain/queue-entry.js';
import { aWorld } from '../builders/api-world.js';
import { call } from '../builders/http.js';

const caseWith = (p: {
  v2: { base: number; environmental?: number } | null;
  outcome: string | null;
  poc: string | null;
  patch: string;
  override: 'high' | 'medium' | 'low' | null;
}): CaseState => {
  const s = emptyCase('VU-1');
  const base = { ...s.report, title: 'A bug' } as unknown as NonNullable<CaseState['report']>;
  return {
    ...s,
    report: p.poc === null ? null : { ...base, evidence: { proofOfConcept: p.poc, patch: p.patch } },
    prescreen:
      p.outcome === null
        ? null
        : ({
            at: '2026-11-01T09:00:00Z',
            scores: p.v2 ? { v2: { vector: 'AV:N', ...p.v2 } } : {},
            scoreErrors: [],
            triage: { ssvcOutcome: p.outcome, recommendation: 'coordinate' },
          } as unknown as CaseState['prescreen']),
    priorityOverride: p.override ? { level: p.override, reason: 'r', by: 'c', at: '2026-11-01T09:00:00Z' } : null,
  };
};

describe('the queue entry', () => {
  it('gives the priority the whole case gives, for any scores, outcome, evidence and override', () => {
    fc.assert(
      fc.property(
        fc.record({
          v2: fc.option(
            fc.record({
              base: fc.double({ min: 0, max: 10, noNaN: true }),
              environmental: fc.option(fc.double({ min: 0, max: 10, noNaN: true }), { nil: undefined }),
            }),
            { nil: null },
          ),
          outcome: fc.option(fc.constantFrom('coordinate', 'decline', 'track'), { nil: null }),
          poc: fc.option(fc.constantFrom('', '   ', '\n', 'curl http://host/x'), { nil: null }),
          patch: fc.constantFrom('', ' ', 'diff --git a b'),
          override: fc.option(fc.constantFrom('high' as const, 'medium' as const, 'low' as const), { nil: null }),
        }),
        (p) => {
          const s = caseWith(p);
          const row = queueRow(JSON.parse(JSON.stringify(queueFacts(s, DEFAULT_POLICY))), DEFAULT_POLICY);
          expect(row.priority).toBe(priorityOf(s, DEFAULT_POLICY).level);
          expect(row.prioritySource).toBe(p.override ? 'override' : 'computed');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps no proof of concept or patch text in what the index copies', () => {
    const s = caseWith({ v2: null, outcome: 'coordinate', poc: 'SECRET-EXPLOIT-STEPS', patch: 'SECRET-PATCH-DIFF', override: null });
    const facts = JSON.stringify(queueFacts(s, DEFAULT_POLICY));
    expect(facts).not.toContain('SECRET-EXPLOIT-STEPS');
    expect(facts).not.toContain('SECRET-PATCH-DIFF');
  });

  it('lists through GET /cases the row the whole case gives', async () => {
    const w = await aWorld();
    const r = await call(w.app.deps, 'GET', '/cases', { caller: w.callers.coordinator, query: { phase: 'embargo' } });
    expect(r.status, r.raw).toBe(200);
    const items = (r.body as { items: { caseId: string }[] }).items;
    for (const id of [w.a, w.b]) {
      const s = (await w.app.store.load(id))!.state;
      expect(items.find((i) => i.caseId === id)).toEqual(queueRow(queueFacts(s, w.app.deps.policy), w.app.deps.policy));
    }
  });
});
