// An update of a published note on the synthesized state machine (aws-local-stepfunctions): the
// approval starts the update's own execution, which goes LocateCase → ResumeRouter → PublishNote →
// PublishCveRecords → NotifyPublished; a step that fails once is retried; a step that blocks parks
// the update in the blocked loop until a coordinator approves again, and nothing is published twice.
import { beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../functions/adapters/errors.js';
import { execute } from '../../functions/app/commands.js';
import { submit } from '../../functions/app/inbox.js';
import { PublicationBlocked } from '../../functions/domain/publication/validate.js';
import { State } from '../../lib/workflow-states.js';
import { COORDINATOR, REPORTER, aReport, vendorActor } from '../builders/case.js';
import { COORDINATOR_CALLER, call } from '../builders/http.js';
import { type WorkflowHarness, aWorkflowHarness, synthesizedWorkflow } from '../builders/workflow-harness.js';

const CASE = 'VU-WF0016';
const UPDATE = `${CASE}-note-2`;

beforeAll(() => {
  synthesizedWorkflow();
}, 120_000);

/** Through the workflow to publication: accepted, Acme told and answering, approved, the date reached. */
async function published(h: WorkflowHarness) {
  await execute(h.deps, CASE, { type: 'submit-report', caseId: CASE, report: aReport() }, REPORTER);
  h.engine.start(CASE, { caseId: CASE });
  await h.settle();
  await submit(h.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'ok' }, COORDINATOR);
  await h.settle();
  await submit(h.deps, CASE, { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] }, COORDINATOR);
  await h.settle();
  await submit(
    h.deps,
    CASE,
    { type: 'update-vendor-status', statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }], statement: 'Soon.' },
    vendorActor('vendor-1'),
  );
  await h.advanceTo('2026-12-02T12:00:00.000Z');
  await submit(h.deps, CASE, { type: 'decide-publication', decision: 'approve' }, COORDINATOR);
  await h.advanceTo('2026-12-16T12:00:00.000Z');
  expect((await h.store.load(CASE))!.state.phase).toBe('published');
}

const approveUpdate = (h: WorkflowHarness, body: unknown) =>
  call(h.deps, 'POST', '/cases/{caseId}/publication', { params: { caseId: CASE }, caller: COORDINATOR_CALLER, body });
const editDraft = (h: WorkflowHarness, markdown: string) =>
  call(h.deps, 'PUT', '/cases/{caseId}/draft', { params: { caseId: CASE }, caller: COORDINATOR_CALLER, body: { markdown } });
const updateMails = (h: WorkflowHarness) => h.mailer.sent.filter((m) => m.tags?.template === 'note-updated').map((m) => m.to[0]);

describe('an update of a published note, on the state machine', () => {
  it('runs in an execution of its own; a note write that fails once is retried, and the update goes out once', async () => {
    let failures = 1;
    const h = aWorkflowHarness({
      failStep: (handler) => {
        if (handler !== 'publish-note' || !h.engine.executions.has(UPDATE) || failures <= 0) return undefined;
        failures -= 1;
        return new TransientError('the note store is throttled');
      },
    });
    await published(h);
    await h.advanceTo('2026-12-20T12:00:00.000Z');
    expect((await editDraft(h, '# Note\n\nVersion 4.2.3 fixes it.')).status).toBe(202);
    const r = await approveUpdate(h, { decision: 'approve', changeSummary: 'A fix is out.' });
    expect(r.status, r.raw).toBe(202);
    await new Promise((done) => setTimeout(done, 200));
    await h.settle();
    const run = h.engine.executions.get(UPDATE)!;
    expect(run.status).toBe('SUCCEEDED');
    expect(run.history).toEqual([
      State.LocateCase,
      State.ResumeRouter,
      State.PublishNote,
      State.PublishCveRecords,
      State.NotifyPublished,
      State.Published,
    ]);
    expect(failures).toBe(0);
    const note = (await h.notes.get(CASE))!;
    expect(note.noteRevision).toBe(2);
    expect(note.csaf.document.tracking.revision_history.map((x) => x.summary)).toEqual(['Initial public release.', 'A fix is out.']);
    expect(updateMails(h).sort()).toEqual(['ada@example.org', 'coord@cert.example', 'psirt@acme.example']);
    const { state } = (await h.store.load(CASE))!;
    expect(state.published?.releasedRevision).toBe(2);
    // The same approval again starts nothing and publishes nothing twice.
    expect((await approveUpdate(h, { decision: 'approve', changeSummary: 'A fix is out.' })).status).toBe(409);
    await h.settle();
    expect(updateMails(h)).toHaveLength(3);
    expect([...h.engine.executions.keys()].filter((k) => k.includes('-note-'))).toEqual([UPDATE]);
  });

  it('parks an update that cannot be published in the blocked loop; the next approval replaces it and it goes out', async () => {
    let blocking = true;
    const h = aWorkflowHarness({
      failStep: (handler) =>
        handler === 'publish-note' && blocking && h.engine.executions.has(UPDATE)
          ? new PublicationBlocked(['the note is too large'])
          : undefined,
    });
    await published(h);
    await h.advanceTo('2026-12-20T12:00:00.000Z');
    await editDraft(h, '# Note\n\nA very long note.');
    expect((await approveUpdate(h, { decision: 'approve', changeSummary: 'Too long.' })).status).toBe(202);
    await h.settle();
    expect(h.engine.executions.get(UPDATE)?.history).toContain(State.ReportBlocked);
    expect(h.waitingState()).toBe(State.AwaitUnblock);
    expect(h.mailer.sent.some((m) => m.tags?.template === 'workflow-blocked')).toBe(true);
    expect(updateMails(h)).toEqual([]);

    // The coordinator shortens the note: the edit wakes the parked execution, whose revision 2 (the
    // long draft) still cannot go out. Approving the short draft replaces revision 2 and wakes it again.
    await editDraft(h, '# Note\n\nShort.');
    await h.settle();
    expect(h.waitingState()).toBe(State.AwaitUnblock);
    expect(updateMails(h)).toEqual([]);
    blocking = false;
    expect((await approveUpdate(h, { decision: 'approve', changeSummary: 'A fix is out.' })).status).toBe(202);
    await h.settle();
    expect(h.engine.executions.get(UPDATE)?.status).toBe('SUCCEEDED');
    expect([...h.engine.executions.keys()].filter((k) => k.includes('-note-'))).toEqual([UPDATE]);
    const note = (await h.notes.get(CASE))!;
    expect(note.noteRevision).toBe(2);
    expect(note.markdown).toContain('Short.');
    expect(note.csaf.document.tracking.revision_history.map((x) => x.summary)).toEqual(['Initial public release.', 'A fix is out.']);
    expect(updateMails(h)).toHaveLength(3);
    const { state } = (await h.store.load(CASE))!;
    expect(state.blocked).toBeNull();
    expect(state.published?.updates).toHaveLength(1);
  });
});
