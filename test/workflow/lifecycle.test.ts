// The real state machine definition, synthesized from the CDK app, run on aws-local-stepfunctions
// with task tokens and a virtual clock: whole cases from intake to their end.
import { beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../functions/adapters/errors.js';
import { execute } from '../../functions/app/commands.js';
import { submit } from '../../functions/app/inbox.js';
import { State } from '../../lib/workflow-states.js';
import { COORDINATOR, REPORTER, aReport, vendorActor } from '../builders/case.js';
import { type WorkflowHarness, aWorkflowHarness, synthesizedWorkflow } from '../builders/workflow-harness.js';

const CASE = 'VU-WF0001';

beforeAll(() => {
  synthesizedWorkflow();
}, 120_000);

async function started(h: WorkflowHarness, report = aReport()) {
  await execute(h.deps, CASE, { type: 'submit-report', caseId: CASE, report }, REPORTER);
  expect(h.engine.start(CASE, { caseId: CASE })).toBe(true);
  await h.settle();
}
const phase = async (h: WorkflowHarness) => (await h.store.load(CASE))!.state.phase;
/** Accepted, and the reporter's suggested address for Acme confirmed by a coordinator. */
async function accepted(h: WorkflowHarness) {
  await submit(h.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'ok' }, COORDINATOR);
  await h.settle();
  await submit(h.deps, CASE, { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] }, COORDINATOR);
  await h.settle();
}
const execution = (h: WorkflowHarness) => h.engine.executions.get(CASE)!;
const templates = (h: WorkflowHarness) => h.mailer.sent.map((m) => m.tags?.template);

