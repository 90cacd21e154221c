// Business metrics and log lines as the use cases record them (in memory), and the Powertools
// adapter's output: JSON lines keyed by the invocation, EMF in the configured namespace.
import { beforeEach, describe, expect, it } from 'vitest';
import { MailRejected } from '../../functions/adapters/errors.js';
import { PowertoolsTelemetry } from '../../functions/adapters/powertools-telemetry.js';
import { execute } from '../../functions/app/commands.js';
import * as cve from '../../functions/app/cve-ids.js';
import { submit } from '../../functions/app/inbox.js';
import { preScreen } from '../../functions/app/prescreen.js';
import { Metric } from '../../functions/app/telemetry.js';
import * as wf from '../../functions/app/workflow.js';
import { caseIdOf } from '../../functions/handlers/telemetry-from-env.js';
import { COORDINATOR, REPORTER, aReport } from '../builders/case.js';
import { type TestApp, aTestApp } from '../builders/app.js';

const CASE = 'VU-TEST01';
let app: TestApp;
beforeEach(() => {
  app = aTestApp();
});

async function triaged(afterHours: number) {
  await execute(app.deps, CASE, { type: 'submit-report', caseId: CASE, report: aReport() }, REPORTER);
  await wf.registerCase(app.deps, { caseId: CASE });
  await preScreen(app.deps, { caseId: CASE });
  app.clock.advanceHours(afterHours);
  await submit(app.deps, CASE, { type: 'decide-triage', decision: 'accept', comment: 'we coordinate this one' }, COORDINATOR);
  await wf.advance(app.deps, { caseId: CASE });
  await execute(app.deps, CASE, { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] }, COORDINATOR);
}

describe('business metrics', () => {
  it('count a report, each phase it enters, the time to triage and to first contact, and the embargo length', async () => {
    await triaged(5);
    app.clock.advanceHours(1);
    const out = await wf.prepareOutreach(app.deps, { caseId: CASE });
    for (const v of out.vendors ?? []) await wf.notifyVendor(app.deps, { caseId: CASE, vendorId: v.vendorId });
    await wf.openEmbargo(app.deps, { caseId: CASE });
    const t = app.telemetry;
    expect(t.total(Metric.ReportsReceived)).toBe(1);
    for (const phase of ['intake', 'triage', 'outreach', 'embargo']) expect(t.total(Metric.CasesEnteredPhase, phase), phase).toBe(1);
    expect(t.metrics.filter((m) => m.name === Metric.TimeToTriage)).toEqual([
      { name: Metric.TimeToTriage, value: 5 * 3600, unit: 'Seconds' },
    ]);
    expect(t.metrics.filter((m) => m.name === Metric.TimeToFirstVendorContact)).toEqual([
      { name: Metric.TimeToFirstVendorContact, value: 6 * 3600, unit: 'Seconds' },
    ]);
    const [embargo] = t.metrics.filter((m) => m.name === Metric.EmbargoLength);
    // 45 days from first contact, at the embargo hour: within a day of 45 days.
    expect(Math.abs((embargo?.value ?? 0) - 45 * 86_400)).toBeLessThan(86_400);
    expect(t.total(Metric.EmailsSent)).toBe(app.mailer.sent.length);
  });

  it('count a refused e-mail as bounced, and a new block once, not its weekly re-report', async () => {
    await triaged(1);
    app.mailer.failNext(new MailRejected('address rejected'));
    await expect(wf.notifyVendor(app.deps, { caseId: CASE, vendorId: 'vendor-1' })).rejects.toMatchObject({ name: 'MailRejected' });
    expect(app.telemetry.total(Metric.EmailsBounced)).toBe(1);
    await wf.reportBlocked(app.deps, { caseId: CASE, error: { Error: 'MailRejected', Cause: 'address rejected' } });
    app.clock.advanceDays(7);
    await wf.reportBlocked(app.deps, { caseId: CASE, error: { Error: 'States.Timeout', Cause: 'no coordinator yet' } });
    expect(app.telemetry.total(Metric.CasesBlocked)).toBe(1);
    expect(app.telemetry.logs.find((l) => l.message === 'mail refused')?.fields).toEqual({
      caseId: CASE,
      template: expect.any(String),
      errorName: 'MailRejected',
    });
  });

  it('count a blocked case resumed when a coordinator acts while it waits', async () => {
    await triaged(1);
    // Nothing left unapplied: the wait parks rather than resuming at once.
    await wf.advance(app.deps, { caseId: CASE });
    await wf.reportBlocked(app.deps, { caseId: CASE, error: { Error: 'MailRejected', Cause: 'address rejected' } });
    app.signals.waiting.add('token-unblock');
    await wf.awaitSignal(app.deps, { caseId: CASE, taskToken: 'token-unblock', kind: 'unblock' });
    expect(app.telemetry.total(Metric.CasesUnblocked)).toBe(0);
    await submit(
      app.deps,
      CASE,
      { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'oncall@acme.example' }] },
      COORDINATOR,
    );
    expect(app.telemetry.total(Metric.CasesUnblocked)).toBe(1);
  });

  it("read the CVE pool's remaining IDs each time one is taken", async () => {
    await triaged(1);
    app.deps.publication = { ...app.deps.publication, cveMode: 'pool' };
    await app.pool.reserveBlock(['CVE-2026-1001', 'CVE-2026-1002', 'CVE-2026-1003']);
    await cve.assignCveIds(app.deps, { caseId: CASE });
    expect(app.telemetry.metrics.filter((m) => m.name === Metric.CveIdsRemaining)).toEqual([
      { name: Metric.CveIdsRemaining, value: 2, unit: 'Count' },
    ]);
  });

  it('log each change as its case id, phase and event types only', async () => {
    await triaged(1);
    const changes = app.telemetry.logs.filter((l) => l.message === 'case changed');
    expect(changes.length).toBeGreaterThan(3);
    for (const c of changes) expect(Object.keys(c.fields).sort()).toEqual(['caseId', 'events', 'phase']);
    expect(JSON.stringify(app.telemetry.logs)).not.toContain(aReport().title);
  });
});

