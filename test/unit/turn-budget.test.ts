// Work cut into turns (functions/app/turn-budget.ts): a round of mail to many vendors goes out over
// several turns of the same step, each stopping at its budget; nobody is mailed twice, nobody is
// skipped, and the events are marked applied only once their work is done.
import { beforeEach, describe, expect, it } from 'vitest';
import { execute } from '../../functions/app/commands.js';
import { submit } from '../../functions/app/inbox.js';
import { type TurnBudget, WorkRemains, turnBudget } from '../../functions/app/turn-budget.js';
import * as wf from '../../functions/app/workflow.js';
import { COORDINATOR } from '../builders/case.js';
import { type TestApp, aTestApp } from '../builders/app.js';
import { embargoedThroughSteps } from '../builders/embargoed.js';

const CASE = 'VU-TURNS001';
let app: TestApp;
/** A budget of `n` e-mails per turn instead of real time. */
const sends = (n: number) => (): TurnBudget => {
  let left = n;
  return {
    check() {
      if (left-- <= 0) throw new WorkRemains();
    },
  };
};
const state = async () => (await app.store.load(CASE))!.state;
const vendorMails = () => app.mailer.sent.filter((m) => m.to.some((t) => t.endsWith('.vendor.example')));

async function embargoed() {
  await embargoedThroughSteps(app, CASE);
  await wf.advance(app.deps, { caseId: CASE });
}

beforeEach(() => {
  app = aTestApp();
});

describe('turns', () => {
  it('contacts twelve vendors added at once over several turns of three e-mails, each once, then marks the event applied', async () => {
    await embargoed();
    const vendors = Array.from({ length: 12 }, (_, i) => ({ name: `Vendor ${i}`, contacts: [{ email: `psirt@v${i}.vendor.example` }] }));
    await submit(app.deps, CASE, { type: 'add-vendors', vendors }, COORDINATOR);
    app.deps.turnBudget = sends(3);
    const added = (await state()).version;
    const steps = [];
    for (let turn = 0; turn < 10 && vendorMails().length < 12; turn++) {
      steps.push(await wf.advance(app.deps, { caseId: CASE }));
      // Until the last turn the event that added them stays unapplied, so the wait resumes at once.
      if (vendorMails().length < 12) expect((await state()).appliedSeq).toBeLessThan(added);
    }
    expect(steps.length).toBe(4);
    expect(steps.slice(0, 3).every((s) => s.route === 'embargo')).toBe(true);
    const to = vendorMails().map((m) => m.to[0]);
    expect(new Set(to).size).toBe(12);
    expect(to).toHaveLength(12);
    expect((await state()).appliedSeq).toBeGreaterThanOrEqual(added);
    // Another turn sends nothing more.
    await wf.advance(app.deps, { caseId: CASE });
    expect(vendorMails()).toHaveLength(12);
  });

  it('a step that mails every participant stops with WorkRemains and finishes when run again', async () => {
    await embargoed();
    const vendors = Array.from({ length: 6 }, (_, i) => ({ name: `Vendor ${i}`, contacts: [{ email: `psirt@v${i}.vendor.example` }] }));
    await submit(app.deps, CASE, { type: 'add-vendors', vendors }, COORDINATOR);
    await wf.advance(app.deps, { caseId: CASE });
    const before = vendorMails().length;
    await execute(app.deps, CASE, { type: 'close-case', reason: 'withdrawn by the reporter' }, COORDINATOR);
    app.deps.turnBudget = sends(2);
    let runs = 0;
    for (;;) {
      runs++;
      try {
        await wf.advance(app.deps, { caseId: CASE });
        await wf.closeAsInvalid(app.deps, { caseId: CASE });
        break;
      } catch (e) {
        expect(e).toBeInstanceOf(WorkRemains);
      }
    }
    const closed = vendorMails()
      .slice(before)
      .filter((m) => m.tags?.template === 'case-closed');
    expect(new Set(closed.map((m) => m.to[0])).size).toBe(closed.length);
    expect(closed.length).toBe(6);
    expect(runs).toBeGreaterThan(1);
  });

  it('counts real time, not the case clock', () => {
    let now = 1_000;
    const b = turnBudget(100, () => now);
    b.check();
    now = 1_100;
    b.check();
    now = 1_101;
    expect(() => b.check()).toThrow(WorkRemains);
  });
});