describe('the case workflow, run locally from the synthesized definition', () => {
  it('takes a case from intake through the embargo to publication', async () => {
    const h = aWorkflowHarness();
    await started(h);
    expect(h.waitingState()).toBe(State.AwaitTriageDecision);
    expect(templates(h)).toEqual(['reporter-acknowledgement', 'triage-needed']);

    await submit(h.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'we coordinate' }, COORDINATOR);
    await h.settle();
    // The reporter's address for Acme is a suggestion: nobody is mailed and the clock waits for a coordinator.
    expect(await phase(h)).toBe('outreach');
    expect(h.waitingState()).toBe(State.AwaitCaseEvent);
    expect(templates(h)).not.toContain('vendor-notification');
    await submit(h.deps, CASE, { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] }, COORDINATOR);
    await h.settle();
    expect(await phase(h)).toBe('embargo');
    expect(templates(h)).toContain('vendor-notification');
    expect(h.waitingState()).toBe(State.AwaitCaseEvent);
    const s = (await h.store.load(CASE))!.state;
    expect(s.embargo.endsAt).toBe('2026-12-16T12:00:00.000Z');

    const beforeAck = execution(h).history.length;
    await submit(h.deps, CASE, { type: 'acknowledge' }, vendorActor('vendor-1'));
    await h.settle();
    // A wake is one turn, then straight back to waiting with the wait the turn returned.
    expect(execution(h).history.slice(beforeAck)).toEqual([State.ApplyCaseEvents, State.EmbargoRoute, State.AwaitCaseEvent]);
    await submit(
      h.deps,
      CASE,
      {
        type: 'update-vendor-status',
        statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }],
        fixReady: true,
        statement: 'Update to 4.2.2.',
      },
      vendorActor('vendor-1'),
    );
    await h.settle();
    expect(h.waitingState()).toBe(State.AwaitCaseEvent);

    await h.advanceTo('2026-12-02T12:00:00.000Z');
    expect(await phase(h)).toBe('draft-review');
    expect(h.waitingState()).toBe(State.AwaitPublicationDecision);
    expect(templates(h)).toContain('draft-shared');

    await submit(h.deps, CASE, { type: 'decide-publication', decision: 'approve' }, COORDINATOR);
    await h.settle();
    expect(h.waitingState()).toBe(State.AwaitPublicationDate);
    expect(await phase(h)).toBe('publication');

    await h.advanceTo('2026-12-16T12:00:00.000Z');
    expect(await phase(h)).toBe('published');
    expect(execution(h).status).toBe('SUCCEEDED');
    expect(execution(h).history).toEqual(
      expect.arrayContaining([State.PublishNote, State.PublishCveRecords, State.NotifyPublished, State.Published]),
    );
    // One message per recipient: the reporter, the vendor and the coordinators.
    expect(
      h.mailer.sent
        .filter((m) => m.tags?.template === 'published')
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['ada@example.org', 'coord@cert.example', 'psirt@acme.example']);
  });

  it('escalates an undecided report every 48 hours and keeps waiting', async () => {
    const h = aWorkflowHarness();
    await started(h);
    await h.advanceTo('2026-11-05T09:00:01.000Z');
    expect(templates(h).filter((t) => t === 'triage-escalation')).toHaveLength(2);
    expect(h.waitingState()).toBe(State.AwaitTriageDecision);
  });

  it('declines and tells the reporter, ending the execution', async () => {
    const h = aWorkflowHarness();
    await started(h, aReport({ requestedService: 'cve-id-only' }));
    await submit(h.deps, CASE, { type: 'decide-triage', decision: 'decline', reasons: ['cve-id-only'] }, COORDINATOR);
    await h.settle();
    expect(execution(h).status).toBe('SUCCEEDED');
    expect(execution(h).history.at(-1)).toBe(State.Declined);
    expect(templates(h)).toContain('declined');
  });

  it('closes as invalid when the requested information never comes', async () => {
    const h = aWorkflowHarness();
    await started(h);
    await submit(h.deps, CASE, { type: 'decide-triage', decision: 'request-info' }, COORDINATOR);
    await h.settle();
    expect(h.waitingState()).toBe(State.AwaitInformation);
    await h.advanceTo('2026-11-16T00:00:00.000Z');
    expect(await phase(h)).toBe('closed');
    expect(execution(h).status).toBe('SUCCEEDED');
  });

  it('goes back to triage when the reporter answers in time', async () => {
    const h = aWorkflowHarness();
    await started(h);
    await submit(h.deps, CASE, { type: 'decide-triage', decision: 'request-info' }, COORDINATOR);
    await h.settle();
    await submit(h.deps, CASE, { type: 'provide-information', body: 'version 4.2.1, PoC attached', messageId: 'm-1' }, REPORTER);
    await h.settle();
    expect(h.waitingState()).toBe(State.AwaitTriageDecision);
  });

  it('releases the embargo early on a public exploit and moves to draft review at once', async () => {
    const h = aWorkflowHarness();
    await started(h);
    await accepted(h);
    await submit(h.deps, CASE, { type: 'raise-signal', kind: 'exploit-public', evidence: 'https://exploit.example' }, COORDINATOR);
    await h.settle();
    await h.advanceTo('2026-11-01T09:00:05.000Z');
    expect(await phase(h)).toBe('draft-review');
    expect(h.waitingState()).toBe(State.AwaitPublicationDecision);
  });

  it('waits out a 45-day embargo even when the vendor never answers, then publishes once approved', async () => {
    const h = aWorkflowHarness();
    await started(h);
    await accepted(h);
    await h.advanceTo('2026-12-02T12:00:00.000Z');
    expect(templates(h).filter((t) => t === 'vendor-reminder')).toHaveLength(2);
    expect(templates(h)).toContain('final-notice');
    expect(await phase(h)).toBe('draft-review');
    await submit(h.deps, CASE, { type: 'decide-publication', decision: 'approve' }, COORDINATOR);
    await h.advanceTo('2026-12-16T12:00:00.000Z');
    expect(await phase(h)).toBe('published');
  });

  it('keeps a case without a reachable vendor in front of the coordinators, escalating, until one is confirmed', async () => {
    const h = aWorkflowHarness();
    await started(h);
    await submit(h.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'ok' }, COORDINATOR);
    await h.settle();
    await h.advanceTo('2026-11-06T09:00:00.000Z');
    expect(await phase(h)).toBe('outreach');
    expect(templates(h).filter((t) => t === 'vendor-contact-needed').length).toBeGreaterThanOrEqual(2);
    const s = (await h.store.load(CASE))!.state;
    expect(s.embargo.state).not.toBe('ACTIVE');
    await submit(
      h.deps,
      CASE,
      { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'security@acme.example' }] },
      COORDINATOR,
    );
    await h.settle();
    const after = (await h.store.load(CASE))!.state;
    // The clock starts at this first real contact attempt, not at acceptance.
    expect(after.phase).toBe('embargo');
    expect(after.embargo.firstContactAt).toBe(h.time.now());
    expect(h.mailer.sent.filter((m) => m.tags?.template === 'vendor-notification').map((m) => m.to)).toEqual([['security@acme.example']]);
  });

  it('retries a handler that crashes mid-step and carries on without sending twice', async () => {
    let failures = 1;
    const h = aWorkflowHarness({
      failStep: (handler) => (handler === 'register-case' && failures-- > 0 ? new TransientError('crashed') : undefined),
    });
    await started(h);
    await new Promise((r) => setTimeout(r, 200));
    await h.settle();
    expect(h.waitingState()).toBe(State.AwaitTriageDecision);
    expect(templates(h).filter((t) => t === 'reporter-acknowledgement')).toHaveLength(1);
  });

  it('resumes a case where it stood when a new execution starts for it', async () => {
    const h = aWorkflowHarness();
    await started(h);
    await accepted(h);
    const sent = h.mailer.sent.length;
    h.engine.stop(CASE);
    expect(h.engine.start(`${CASE}-resume-1`, { caseId: CASE, resume: true })).toBe(true);
    await h.settle();
    expect(h.engine.executions.get(`${CASE}-resume-1`)?.history.slice(0, 3)).toEqual([
      State.LocateCase,
      State.ResumeRouter,
      State.PlanNextDeadline,
    ]);
    expect(h.waitingState()).toBe(State.AwaitCaseEvent);
    expect(h.mailer.sent.length).toBe(sent);
  });
});