/** What the adapter writes to stdout and stderr while `body` runs. */
async function captured(body: () => Promise<void>): Promise<string[]> {
  const out: string[] = [];
  const [stdout, stderr] = [process.stdout.write, process.stderr.write];
  const keep = ((chunk: unknown) => {
    out.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = keep;
  process.stderr.write = keep;
  try {
    await body();
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
  return out;
}

describe('the Powertools adapter', () => {
  const env = { serviceName: 'cvd-coordinator', metricsNamespace: 'CvdTest', logLevel: 'INFO', metricsDisabled: false } as const;

  it("writes JSON lines with the invocation's step, request id and case id, and EMF in the namespace at its end", async () => {
    const t = new PowertoolsTelemetry(env);
    const lines = await captured(() =>
      t.run({ step: 'advance-case', requestId: 'req-1', caseId: CASE }, async () => {
        t.log('info', 'case changed', { phase: 'embargo' });
        t.log('debug', 'below the level');
        t.metric({ name: Metric.Publications, value: 1, unit: 'Count' });
        t.metric({ name: Metric.CasesEnteredPhase, value: 1, unit: 'Count', dimensions: { Phase: 'published' } });
      }),
    );
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.find((l) => l.message === 'case changed')).toMatchObject({
      level: 'INFO',
      service: 'cvd-coordinator',
      step: 'advance-case',
      requestId: 'req-1',
      caseId: CASE,
      phase: 'embargo',
    });
    expect(parsed.some((l) => l.message === 'below the level')).toBe(false);
    const emf = parsed.filter((l) => l._aws !== undefined);
    expect(emf).toHaveLength(2);
    expect(JSON.stringify(emf)).toContain('"Namespace":"CvdTest"');
    expect(emf.find((l) => l.Phase === 'published')).toMatchObject({ CasesEnteredPhase: 1, service: 'cvd-coordinator' });
    expect(emf.find((l) => l.Publications === 1)).toBeDefined();
  });

  it('writes nothing at the end of an invocation without metrics, and no EMF when metrics are disabled', async () => {
    const quiet = new PowertoolsTelemetry(env);
    expect(await captured(() => quiet.run({ step: 'locate-case', requestId: 'r' }, async () => {}))).toEqual([]);
    const off = new PowertoolsTelemetry({ ...env, metricsDisabled: true });
    expect(
      await captured(() =>
        off.run({ step: 'publish-note', requestId: 'r' }, async () => off.metric({ name: Metric.Publications, value: 1, unit: 'Count' })),
      ),
    ).toEqual([]);
  });
});

describe('the case id of an invocation', () => {
  it("is a workflow input's or an API route's, and only when it looks like an id", () => {
    expect(caseIdOf({ caseId: 'VU-ABCD1234' })).toBe('VU-ABCD1234');
    expect(caseIdOf({ pathParameters: { caseId: 'VU-ABCD1234' } })).toBe('VU-ABCD1234');
    expect(caseIdOf({ caseId: 'text with spaces, or a whole sentence' })).toBeUndefined();
    expect(caseIdOf({ pathParameters: { token: 'abc' } })).toBeUndefined();
    expect(caseIdOf('VU-ABCD1234')).toBeUndefined();
  });
});
