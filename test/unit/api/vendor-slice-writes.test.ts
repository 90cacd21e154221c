// A vendor's own change on a case with hundreds of vendors (acknowledging, its status, its message)
// is decided and appended on a slice: the case's core and that vendor's part. The workflow turn
// that applies it runs on the core when nothing else is due. What each writes must be exactly what
// the whole case would have written, no vendor may reach another's part, and anything a slice
// cannot decide (a race, a downstream alert, a deadline due) falls back to the whole case.
import { describe, expect, it } from 'vitest';
import { SliceTooNarrowError } from '../../../functions/adapters/event-store.js';
import { casePartKey, caseSnapshotKey } from '../../../functions/adapters/table-layout.js';
import { execute } from '../../../functions/app/commands.js';
import { TurnWrites } from '../../../functions/app/turn-writes.js';
import { decide } from '../../../functions/domain/decide.js';
import { SYSTEM_ACTOR } from '../../../functions/domain/events.js';
import { waitSecondsOf, routeOf } from '../../../functions/app/steps.js';
import * as wf from '../../../functions/app/workflow.js';
import { VENDORS_PER_PART, vendorPartOf } from '../../../functions/domain/case-parts.js';
import { type CaseState, type StoredEvent, apply, emptyCase, nextDeadline } from '../../../functions/domain/index.js';
import { queueFacts } from '../../../functions/domain/queue-entry.js';
import { reportThroughApi, toEmbargo, toTriage, vendorToken } from '../../builders/api-world.js';
import { LAST_VENDOR, aDigestWaiting, clockJumpsOnSend, countReads, largeCase as largeCaseOf, settle } from '../../builders/large-case.js';
import type { TestApp } from '../../builders/app.js';
import { COORDINATOR } from '../../builders/case.js';
import { bearer, call } from '../../builders/http.js';

const LAST = LAST_VENDOR;
const SECOND_PART = `vendor-${VENDORS_PER_PART + 1}`;
const largeCase = (downstream = false) => largeCaseOf(downstream ? { downstream: LAST } : {});

/** A turn's writes seeded with the case's core, the events applied held on it. */
async function writesOnCore(app: TestApp, caseId: string) {
  const writes = new TurnWrites(app.deps, caseId);
  const core = await app.store.loadSlice(caseId, []);
  if (!core || core.whole) throw new Error('not a slice');
  writes.seed(core.partial, core.version);
  await writes.hold({ type: 'mark-applied', upToSeq: core.version }, SYSTEM_ACTOR, decide);
  return { writes, core };
}

async function wholeLog(app: TestApp, caseId: string): Promise<StoredEvent[]> {
  return (await app.store.readEvents(caseId, { limit: 10_000 })).events as StoredEvent[];
}

/** The case as its log folds, and the store's own load: they must agree. */
async function foldedAndLoaded(app: TestApp, caseId: string): Promise<{ folded: CaseState; loaded: CaseState }> {
  const folded = (await wholeLog(app, caseId)).reduce(apply, emptyCase(caseId));
  const loaded = (await app.store.load(caseId))?.state;
  if (!loaded) throw new Error('no case');
  return { folded, loaded };
}

const partVersion = async (app: TestApp, caseId: string, part: string) =>
  app.store.rawItem(casePartKey(caseId, part))?.version as number | undefined;

const vendorCall = (app: TestApp, caseId: string, token: string, method: 'POST' | 'PUT', path: string, body: unknown) =>
  call(app.deps, method, path, { params: { caseId }, caller: bearer(token), body });

const ACTIONS = [
  { method: 'POST', path: '/vendor/cases/{caseId}/acknowledge', body: null, event: 'vendor-acknowledged' },
  {
    method: 'PUT',
    path: '/vendor/cases/{caseId}/status',
    body: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], statement: 'Fixed in 4.2.2.', fixReady: true },
    event: 'vendor-status-updated',
  },
  { method: 'POST', path: '/vendor/cases/{caseId}/messages', body: { kind: 'comment', body: 'We are on it.' }, event: 'comment-added' },
] as const;

