// The case store with the real domain fold on dynalite: a whole case lifecycle through the
// workflow use cases, then the snapshot must equal the fold of the log, and the queue must
// order cases by their next deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-event-store.js';
import { execute } from '../../functions/app/commands.js';
import { caseProjection } from '../../functions/app/deps.js';
import { submit } from '../../functions/app/inbox.js';
import { preScreen } from '../../functions/app/prescreen.js';
import * as wf from '../../functions/app/workflow.js';
import * as pub from '../../functions/app/publication-steps.js';
import { type CaseEvent, type CaseState, DEFAULT_POLICY, fold } from '../../functions/domain/index.js';
import type { QueueFacts } from '../../functions/domain/queue-entry.js';
import { type TestApp, aTestApp } from '../builders/app.js';
import { COORDINATOR, REPORTER, aReport } from '../builders/case.js';
import { COORDINATOR_CALLER, call } from '../builders/http.js';
import { type LocalDynamo, startDynalite } from './dynalite.js';

let db: LocalDynamo;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => db?.close());

async function appOnDynamo(): Promise<TestApp> {
  const app = aTestApp();
  const store = new DynamoDbCaseStore<CaseState, CaseEvent, QueueFacts>({
    client: db.client,
    tableName: await db.createTable(),
    projection: caseProjection(DEFAULT_POLICY),
  });
  app.deps.store = store;
  return app;
}

describe('the case store on DynamoDB with the domain fold', () => {
  it('keeps the snapshot equal to the fold of the log through a whole lifecycle', async () => {
    const app = await appOnDynamo();
    const id = 'VU-DDB001';
    await execute(app.deps, id, { type: 'submit-report', caseId: id, report: aReport() }, REPORTER);
    await wf.registerCase(app.deps, { caseId: id });
    await preScreen(app.deps, { caseId: id });
    await submit(app.deps, id, { type: 'decide-triage', decision: 'accept', comment: 'coordinate' }, COORDINATOR);
    await wf.advance(app.deps, { caseId: id });
    await submit(app.deps, id, { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] }, COORDINATOR);
    await wf.advance(app.deps, { caseId: id });
    await wf.notifyVendor(app.deps, { caseId: id, vendorId: 'vendor-1' });
    await wf.openEmbargo(app.deps, { caseId: id });
    app.clock.set('2026-12-02T12:00:00.000Z');
    await wf.advance(app.deps, { caseId: id });
    await wf.draftNote(app.deps, { caseId: id });
    await wf.shareDraft(app.deps, { caseId: id });
    await submit(app.deps, id, { type: 'decide-publication', decision: 'approve' }, COORDINATOR);
    app.clock.set('2026-12-16T12:00:00.000Z');
    await wf.advance(app.deps, { caseId: id });
    await pub.publishNote(app.deps, { caseId: id });

    const loaded = await app.deps.store.load(id);
    const log = await app.deps.store.readEvents(id, { limit: 1000 });
    expect(loaded?.state.phase).toBe('published');
    expect(log.events.map((e) => e.seq)).toEqual(log.events.map((_, i) => i + 1));
    expect(loaded?.state).toEqual(fold(id, log.events));
  });

  it('lists the triage queue by next deadline, the most overdue first', async () => {
    const app = await appOnDynamo();
    for (const [id, at] of [
      ['VU-Q2', '2026-11-02T09:00:00.000Z'],
      ['VU-Q1', '2026-11-01T09:00:00.000Z'],
      ['VU-Q3', '2026-11-03T09:00:00.000Z'],
    ] as const) {
      app.clock.set(at);
      await execute(app.deps, id, { type: 'submit-report', caseId: id, report: aReport() }, REPORTER);
      await wf.registerCase(app.deps, { caseId: id });
    }
    const page = await app.deps.store.queue('triage');
    expect(page.items.map((i) => [i.caseId, i.nextDeadlineAt])).toEqual([
      ['VU-Q1', '2026-11-03T09:00:00.000Z'],
      ['VU-Q2', '2026-11-04T09:00:00.000Z'],
      ['VU-Q3', '2026-11-05T09:00:00.000Z'],
    ]);
  });

  it('answers coordinators a case id or a queue cursor too long for a table key with a 4xx, not a DynamoDB error', async () => {
    const app = await appOnDynamo();
    const long = 'x'.repeat(3000);
    const asCoordinator = { caller: COORDINATOR_CALLER };
    const cursor = (sortKey: string) => Buffer.from(sortKey, 'utf8').toString('base64url');

    expect((await call(app.deps, 'GET', '/cases/{caseId}', { ...asCoordinator, params: { caseId: long } })).status).toBe(404);
    expect((await call(app.deps, 'GET', '/cases/{caseId}/events', { ...asCoordinator, params: { caseId: long } })).status).toBe(404);
    expect(
      (
        await call(app.deps, 'POST', '/cases/{caseId}/signals', {
          ...asCoordinator,
          params: { caseId: long },
          body: { kind: 'public', evidence: 'x' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await call(app.deps, 'GET', '/cases', { ...asCoordinator, query: { phase: 'triage', cursor: cursor(`~#${long}`) } })).status,
    ).toBe(400);
    const merged = `m.${Buffer.from(JSON.stringify({ triage: cursor(`~#${long}`) })).toString('base64url')}`;
    expect((await call(app.deps, 'GET', '/cases', { ...asCoordinator, query: { cursor: merged } })).status).toBe(400);
  });
});
