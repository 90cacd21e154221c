// A turn's records written together (functions/app/turn-writes.ts): a reminder round to many vendors
// is a few appends, not one per e-mail; what was sent is recorded even when the turn fails; a
// participant who writes in the middle of a round loses nothing and takes nothing from it; and a
// turn whose records are lost repeats at most one write's worth of mail.
import { beforeEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../functions/adapters/errors.js';
import { hashToken } from '../../functions/adapters/event-store.js';
import { ItemTooLargeError } from '../../functions/adapters/store-errors.js';
import { execute } from '../../functions/app/commands.js';
import { submit } from '../../functions/app/inbox.js';
import { type TurnBudget, WorkRemains } from '../../functions/app/turn-budget.js';
import { WRITES_PER_APPEND } from '../../functions/app/turn-writes.js';
import * as wf from '../../functions/app/workflow.js';
import { COORDINATOR, vendorActor } from '../builders/case.js';
import { type TestApp, aTestApp } from '../builders/app.js';
import { embargoedThroughSteps } from '../builders/embargoed.js';

const CASE = 'VU-WRITES01';
const VENDORS = 60;
let app: TestApp;
let appends: string[][];

const state = async () => (await app.store.load(CASE))!.state;
const reminders = () => app.mailer.sent.filter((m) => m.tags?.template === 'vendor-reminder');
const addressesOf = (mails: { to: string[] }[]) => mails.map((m) => m.to[0]);

/** Sixty vendors contacted; the clock then at their first reminder. */
async function roundDue(): Promise<void> {
  await embargoedThroughSteps(app, CASE);
  const vendors = Array.from({ length: VENDORS }, (_, i) => ({ name: `Vendor ${i}`, contacts: [{ email: `psirt@v${i}.vendor.example` }] }));
  await submit(app.deps, CASE, { type: 'add-vendors', vendors }, COORDINATOR);
  await wf.advance(app.deps, { caseId: CASE });
  expect((await state()).vendors.filter((v) => v.firstContactAt)).toHaveLength(VENDORS + 1);
  app.clock.advanceDays(app.deps.policy.reminderDays);
  appends = [];
}

beforeEach(() => {
  app = aTestApp();
  const append = app.store.append.bind(app.store);
  appends = [];
  app.store.append = (caseId, expected, events, opts) => {
    appends.push(events.map((e) => e.type));
    return append(caseId, expected, events, opts);
  };
});

describe('a turn writes its records together', () => {
  it('reminds sixty vendors in a few appends, each vendor once, every reminder recorded', async () => {
    await roundDue();
    await wf.advance(app.deps, { caseId: CASE });
    expect(new Set(addressesOf(reminders())).size).toBe(VENDORS + 1);
    expect(reminders()).toHaveLength(VENDORS + 1);
    // Each vendor: a mail record and a reminder record. One append per WRITES_PER_APPEND commands.
    const records = 2 * (VENDORS + 1);
    expect(appends.length).toBeLessThanOrEqual(Math.ceil(records / WRITES_PER_APPEND) + 1);
    const s = await state();
    expect(s.vendors.every((v) => v.attempts.filter((a) => a.purpose === 'reminder').length === 1)).toBe(true);
    // Another turn finds everything recorded: nothing is sent again.
    await wf.advance(app.deps, { caseId: CASE });
    expect(reminders()).toHaveLength(VENDORS + 1);
  });

  it('records what a failing turn sent, so its retry sends only the rest', async () => {
    await roundDue();
    const send = app.mailer.send.bind(app.mailer);
    let n = 0;
    app.mailer.send = (mail) => {
      // SES throttles the 38th e-mail of the round: past one write, inside the next.
      if (++n === 38) return Promise.reject(new TransientError('throttled'));
      return send(mail);
    };
    await expect(wf.advance(app.deps, { caseId: CASE })).rejects.toBeInstanceOf(TransientError);
    expect(reminders()).toHaveLength(37);
    expect((await state()).vendors.filter((v) => v.attempts.some((a) => a.purpose === 'reminder'))).toHaveLength(37);
    await wf.advance(app.deps, { caseId: CASE });
    expect(reminders()).toHaveLength(VENDORS + 1);
    expect(new Set(addressesOf(reminders())).size).toBe(VENDORS + 1);
  });

  it("keeps a vendor's acknowledgement made in the middle of a round, and the round's records around it", async () => {
    await roundDue();
    const send = app.mailer.send.bind(app.mailer);
    let n = 0;
    app.mailer.send = async (mail) => {
      // A vendor whose reminder is still to come answers while the round is being sent.
      if (++n === 10) await submit(app.deps, CASE, { type: 'acknowledge' }, vendorActor('vendor-50'));
      return send(mail);
    };
    await wf.advance(app.deps, { caseId: CASE });
    const s = await state();
    expect(s.vendors.find((v) => v.vendorId === 'vendor-50')?.acknowledgedAt).not.toBeNull();
    // Its reminder crossed its answer, as any mail in flight can; every other reminder is recorded.
    expect(reminders()).toHaveLength(VENDORS + 1);
    const reminded = s.vendors.filter((v) => v.attempts.some((a) => a.purpose === 'reminder')).map((v) => v.vendorId);
    expect(reminded).toHaveLength(VENDORS);
    expect(reminded).not.toContain('vendor-50');
    // Its acknowledgement is an outside event the next turn reacts to: it was not marked applied under it.
    const ack = (await app.store.readEvents(CASE)).events.find((e) => e.type === 'vendor-acknowledged');
    expect(s.appliedSeq).toBeLessThan(ack!.seq);
    await wf.advance(app.deps, { caseId: CASE });
    expect((await state()).appliedSeq).toBeGreaterThanOrEqual(ack!.seq);
  });

  it('repeats at most one write of mail when the records of a turn are lost (the function killed before it wrote)', async () => {
    await roundDue();
    const append = app.store.append;
    let killed = false;
    app.store.append = (caseId, expected, events, opts) => {
      // From the round's first write on, nothing reaches the table.
      if (killed || events.some((e) => e.type === 'notification-sent')) {
        killed = true;
        return Promise.reject(new Error('the function was killed'));
      }
      return append(caseId, expected, events, opts);
    };
    await expect(wf.advance(app.deps, { caseId: CASE })).rejects.toThrow(/killed/);
    const sentBefore = reminders().length;
    expect(sentBefore).toBeGreaterThan(0);
    expect(sentBefore).toBeLessThanOrEqual(WRITES_PER_APPEND);
    app.store.append = append;
    await wf.advance(app.deps, { caseId: CASE });
    const repeated = reminders().length - (VENDORS + 1);
    expect(repeated).toBe(sentBefore);
    expect(repeated).toBeLessThanOrEqual(WRITES_PER_APPEND);
    expect(new Set(addressesOf(reminders())).size).toBe(VENDORS + 1);
  });

  it("mails each contact's live link without writing its grant again, and a new store still gets every grant", async () => {
    await roundDue();
    const put = app.store.putGrant.bind(app.store);
    let puts = 0;
    app.store.putGrant = (g) => {
      puts++;
      return put(g);
    };
    await wf.advance(app.deps, { caseId: CASE });
    expect(reminders()).toHaveLength(VENDORS + 1);
    expect(puts).toBe(0);
    // Every reminder's link still opens the case.
    for (const m of reminders()) {
      const token = decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(m.text)?.[1] ?? '');
      expect(await app.store.getGrant(hashToken(token))).toMatchObject({ caseId: CASE, role: 'vendor' });
    }
    // Another table (another deployment, a test's fresh store) is not taken for this one.
    const other = aTestApp();
    await embargoedThroughSteps(other, CASE);
    const acme = other.mailer.sent.find((m) => m.to[0] === 'psirt@acme.example')!;
    const token = decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(acme.text)?.[1] ?? '');
    expect(await other.store.getGrant(hashToken(token))).toMatchObject({ caseId: CASE });
  });

  it('answers with the write’s own error when a turn out of time cannot write its records, so its retry never mails them again', async () => {
    await roundDue();
    await execute(app.deps, CASE, { type: 'close-case', reason: 'withdrawn by the reporter' }, COORDINATOR);
    // Two e-mails per turn, then WorkRemains; and the case item can take nothing more.
    app.deps.turnBudget = (): TurnBudget => {
      let left = 2;
      return {
        check() {
          if (left-- <= 0) throw new WorkRemains();
        },
      };
    };
    const append = app.store.append.bind(app.store);
    app.store.append = (caseId, expected, events, opts) =>
      events.some((e) => e.type === 'notification-sent')
        ? Promise.reject(new ItemTooLargeError(caseId, 'snapshot', 400_000))
        : append(caseId, expected, events, opts);
    const closed = () => app.mailer.sent.filter((m) => m.tags?.template === 'case-closed');
    // ItemTooLargeError blocks the case (ReportBlocked); WorkRemains would be retried at once, and again, mailing the same two.
    await expect(wf.closeAsInvalid(app.deps, { caseId: CASE })).rejects.toBeInstanceOf(ItemTooLargeError);
    expect(closed()).toHaveLength(2);
  });

  it('mails a contact a coordinator replaced in the middle of a round at its new address only, and the old one nothing', async () => {
    await roundDue();
    // In real time this round takes milliseconds: ask the table before every vendor.
    app.deps.turnFreshWithinMs = 0;
    const send = app.mailer.send.bind(app.mailer);
    let n = 0;
    app.mailer.send = async (mail) => {
      // A coordinator replaces vendor-9's address while the round is being sent, before its turn comes.
      if (++n === 2)
        await submit(
          app.deps,
          CASE,
          { type: 'update-vendor', vendorId: 'vendor-9', contacts: [{ email: 'new@v7.vendor.example' }] },
          COORDINATOR,
        );
      return send(mail);
    };
    await wf.advance(app.deps, { caseId: CASE });
    const to = addressesOf(reminders());
    expect(to).not.toContain('psirt@v7.vendor.example');
    expect(to).toContain('new@v7.vendor.example');
    expect(new Set(to).size).toBe(to.length);
  });
});
