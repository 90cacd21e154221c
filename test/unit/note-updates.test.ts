// Updating a published note (docs/workflow.md, "Updates after publication"): the decision in every
// phase, the refusals, the in-flight and blocked cases, the route the workflow takes, and vendors'
// changes after publication as update requests.
import { describe, expect, it } from 'vitest';
import { routeOf } from '../../functions/app/workflow.js';
import { type Command, decide } from '../../functions/domain/decide.js';
import { DomainError } from '../../functions/domain/errors.js';
import { DEFAULT_POLICY, type Phase } from '../../functions/domain/index.js';
import {
  MAX_UPDATE_REQUESTS_PER_DAY,
  noteRevisions,
  pendingVendorUpdates,
  unreleasedUpdate,
  updateRequestsToday,
} from '../../functions/domain/note-revisions.js';
import { COORDINATOR, REPORTER, SYSTEM, aCase, aReport, vendorActor } from '../builders/case.js';

const APPROVE: Command = { type: 'decide-publication', decision: 'approve' };

/** Published, and the first release out (NotifyPublished records it after its e-mail). */
const released = () => aCase().published().run({ type: 'release-note-update', noteRevision: 1 }, SYSTEM);

/** A published case whose draft has a new revision. */
const editedAfterPublication = () =>
  released().laterDays(5).run({ type: 'revise-draft', markdown: '# Draft\n\nA fix is out.' }, COORDINATOR);