describe("a vendor's change on a large case", () => {
  it.each(ACTIONS.map((a) => [`${a.method} ${a.path}`, a] as const))(
    '%s reads and writes only its slice, and leaves the case its log folds to',
    async (_name, action) => {
      const { app, caseId } = await largeCase();
      for (const vendorId of ['vendor-1', SECOND_PART, LAST]) {
        const token = await vendorToken(app, caseId, vendorId);
        const others = ['v000000', 'v000001'].filter((p) => p !== vendorPartOf(vendorId));
        const before = await Promise.all(others.map((p) => partVersion(app, caseId, p)));
        const reads = countReads(app);

        const r = await vendorCall(app, caseId, token, action.method, action.path, action.body);

        expect(r.status, r.raw).toBe(202);
        expect(reads).toEqual({ loads: 0, slices: [[vendorPartOf(vendorId)]] });
        // Another vendor's part is never written by this vendor's change.
        expect(await Promise.all(others.map((p) => partVersion(app, caseId, p)))).toEqual(before);
        const log = await wholeLog(app, caseId);
        expect(log.at(-1)).toMatchObject({ type: action.event, ...(action.event === 'comment-added' ? {} : { vendorId }) });
      }
      const { folded, loaded } = await foldedAndLoaded(app, caseId);
      expect(loaded).toEqual(folded);
      // The queue's row and the next deadline, written from the slices, are the whole case's.
      expect((await app.store.summary(caseId))?.entry).toEqual(queueFacts(folded, app.deps.policy));
    },
  );

  it('is decided again on the whole case when a coordinator wrote between its read and its write', async () => {
    const { app, caseId } = await largeCase();
    const token = await vendorToken(app, caseId, SECOND_PART);
    const appendToSlice = app.store.appendToSlice.bind(app.store);
    let raced = false;
    app.store.appendToSlice = async (slice, events, opts) => {
      if (!raced) {
        raced = true;
        await execute(app.deps, caseId, { type: 'close-case', reason: 'withdrawn by the reporter', closure: 'withdrawn' }, COORDINATOR);
      }
      return appendToSlice(slice, events, opts);
    };

    const r = await vendorCall(app, caseId, token, 'POST', '/vendor/cases/{caseId}/acknowledge', null);

    // The case it acknowledges is closed by then: refused as it would be on the whole case, nothing written.
    expect(raced).toBe(true);
    expect(r.status, r.raw).toBe(409);
    expect((await wholeLog(app, caseId)).some((e) => e.type === 'vendor-acknowledged' && e.vendorId === SECOND_PART)).toBe(false);
  });

  it('is made on the whole case when its events reach past the slice', async () => {
    const { app, caseId } = await largeCase();
    const token = await vendorToken(app, caseId, LAST);
    app.store.appendToSlice = async (slice) => {
      throw new SliceTooNarrowError(slice.caseId);
    };
    const reads = countReads(app);

    const r = await vendorCall(app, caseId, token, 'POST', '/vendor/cases/{caseId}/acknowledge', null);

    expect(r.status, r.raw).toBe(202);
    expect(reads.loads).toBe(1);
    const { folded, loaded } = await foldedAndLoaded(app, caseId);
    expect(loaded).toEqual(folded);
    expect(loaded.vendors.find((v) => v.vendorId === LAST)?.acknowledgedAt).not.toBeNull();
  });

  it('replayed, writes nothing more: the acknowledgement is recorded once, the status only as it changes', async () => {
    const { app, caseId } = await largeCase();
    const token = await vendorToken(app, caseId, SECOND_PART);
    const [ack, status] = ACTIONS;
    for (const a of [ack, ack, status]) expect((await vendorCall(app, caseId, token, a.method, a.path, a.body)).status).toBe(202);
    const before = (await wholeLog(app, caseId)).length;
    const core = app.store.rawItem(caseSnapshotKey(caseId));

    expect((await vendorCall(app, caseId, token, ack.method, ack.path, ack.body)).status).toBe(202);

    expect((await wholeLog(app, caseId)).length).toBe(before);
    expect(app.store.rawItem(caseSnapshotKey(caseId))).toEqual(core);
    expect((await wholeLog(app, caseId)).filter((e) => e.type === 'vendor-acknowledged')).toHaveLength(1);
  });

  it('cannot be made with another case’s link, whatever vendor id that link names', async () => {
    const { app, caseId } = await largeCase();
    const other = await reportThroughApi(app);
    await toTriage(app, other.caseId, ['Acme']);
    await toEmbargo(app, other.caseId);
    // The other case's vendor-1 holds a link; on this case vendor-1 is someone else.
    const foreign = await vendorToken(app, other.caseId, 'vendor-1');
    const before = (await wholeLog(app, caseId)).length;

    for (const a of ACTIONS) expect((await vendorCall(app, caseId, foreign, a.method, a.path, a.body)).status).toBe(404);
    expect((await wholeLog(app, caseId)).length).toBe(before);
  });

  it('is refused with the one 404 once the link is revoked, and writes nothing', async () => {
    const { app, caseId } = await largeCase();
    const token = await vendorToken(app, caseId, SECOND_PART);
    const email = (await app.store.load(caseId))?.state.vendors.find((v) => v.vendorId === SECOND_PART)?.contacts[0]?.email ?? '';
    await execute(app.deps, caseId, { type: 'manage-links', action: 'revoke', vendorId: SECOND_PART, email }, COORDINATOR);
    const before = (await wholeLog(app, caseId)).length;
    const core = app.store.rawItem(caseSnapshotKey(caseId));

    for (const a of ACTIONS) {
      const r = await vendorCall(app, caseId, token, a.method, a.path, a.body);
      expect(r.status, r.raw).toBe(404);
    }
    expect((await wholeLog(app, caseId)).length).toBe(before);
    expect(app.store.rawItem(caseSnapshotKey(caseId))).toEqual(core);
  });
});

