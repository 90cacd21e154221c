// Every case's priority (the seed: CVSS v2 Environmental sets priorities; no proof of concept or
// patch is low priority; the SSVC outcome moves it a step), in the views, the queue's filter and
// sort, and the coordinators' override with a reason: only coordinators may set it.
import { describe, expect, it } from 'vitest';
import { CoordinatorCaseViewSchema, QueuePageSchema } from '../../functions/app/api/response-schemas.js';
import { DEFAULT_POLICY, DomainError, decide } from '../../functions/domain/index.js';
import { type PriorityFacts, priorityOf } from '../../functions/domain/priority.js';
import { type TestApp, aTestApp } from '../builders/app.js';
import { COORDINATOR, REPORTER, aCase, aReportInput, vendorActor } from '../builders/case.js';
import { COORDINATOR_CALLER, bearer, call } from '../builders/http.js';

const facts = (v2: { base: number; environmental?: number } | null, outcome: string | null, poc: string, patch = ''): PriorityFacts => ({
  prescreen: outcome === null ? null : { scores: v2 ? { v2 } : {}, triage: { ssvcOutcome: outcome } },
  report: { evidence: { proofOfConcept: poc, patch } },
  priorityOverride: null,
});

describe('the computed priority', () => {
  it('follows the v2 Environmental score, one step up for an SSVC coordinate, one down for decline', () => {
    expect(priorityOf(facts({ base: 7.5, environmental: 8.8 }, 'track', 'poc'), DEFAULT_POLICY).computed).toBe('high');
    expect(priorityOf(facts({ base: 7.5, environmental: 5 }, 'track', 'poc'), DEFAULT_POLICY).computed).toBe('medium');
    expect(priorityOf(facts({ base: 7.5, environmental: 5 }, 'coordinate', 'poc'), DEFAULT_POLICY).computed).toBe('high');
    expect(priorityOf(facts({ base: 7.5, environmental: 5 }, 'decline', 'poc'), DEFAULT_POLICY).computed).toBe('low');
    expect(priorityOf(facts({ base: 3.0 }, 'track', 'poc'), DEFAULT_POLICY).computed).toBe('low');
    expect(priorityOf(facts(null, null, 'poc'), DEFAULT_POLICY).computed).toBe('medium');
  });

  it('is low without a proof of concept or a patch, whatever the score (the seed), and says why', () => {
    const p = priorityOf(facts({ base: 10, environmental: 10 }, 'coordinate', ''), DEFAULT_POLICY);
    expect(p.level).toBe('low');
    expect(p.why.at(-1)).toBe('no proof of concept and no patch: low');
    expect(priorityOf(facts({ base: 10 }, 'coordinate', '', 'diff --git'), DEFAULT_POLICY).level).toBe('high');
  });
});

describe('the override', () => {
  it('is a coordinator’s, with a reason, and can be withdrawn', () => {
    const c = aCase().prescreened();
    expect(() => c.run({ type: 'set-priority', level: 'high', reason: '  ' }, COORDINATOR)).toThrow(/needs a reason/);
    c.run({ type: 'set-priority', level: 'high', reason: 'hospital deployments' }, COORDINATOR);
    expect(priorityOf(c.state, DEFAULT_POLICY)).toMatchObject({
      level: 'high',
      source: 'override',
      override: { reason: 'hospital deployments' },
    });
    c.run({ type: 'set-priority', level: null, reason: 'back to the rules' }, COORDINATOR);
    expect(priorityOf(c.state, DEFAULT_POLICY).source).toBe('computed');
  });

  it('hostile participants: a reporter or a vendor cannot set the priority of their own case', () => {
    const c = aCase().embargoed();
    for (const actor of [REPORTER, vendorActor('vendor-1')]) {
      const run = () =>
        decide(c.state, { type: 'set-priority', level: 'high', reason: 'urgent!!!' }, { now: c.now, actor, policy: DEFAULT_POLICY });
      expect(run).toThrow(DomainError);
      expect(run).toThrow(/may not set priority/);
    }
    expect(c.state.priorityOverride).toBeNull();
  });

  it('is refused on a finished case', () => {
    const c = aCase().published();
    expect(() => c.run({ type: 'set-priority', level: 'low', reason: 'r' }, COORDINATOR)).toThrow(/finished case/);
  });
});

describe('the queue by priority', () => {
  async function threeCases(app: TestApp) {
    const ids: string[] = [];
    for (const evidence of [
      { proofOfConcept: '', patch: '' },
      { proofOfConcept: 'poc', patch: '' },
      { proofOfConcept: 'poc', patch: '' },
    ]) {
      const r = await call(app.deps, 'POST', '/reports', { body: { ...aReportInput(), evidence } });
      ids.push((r.body as { caseId: string }).caseId);
    }
    const [low, medium, high] = ids as [string, string, string];
    const put = await call(app.deps, 'PUT', '/cases/{caseId}/priority', {
      params: { caseId: high },
      caller: COORDINATOR_CALLER,
      body: { level: 'high', reason: 'widely deployed <b>firmware</b>' },
    });
    expect(put.status).toBe(202);
    return { low, medium, high };
  }
  const queue = async (app: TestApp, q: Record<string, string>) =>
    QueuePageSchema.parse((await call(app.deps, 'GET', '/cases', { caller: COORDINATOR_CALLER, query: q })).body);

  it('shows each case’s priority, filters by it, and sorts high, medium, low across pages', async () => {
    const app = aTestApp();
    const { low, medium, high } = await threeCases(app);
    const all = await queue(app, {});
    expect(Object.fromEntries(all.items.map((i) => [i.caseId, i.priority]))).toEqual({ [low]: 'low', [medium]: 'medium', [high]: 'high' });
    expect(all.items.find((i) => i.caseId === high)?.prioritySource).toBe('override');
    expect((await queue(app, { priority: 'low' })).items.map((i) => i.caseId)).toEqual([low]);
    const order: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await queue(app, { sort: 'priority', limit: '1', ...(cursor ? { cursor } : {}) });
      order.push(...page.items.map((x) => x.caseId));
      cursor = page.cursor;
      if (!cursor) break;
    }
    expect(order).toEqual([high, medium, low]);
  });

  it('shows the computed level, the override and its reason, as data, in the coordinator view', async () => {
    const app = aTestApp();
    const { high } = await threeCases(app);
    const v = CoordinatorCaseViewSchema.parse(
      (await call(app.deps, 'GET', '/cases/{caseId}', { params: { caseId: high }, caller: COORDINATOR_CALLER })).body,
    );
    expect(v.priority).toMatchObject({
      level: 'high',
      computed: 'medium',
      source: 'override',
      override: { reason: 'widely deployed <b>firmware</b>' },
    });
  });

  it('refuses an unknown priority or sort, and a reporter’s override over HTTP', async () => {
    const app = aTestApp();
    expect((await call(app.deps, 'GET', '/cases', { caller: COORDINATOR_CALLER, query: { priority: 'urgent' } })).status).toBe(400);
    expect((await call(app.deps, 'GET', '/cases', { caller: COORDINATOR_CALLER, query: { sort: 'title' } })).status).toBe(400);
    const r = await call(app.deps, 'POST', '/reports', { body: aReportInput() });
    const { caseId, reporterToken } = r.body as { caseId: string; reporterToken: string };
    const attempt = await call(app.deps, 'PUT', '/cases/{caseId}/priority', {
      params: { caseId },
      caller: bearer(reporterToken),
      body: { level: 'high', reason: 'mine first' },
    });
    expect([401, 403]).toContain(attempt.status);
  });
});