const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('the update decision', () => {
  it('approves the latest draft of a published case as revision 2, with a dated change line (default when absent)', () => {
    const b = editedAfterPublication();
    const events = decide(
      b.state,
      { ...APPROVE, changeSummary: '  Fix released.  ' },
      { now: b.now, actor: COORDINATOR, policy: DEFAULT_POLICY },
    );
    expect(events).toEqual([
      expect.objectContaining({
        type: 'note-updated',
        noteRevision: 2,
        draftRevision: 2,
        changeSummary: 'Fix released.',
        acceptedVendorIds: [],
      }),
    ]);
    b.run(APPROVE, COORDINATOR);
    expect(b.state.phase).toBe('published');
    expect(b.state.published).toMatchObject({ revision: 2, updates: [{ noteRevision: 2, changeSummary: 'Updated the note.', at: b.now }] });
    expect(noteRevisions(b.state).map((r) => r.number)).toEqual([1, 2]);
    expect(routeOf(b.state, b.now).route).toBe('update-note');
    b.run({ type: 'release-note-update', noteRevision: 2 }, SYSTEM);
    expect(unreleasedUpdate(b.state)).toBeNull();
    expect(routeOf(b.state, b.now).route).toBe('published');
    // Releasing twice changes nothing.
    expect(
      decide(b.state, { type: 'release-note-update', noteRevision: 2 }, { now: b.now, actor: SYSTEM, policy: DEFAULT_POLICY }),
    ).toEqual([]);
  });

  it('is refused in every phase but published for changeSummary or acceptUpdates, and before publication works as before', () => {
    const phases: [Phase, () => ReturnType<typeof aCase>][] = [
      ['draft-review', () => aCase().drafted()],
      ['publication', () => aCase().approved()],
    ];
    for (const [phase, build] of phases) {
      const b = build();
      expect(b.state.phase).toBe(phase);
      for (const extra of [{ changeSummary: 'x' }, { acceptUpdates: ['vendor-1'] }])
        expect(
          refusal(() => decide(b.state, { ...APPROVE, ...extra }, { now: b.now, actor: COORDINATOR, policy: DEFAULT_POLICY })).code,
        ).toBe('InvalidCommand');
    }
    for (const b of [
      aCase().embargoed(),
      aCase().submitted(aReport()),
      aCase().embargoed().run({ type: 'close-case', reason: 'r' }, COORDINATOR),
    ])
      expect(refusal(() => decide(b.state, APPROVE, { now: b.now, actor: COORDINATOR, policy: DEFAULT_POLICY })).code).toBe(
        'InvalidTransition',
      );
  });

  it('refuses in phase published: revise and do-not-publish (409), publishAt (400), nothing new (409), a reporter or vendor (403)', () => {
    const published = released();
    const ctx = { now: published.now, actor: COORDINATOR, policy: DEFAULT_POLICY };
    expect(refusal(() => decide(published.state, APPROVE, ctx)).code).toBe('InvalidTransition');
    const edited = editedAfterPublication();
    const ctx2 = { ...ctx, now: edited.now };
    expect(refusal(() => decide(edited.state, { type: 'decide-publication', decision: 'revise' }, ctx2)).code).toBe('InvalidTransition');
    expect(refusal(() => decide(edited.state, { type: 'decide-publication', decision: 'do-not-publish', reason: 'r' }, ctx2)).code).toBe(
      'InvalidTransition',
    );
    expect(refusal(() => decide(edited.state, { ...APPROVE, publishAt: '2030-01-01T00:00:00Z' }, ctx2)).code).toBe('InvalidCommand');
    for (const actor of [REPORTER, vendorActor('vendor-1')])
      expect(refusal(() => decide(edited.state, APPROVE, { ...ctx2, actor })).code).toBe('NotAllowed');
  });

  it('refuses hostile change lines and unknown or unchanged vendors (400)', () => {
    const b = editedAfterPublication();
    const ctx = { now: b.now, actor: COORDINATOR, policy: DEFAULT_POLICY };
    for (const changeSummary of ['a\nb', 'x\u202eevil', 'bell\u0007', 'c1\u0085', 'x'.repeat(201)])
      expect(refusal(() => decide(b.state, { ...APPROVE, changeSummary }, ctx)).code).toBe('InvalidCommand');
    for (const acceptUpdates of [['vendor-99'], ['vendor-1']])
      expect(refusal(() => decide(b.state, { ...APPROVE, acceptUpdates }, ctx)).code).toBe('InvalidCommand');
  });

  it('answers a repeated approval while the update goes out with nothing; a different one waits; a blocked one is replaced', () => {
    const b = editedAfterPublication().run(APPROVE, COORDINATOR);
    const ctx = { now: b.now, actor: COORDINATOR, policy: DEFAULT_POLICY };
    expect(decide(b.state, APPROVE, ctx)).toEqual([]);
    // Another change line is another approval: it waits.
    expect(refusal(() => decide(b.state, { ...APPROVE, changeSummary: 'Other words.' }, ctx)).code).toBe('InvalidTransition');
    b.run({ type: 'revise-draft', markdown: '# Draft\n\nAnd more.' }, COORDINATOR);
    expect(refusal(() => decide(b.state, APPROVE, ctx)).code).toBe('InvalidTransition');
    // The update's execution is blocked (say, a document no longer fits): the new approval replaces revision 2.
    b.run({ type: 'block', error: 'PublicationBlocked', cause: 'too large' }, SYSTEM);
    b.run({ ...APPROVE, changeSummary: 'Shorter.' }, COORDINATOR);
    expect(b.state.published?.updates).toEqual([expect.objectContaining({ noteRevision: 2, draftRevision: 3, changeSummary: 'Shorter.' })]);
  });
});

describe('the first release going out', () => {
  it('routes update-note until NotifyPublished records it, and no update may start before', () => {
    const b = aCase().published().laterDays(1).run({ type: 'revise-draft', markdown: '# Draft\n\nNew.' }, COORDINATOR);
    expect(b.state.published?.releasedRevision).toBe(0);
    expect(routeOf(b.state, b.now).route).toBe('update-note');
    expect(refusal(() => decide(b.state, APPROVE, { now: b.now, actor: COORDINATOR, policy: DEFAULT_POLICY })).code).toBe(
      'InvalidTransition',
    );
    b.run({ type: 'release-note-update', noteRevision: 1 }, SYSTEM);
    expect(routeOf(b.state, b.now).route).toBe('published');
    expect(decide(b.state, APPROVE, { now: b.now, actor: COORDINATOR, policy: DEFAULT_POLICY })).toHaveLength(1);
  });

  it('treats a note published before updates existed (no releasedRevision) as out', () => {
    const b = released();
    const old = { ...b.state, published: { noteId: b.state.published!.noteId, at: b.state.published!.at, revision: 1 } };
    expect(routeOf(old, b.now).route).toBe('published');
  });
});