describe('the workflow turn after a vendor’s change on a large case', () => {
  async function acknowledged(downstream = false) {
    const { app, caseId } = await largeCase(downstream);
    const token = await vendorToken(app, caseId, SECOND_PART);
    expect((await vendorCall(app, caseId, token, 'POST', '/vendor/cases/{caseId}/acknowledge', null)).status).toBe(202);
    return { app, caseId, token };
  }

  it('runs on the core, marks the event applied, and waits as long as the whole case says', async () => {
    const { app, caseId } = await acknowledged();
    const reads = countReads(app);

    const step = await wf.advance(app.deps, { caseId });

    expect(reads).toEqual({ loads: 0, slices: [[]] });
    const { folded, loaded } = await foldedAndLoaded(app, caseId);
    expect(loaded).toEqual(folded);
    expect(loaded.appliedSeq).toBe(loaded.version - 1);
    const r = routeOf(folded, app.deps.now());
    expect(step).toMatchObject({ route: r.route, waitSeconds: waitSecondsOf(folded, app.deps, r) });
    expect(nextDeadline(folded, app.deps.policy)).not.toBeNull();
    expect((await app.store.summary(caseId))?.entry).toEqual(queueFacts(folded, app.deps.policy));
  });

  it('tells the coordinators of a vendor’s message once, however often the turn runs', async () => {
    const { app, caseId } = await largeCase();
    const token = await vendorToken(app, caseId, LAST);
    const r = await vendorCall(app, caseId, token, 'POST', '/vendor/cases/{caseId}/messages', { kind: 'comment', body: 'Patch ready.' });
    expect(r.status, r.raw).toBe(202);
    const notices = () => app.mailer.sent.filter((m) => m.tags?.template === 'comment-received').length;
    const reads = countReads(app);

    await wf.advance(app.deps, { caseId });
    await wf.advance(app.deps, { caseId });

    expect(reads.loads).toBe(0);
    expect(notices()).toBe(app.deps.config.coordinatorEmails.length);
    expect(notices()).toBeGreaterThan(0);
    const { folded, loaded } = await foldedAndLoaded(app, caseId);
    expect(loaded).toEqual(folded);
  });

  it('reads the whole case to alert a downstream vendor the acknowledgement releases', async () => {
    const { app, caseId } = await acknowledged(true);
    const reads = countReads(app);

    await wf.advance(app.deps, { caseId });

    expect(reads.loads).toBeGreaterThan(0);
    const { loaded } = await foldedAndLoaded(app, caseId);
    expect(loaded.vendors.find((v) => v.vendorId === LAST)?.firstContactAt).not.toBeNull();
  });

  it('reads the whole case before a record a slice cannot decide, and writes it there', async () => {
    const { app, caseId } = await acknowledged();
    const { writes, core } = await writesOnCore(app, caseId);
    // A reminder reads its vendor: the held records are written, and the whole case read.
    const r = await writes.hold({ type: 'send-reminder', kind: 'statement', vendorId: LAST }, SYSTEM_ACTOR, decide);
    await writes.flush();

    expect(r.state.sliceFacts).toBeUndefined();
    const { folded, loaded } = await foldedAndLoaded(app, caseId);
    expect(loaded).toEqual(folded);
    expect(loaded.appliedSeq).toBe(core.version);
    expect(loaded.vendors.find((v) => v.vendorId === LAST)?.statementReminderAt).not.toBeNull();
  });

  it('reads the whole case when a deadline fell due, and acts on it', async () => {
    const { app, caseId } = await acknowledged();
    const due = nextDeadline((await app.store.load(caseId))?.state as CaseState, app.deps.policy);
    if (!due) throw new Error('no deadline');
    app.clock.set(due.at);
    const reads = countReads(app);

    await wf.advance(app.deps, { caseId });

    expect(reads.loads).toBeGreaterThan(0);
    const { folded, loaded } = await foldedAndLoaded(app, caseId);
    expect(loaded).toEqual(folded);
    expect(nextDeadline(folded, app.deps.policy)?.at).not.toBe(due.at);
  });

  it('reads the whole case after a change of the vendor schedule, rather than the facts computed under the old one', async () => {
    const { app, caseId } = await largeCase();
    await settle(app, caseId);
    const redeployed = { ...app.deps, policy: { ...app.deps.policy, reminderDays: app.deps.policy.reminderDays + 1 } };
    const reads = countReads(app);

    await wf.advance(redeployed, { caseId });

    expect(reads.loads).toBeGreaterThan(0);
  });

  it('acts on a deadline that falls due while it runs on the core in the next turn, on the whole case', async () => {
    // A vendor's message a moment before a reminder round, and the clock moving while the
    // coordinators are told: the round is not run on the core (it needs the vendors and the record of mail sent).
    const { app, caseId } = await largeCase();
    await settle(app, caseId);
    const due = nextDeadline((await app.store.load(caseId))?.state as CaseState, app.deps.policy);
    if (!due?.vendorId) throw new Error('no vendor deadline');
    app.clock.set(new Date(Date.parse(due.at) - 500).toISOString());
    const token = await vendorToken(app, caseId, 'vendor-1');
    expect(
      (await vendorCall(app, caseId, token, 'POST', '/vendor/cases/{caseId}/messages', { kind: 'comment', body: 'Any news?' })).status,
    ).toBe(202);
    clockJumpsOnSend(app, due.at);
    const reminders = () => app.mailer.sent.filter((m) => m.tags?.template === 'vendor-reminder').length;

    const first = await wf.advance(app.deps, { caseId });
    expect(reminders()).toBe(0);
    // Back in a second, for the whole case.
    expect(first).toMatchObject({ waitSeconds: 1 });
    await wf.advance(app.deps, { caseId });

    expect(reminders()).toBeGreaterThan(0);
    const { folded, loaded } = await foldedAndLoaded(app, caseId);
    expect(loaded).toEqual(folded);
  });

  it('leaves a vendor’s digest that falls due while it runs on the core for the next turn, which mails it', async () => {
    const { app, caseId } = await largeCase();
    await settle(app, caseId);
    const { address, due } = await aDigestWaiting(app, caseId, LAST);
    app.clock.set(new Date(Date.parse(due) - 500).toISOString());
    const token = await vendorToken(app, caseId, 'vendor-1');
    expect(
      (await vendorCall(app, caseId, token, 'POST', '/vendor/cases/{caseId}/messages', { kind: 'comment', body: 'hello' })).status,
    ).toBe(202);
    clockJumpsOnSend(app, due);
    const digests = () => app.mailer.sent.filter((m) => m.tags?.template === 'message-digest' && m.to.includes(address)).length;

    await wf.advance(app.deps, { caseId });
    expect(digests()).toBe(0);
    await wf.advance(app.deps, { caseId });

    expect(digests()).toBe(1);
    const log = await wholeLog(app, caseId);
    expect(log.filter((e) => e.type === 'digest-sent')).toEqual([expect.objectContaining({ address, delivered: true })]);
  });

  it('keeps the records of a turn on a slice when their write fails, for the turn’s last write', async () => {
    const { app, caseId } = await acknowledged();
    const { writes, core } = await writesOnCore(app, caseId);
    app.store.appendToSlice = async (slice) => {
      throw new SliceTooNarrowError(slice.caseId);
    };
    const append = app.store.append.bind(app.store);
    let failed = false;
    app.store.append = async (...args) => {
      if (!failed) {
        failed = true;
        throw new Error('throttled');
      }
      return append(...args);
    };

    await expect(writes.flush()).rejects.toThrow('throttled');
    expect(writes.waiting).toBe(1);
    await writes.flush();

    expect(writes.waiting).toBe(0);
    expect((await app.store.load(caseId))?.state.appliedSeq).toBe(core.version);
  });
});
