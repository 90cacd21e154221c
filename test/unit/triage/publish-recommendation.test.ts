// SSVC Coordinator Publish beside the publication decision: the table's outcome for inputs read off
// the case, each with its evidence, shown to coordinators only; the coordinator still decides.
import { describe, expect, it } from 'vitest';
import { reporterView, vendorView } from '../../../functions/app/api/views.js';
import {
  COORDINATOR_PUBLISH_ROWS,
  type Exploitation,
  type PublicValueAdded,
  type SupplierInvolvement,
  lookupPublishOutcome,
} from '../../../functions/domain/triage/index.js';
import { type PublishFacts, publishRecommendation } from '../../../functions/domain/triage/publish-recommendation.js';
import { CoordinatorCaseViewSchema } from '../../../functions/app/api/response-schemas.js';
import { aWorld } from '../../builders/api-world.js';
import { COORDINATOR_CALLER, call } from '../../builders/http.js';
import { aCase, vendorActor } from '../../builders/case.js';

const vendor = (over: Partial<PublishFacts['vendors'][number]> = {}): PublishFacts['vendors'][number] => ({
  name: 'Acme',
  acknowledgedAt: '2026-11-02T00:00:00Z',
  unresponsiveAt: null,
  flags: { f: false },
  statuses: { 'vul-1': 'affected' },
  ...over,
});
const facts = (vendors: PublishFacts['vendors'], flags = { p: false, x: false, a: false }): PublishFacts => ({ flags, vendors });

describe('the SSVC publish recommendation', () => {
  it('reads supplier involvement, exploitation and public value added off the case, and looks the outcome up in the table', () => {
    const cases: [PublishFacts, SupplierInvolvement, Exploitation, PublicValueAdded][] = [
      [facts([vendor({ flags: { f: true } })]), 'fix ready', 'none', 'precedence'],
      [facts([vendor()]), 'cooperative', 'none', 'precedence'],
      [
        facts([vendor({ acknowledgedAt: null, unresponsiveAt: '2026-11-29T00:00:00Z' })]),
        'uncooperative/unresponsive',
        'none',
        'precedence',
      ],
      [facts([vendor()], { p: true, x: true, a: false }), 'cooperative', 'public poc', 'ampliative'],
      [facts([vendor()], { p: true, x: true, a: true }), 'cooperative', 'active', 'ampliative'],
    ];
    for (const [f, si, ex, pva] of cases) {
      const r = publishRecommendation(f);
      expect([r.inputs.supplierInvolvement.value, r.inputs.exploitation.value, r.inputs.publicValueAdded.value]).toEqual([si, ex, pva]);
      expect(r.outcome).toBe(lookupPublishOutcome({ supplierInvolvement: si, exploitation: ex, publicValueAdded: pva }));
      for (const x of Object.values(r.inputs)) expect(x.evidence.length).toBeGreaterThan(0);
    }
    expect(publishRecommendation(facts([])).table).toBe('SSVC Coordinator Publish 1.0.0');
    expect(COORDINATOR_PUBLISH_ROWS.length).toBe(27);
  });

  it('leaves vendors that are not affected out of supplier involvement', () => {
    const r = publishRecommendation(
      facts([vendor({ flags: { f: true } }), vendor({ acknowledgedAt: null, statuses: { 'vul-1': 'not-affected' } })]),
    );
    expect(r.inputs.supplierInvolvement.value).toBe('fix ready');
  });

  it('is in the coordinator view beside the publication decision, and in no participant’s view', async () => {
    const w = await aWorld('draft-review');
    const v = CoordinatorCaseViewSchema.parse(
      (await call(w.app.deps, 'GET', '/cases/{caseId}', { params: { caseId: w.a }, caller: COORDINATOR_CALLER })).body,
    );
    expect(['publish', 'do not publish']).toContain(v.publication.recommendation.outcome);
    expect(Object.keys(v.publication.recommendation.inputs)).toEqual(['supplierInvolvement', 'exploitation', 'publicValueAdded']);
    const c = aCase().drafted();
    c.run({ type: 'acknowledge' }, vendorActor('vendor-1'));
    const seen = JSON.stringify([reporterView(c.state), vendorView(c.state, 'vendor-1')]);
    expect(seen).not.toMatch(/recommendation"|supplierInvolvement|Coordinator Publish/);
  });
});