describe("vendors' changes after publication", () => {
  const withStatement = () =>
    aCase()
      .embargoed()
      .run(
        { type: 'update-vendor-status', statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }], statement: 'Patch soon.' },
        vendorActor('vendor-1'),
      )
      .published()
      .run({ type: 'release-note-update', noteRevision: 1 }, SYSTEM);

  it("are recorded as the vendor's update request: the approved part stays, the request is listed with both", () => {
    const b = withStatement().laterDays(2);
    b.run({ type: 'update-vendor-status', statuses: [], fixReady: true, statement: 'Fixed in 2.0.' }, vendorActor('vendor-1'));
    const v = b.state.vendors[0]!;
    expect(v.approved?.statement).toBe('Patch soon.');
    expect(v.statement).toBe('Fixed in 2.0.');
    expect(pendingVendorUpdates(b.state)).toEqual([
      {
        vendorId: 'vendor-1',
        name: v.name,
        since: b.now,
        proposed: { statuses: { 'vul-1': 'affected' }, statement: 'Fixed in 2.0.', fixReady: true, fixDeployed: false, references: [] },
        published: { statuses: { 'vul-1': 'affected' }, statement: 'Patch soon.', fixReady: false, fixDeployed: false, references: [] },
      },
    ]);
    expect(updateRequestsToday(v, b.now)).toBe(1);
    expect(updateRequestsToday(v, '2099-01-01T00:00:00Z')).toBe(0);
    // Accepting it alone is an update (no draft edit needed); the request is then answered.
    b.run({ ...APPROVE, acceptUpdates: ['vendor-1', 'vendor-1'] }, COORDINATOR);
    expect(b.state.vendors[0]!.approved?.statement).toBe('Fixed in 2.0.');
    expect(b.state.published?.updates?.[0]?.noteRevision).toBe(2);
    expect(pendingVendorUpdates(b.state)).toEqual([]);
  });

  it('takes a new reference alone (the fixed release’s notes) as an update request, with both lists', () => {
    const b = withStatement().laterDays(1);
    const references = [{ url: 'https://acme.example/releases/2.0', kind: 'release-notes' as const }];
    b.run({ type: 'update-vendor-status', statuses: [], references }, vendorActor('vendor-1'));
    expect(pendingVendorUpdates(b.state)).toEqual([
      expect.objectContaining({
        proposed: expect.objectContaining({ references }),
        published: expect.objectContaining({ references: [] }),
      }),
    ]);
    b.run({ ...APPROVE, acceptUpdates: ['vendor-1'] }, COORDINATOR);
    expect(b.state.vendors[0]!.approved?.references).toEqual(references);
    expect(pendingVendorUpdates(b.state)).toEqual([]);
  });

  it('counts a change back to what the note shows as a request, but no longer lists it', () => {
    const b = withStatement().laterDays(1);
    b.run({ type: 'update-vendor-status', statuses: [], statement: 'Changed.' }, vendorActor('vendor-1'));
    expect(b.state.vendors[0]!.updateRequestedAt).toBe(b.now);
    b.laterDays(1).run({ type: 'update-vendor-status', statuses: [], statement: 'Patch soon.' }, vendorActor('vendor-1'));
    expect(b.state.vendors[0]!.updateRequestedAt).toBeNull();
    expect(pendingVendorUpdates(b.state)).toEqual([]);
    expect(b.state.vendors[0]!.updateRequests).toHaveLength(2);
  });

  it('keeps only the latest requests, enough to count a day past the limit', () => {
    const b = withStatement();
    for (let i = 0; i < 30; i++) b.run({ type: 'update-vendor-status', statuses: [], statement: `v${i}` }, vendorActor('vendor-1'));
    expect(b.state.vendors[0]!.updateRequests).toHaveLength(20);
    expect(updateRequestsToday(b.state.vendors[0]!, b.now)).toBeGreaterThan(MAX_UPDATE_REQUESTS_PER_DAY);
  });
});
