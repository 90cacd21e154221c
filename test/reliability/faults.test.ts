// Faults, on the synthesized state machine run by the local engine with in-memory twins: the
// retries are the definition's own ASL Retry policies (back-off shortened by the engine to 50 ms).
import type { SESClient } from '@aws-sdk/client-ses';
import { beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../functions/adapters/errors.js';
import { type Mailer, type OutgoingMail, SesMailer } from '../../functions/adapters/mailer.js';
import { execute } from '../../functions/app/commands.js';
import { submit } from '../../functions/app/inbox.js';
import { State } from '../../lib/workflow-states.js';
import { COORDINATOR, REPORTER, aReport } from '../builders/case.js';
import { type WorkflowHarness, aWorkflowHarness, synthesizedWorkflow } from '../builders/workflow-harness.js';
import { sdkError, until } from './helpers.js';

const CASE = 'VU-REL00001';

beforeAll(() => {
  synthesizedWorkflow();
}, 120_000);

async function started(h: WorkflowHarness) {
  await execute(h.deps, CASE, { type: 'submit-report', caseId: CASE, report: aReport() }, REPORTER);
  expect(h.engine.start(CASE, { caseId: CASE })).toBe(true);
  await h.settle();
}
const waitsIn = (h: WorkflowHarness, state: string) => until(() => h.waitingState() === state, h.settle);
const phase = async (h: WorkflowHarness) => (await h.store.load(CASE))!.state.phase;
/** Messages sent, by template and recipient: each must appear once. */
const sentTwice = (h: WorkflowHarness) => {
  const seen = new Map<string, number>();
  for (const m of h.mailer.sent) {
    const k = `${m.tags?.template} → ${m.to.join(',')}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
};

describe('reliability: faults', () => {
  it('scenario: SES fails twice on the acknowledgement; the step is retried, the case reaches triage, nothing is mailed twice', async () => {
    const h = aWorkflowHarness();
    h.mailer.failNext(new TransientError('SES unavailable'), new TransientError('SES unavailable'));
    await started(h);
    expect(await waitsIn(h, State.AwaitTriageDecision)).toBe(true);
    expect(h.mailer.sent.map((m) => m.tags?.template)).toEqual(['reporter-acknowledgement', 'triage-needed']);
    expect(sentTwice(h)).toEqual([]);
  });

  it('scenario: SES throttles (the SDK error "Throttling", through the real SES adapter); retried, the vendor is contacted once, the embargo opens', async () => {
    const h = aWorkflowHarness();
    // The SES adapter over a client that throttles three calls, then delivers into the twin.
    let throttles = 0;
    const delivered = h.mailer;
    const client = {
      send: async (cmd: {
        input: {
          Destination?: { ToAddresses?: string[] };
          Message?: { Subject?: { Data?: string } };
          Tags?: { Name: string; Value: string }[];
        };
      }) => {
        const to = cmd.input.Destination?.ToAddresses ?? [];
        if (to.some((x) => x.includes('acme')) && throttles < 3) {
          throttles++;
          throw sdkError('Throttling');
        }
        const tags = Object.fromEntries((cmd.input.Tags ?? []).map((t) => [t.Name, t.Value]));
        return { MessageId: await delivered.send({ to, subject: cmd.input.Message?.Subject?.Data ?? '', text: '', html: '', tags }) };
      },
    };
    const ses: Mailer = new SesMailer(client as unknown as SESClient, 'cvd@cert.example');
    h.deps.mailer = ses;
    await started(h);
    await submit(h.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'we coordinate' }, COORDINATOR);
    await submit(h.deps, CASE, { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] }, COORDINATOR);
    expect(await waitsIn(h, State.AwaitCaseEvent)).toBe(true);
    expect(throttles).toBe(3);
    expect(await phase(h)).toBe('embargo');
    expect(h.mailer.sent.filter((m) => m.to.some((x) => x.includes('acme')))).toHaveLength(1);
    expect(sentTwice(h)).toEqual([]);
  });

  it('scenario: SES refuses for good (MailRejected is not transient); the case is reported blocked, not retried forever', async () => {
    const h = aWorkflowHarness();
    const rejected = new Error('MessageRejected: address blacklisted');
    rejected.name = 'MessageRejected';
    const client = { send: async () => Promise.reject(Object.assign(rejected, { $metadata: { httpStatusCode: 400 } })) };
    const real = h.mailer;
    let first = true;
    // Only the acknowledgement is refused; the blocked report to coordinators goes through.
    h.deps.mailer = {
      send: async (m: OutgoingMail) => {
        if (first && m.tags?.template === 'reporter-acknowledgement') {
          first = false;
          return new SesMailer(client as unknown as SESClient, 'cvd@cert.example').send(m);
        }
        return real.send(m);
      },
    };
    await started(h);
    expect(await until(() => h.mailer.sent.some((m) => m.tags?.template === 'workflow-blocked'), h.settle)).toBe(true);
    expect(h.mailer.sent.filter((m) => m.tags?.template === 'workflow-blocked').map((m) => m.to)).toEqual([['coord@cert.example']]);
    expect(h.mailer.sent.filter((m) => m.tags?.template === 'reporter-acknowledgement')).toHaveLength(0);
  });

  it('scenario: a handler crashes before its work (three times in a row); the workflow retries it and carries on', async () => {
    let crashes = 3;
    const h = aWorkflowHarness({
      failStep: (handler) => (handler === 'prepare-outreach' && crashes-- > 0 ? new TransientError('the container died') : undefined),
    });
    await started(h);
    await submit(h.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'ok' }, COORDINATOR);
    await submit(h.deps, CASE, { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] }, COORDINATOR);
    expect(await waitsIn(h, State.AwaitCaseEvent)).toBe(true);
    expect(crashes).toBe(-1);
    expect(await phase(h)).toBe('embargo');
    expect(sentTwice(h)).toEqual([]);
  });

  it('scenario: a handler crashes mid-step, after its e-mail went out and before it was recorded; retried, the message repeats at most once and the case carries on', async () => {
    const h = aWorkflowHarness();
    const store = h.deps.store;
    let crashed = false;
    // The first record of the vendor notification fails as a lost DynamoDB write would.
    h.deps.store = new Proxy(store, {
      get(target, prop, receiver) {
        const v: unknown = Reflect.get(target, prop, receiver);
        if (prop !== 'append' || typeof v !== 'function')
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        return (caseId: string, version: number, events: readonly { type: string }[], opts: unknown) => {
          if (!crashed && events.some((e) => e.type === 'vendor-contacted')) {
            crashed = true;
            return Promise.reject(new TransientError('DynamoDB connection reset'));
          }
          return (v as (...a: unknown[]) => unknown).call(target, caseId, version, events, opts);
        };
      },
    });
    await started(h);
    await submit(h.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'ok' }, COORDINATOR);
    await submit(h.deps, CASE, { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] }, COORDINATOR);
    expect(await waitsIn(h, State.AwaitCaseEvent)).toBe(true);
    expect(await phase(h)).toBe('embargo');
    const toVendor = h.mailer.sent.filter((m) => m.to.some((x) => x.includes('acme')) && m.tags?.template === 'vendor-notification');
    expect(crashed).toBe(true);
    expect(toVendor.length).toBeGreaterThanOrEqual(1);
    expect(toVendor.length).toBeLessThanOrEqual(crashed ? 2 : 1);
  });

  it('scenario: SES fails on the second recipient of a message to several; the retry does not mail the first recipient again', async () => {
    const h = aWorkflowHarness();
    await started(h);
    await submit(h.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'ok' }, COORDINATOR);
    await submit(h.deps, CASE, { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] }, COORDINATOR);
    expect(await waitsIn(h, State.AwaitCaseEvent)).toBe(true);
    // embargo-ended goes to the reporter, the vendor and the coordinators, one message each.
    const before = h.mailer.sent.length;
    const real = h.mailer;
    let n = 0;
    h.deps.mailer = {
      send: (m: OutgoingMail) =>
        m.tags?.template === 'embargo-ended' && ++n === 2 ? Promise.reject(new TransientError('SES unavailable')) : real.send(m),
    };
    await submit(h.deps, CASE, { type: 'raise-signal', kind: 'exploit-public', evidence: 'https://exploit.example' }, COORDINATOR);
    expect(await until(async () => (await phase(h)) === 'draft-review', h.settle)).toBe(true);
    const ended = h.mailer.sent.slice(before).filter((m) => m.tags?.template === 'embargo-ended');
    expect(ended.length).toBeGreaterThanOrEqual(2);
    expect(sentTwice(h)).toEqual([]);
  });
});
