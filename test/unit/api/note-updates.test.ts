// Updates of a published note over HTTP: the coordinator's approval starts the update's own
// execution (once, however often it is sent); hostile or empty approvals get a 4xx and write
// nothing; a vendor's change after publication is an update request, a few a day, that touches
// neither the note nor another vendor's part.
import { beforeEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../../functions/adapters/errors.js';
import { execute } from '../../../functions/app/commands.js';
import { buildDocuments } from '../../../functions/domain/publication/index.js';
import { noteRevisions } from '../../../functions/domain/note-revisions.js';
import type { CaseState } from '../../../functions/domain/index.js';
import { type World, aWorld, snapshot } from '../../builders/api-world.js';
import { COORDINATOR, SYSTEM } from '../../builders/case.js';
import { call } from '../../builders/http.js';

let w: World;
beforeEach(async () => {
  w = await aWorld('draft-review');
  await execute(w.app.deps, w.a, { type: 'decide-publication', decision: 'approve' }, COORDINATOR);
  const s = (await w.app.store.load(w.a))!.state;
  w.app.clock.set(s.publication.publishAt!);
  await execute(w.app.deps, w.a, { type: 'publish', noteId: w.a }, SYSTEM);
  // The first release is out (NotifyPublished records it after its e-mail).
  await execute(w.app.deps, w.a, { type: 'release-note-update', noteRevision: 1 }, SYSTEM);
});

const state = async (): Promise<CaseState> => (await w.app.store.load(w.a))!.state;
const publication = (body: unknown, caller = w.callers.coordinator) =>
  call(w.app.deps, 'POST', '/cases/{caseId}/publication', { params: { caseId: w.a }, caller, body });
const status = (body: unknown, caller = w.callers.vendorOfCase) =>
  call(w.app.deps, 'PUT', '/vendor/cases/{caseId}/status', { params: { caseId: w.a }, caller, body });
const editDraft = () =>
  call(w.app.deps, 'PUT', '/cases/{caseId}/draft', {
    params: { caseId: w.a },
    caller: w.callers.coordinator,
    body: { markdown: '# Draft\n\n## Overview\n\nA bug, now fixed.\n' },
  });
const publicMarkdown = (s: CaseState) =>
  buildDocuments(s, {
    ...w.app.deps.publication,
    noteId: w.a,
    publishedAt: s.published!.at,
    revision: s.published!.revision,
    revisions: noteRevisions(s),
  }).markdown;

describe('POST /cases/{caseId}/publication in phase published', () => {
  it('publishes the edited draft as revision 2 and starts its execution once, however often it is sent', async () => {
    expect((await editDraft()).status).toBe(202);
    const r = await publication({ decision: 'approve', changeSummary: 'The fix is out.' });
    expect(r.status, r.raw).toBe(202);
    expect((await state()).published?.updates).toEqual([expect.objectContaining({ noteRevision: 2, changeSummary: 'The fix is out.' })]);
    const updates = () => w.app.signals.started.filter((x) => x.name.includes('-note-'));
    expect(updates()).toEqual([{ name: `${w.a}-note-2`, input: { caseId: w.a } }]);
    // A retry (the answer was lost): nothing appended, the execution not started again.
    const before = (await state()).version;
    const again = await publication({ decision: 'approve', changeSummary: 'The fix is out.' });
    expect(again.status).toBe(202);
    expect((await state()).version).toBe(before);
    expect(updates()).toHaveLength(1);
    const view = await call(w.app.deps, 'GET', '/cases/{caseId}', { params: { caseId: w.a }, caller: w.callers.coordinator });
    expect((view.body as { noteRevisions: unknown[] }).noteRevisions).toHaveLength(2);
  });

  it('recovers when the execution could not be started: the same approval again starts it, with no second revision', async () => {
    await editDraft();
    const start = w.app.signals.start.bind(w.app.signals);
    let down = true;
    w.app.signals.start = async (name, input) => {
      if (down) throw new TransientError('Step Functions could not start the execution now');
      return start(name, input);
    };
    const failed = await publication({ decision: 'approve', changeSummary: 'The fix is out.' });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    // The update is recorded; its execution is not.
    expect((await state()).published?.updates).toHaveLength(1);
    expect(w.app.signals.started.filter((x) => x.name.includes('-note-'))).toEqual([]);
    down = false;
    const retried = await publication({ decision: 'approve', changeSummary: 'The fix is out.' });
    expect(retried.status, retried.raw).toBe(202);
    expect((await state()).published?.updates).toHaveLength(1);
    expect(w.app.signals.started.filter((x) => x.name.includes('-note-'))).toEqual([{ name: `${w.a}-note-2`, input: { caseId: w.a } }]);
  });

  const HOSTILE: [string, unknown, number][] = [
    ['a change line with a newline', { decision: 'approve', changeSummary: 'one\ntwo' }, 400],
    ['a change line with a bidirectional override', { decision: 'approve', changeSummary: 'fixed \u202eevil' }, 400],
    ['a change line with a C1 control', { decision: 'approve', changeSummary: 'fixed\u0085' }, 400],
    ['an over-long change line', { decision: 'approve', changeSummary: 'x'.repeat(201) }, 400],
    ['a change line that is not text', { decision: 'approve', changeSummary: { html: '<b>' } }, 400],
    ['acceptUpdates that is not a list', { decision: 'approve', acceptUpdates: 'vendor-1' }, 400],
    ['acceptUpdates naming an unknown vendor', { decision: 'approve', acceptUpdates: ['<script>alert(1)</script>'] }, 400],
    ['acceptUpdates naming a vendor with nothing pending', { decision: 'approve', acceptUpdates: ['vendor-1'] }, 400],
    ['too many acceptUpdates', { decision: 'approve', acceptUpdates: Array.from({ length: 101 }, (_, i) => `vendor-${i}`) }, 400],
    ['a publication date', { decision: 'approve', publishAt: '2030-01-01T00:00:00Z' }, 400],
    ['a revise decision', { decision: 'revise' }, 409],
    ['an approval with nothing new', { decision: 'approve' }, 409],
  ];
  it.each(HOSTILE)('refuses %s and writes nothing', async (_name, body, code) => {
    const before = await snapshot(w.app, [w.a, w.b]);
    const r = await publication(body);
    expect(r.status, r.raw).toBe(code);
    expect(r.headers['content-type']).toBe('application/problem+json');
    expect(r.raw).not.toMatch(/[<>]/);
    expect(await snapshot(w.app, [w.a, w.b])).toEqual(before);
  });

  it('is not for reporters or vendors', async () => {
    await editDraft();
    const before = await snapshot(w.app, [w.a, w.b]);
    for (const caller of [w.callers.vendorOfCase, w.callers.reporterOfCase, w.callers.anonymous])
      expect([401, 403, 404]).toContain((await publication({ decision: 'approve' }, caller)).status);
    expect(await snapshot(w.app, [w.a, w.b])).toEqual(before);
  });
});

describe("a vendor's change after publication", () => {
  it('is an update request: the note and the other vendor stay as published until a coordinator accepts it', async () => {
    const note = publicMarkdown(await state());
    const beta = (await state()).vendors.find((v) => v.vendorId === 'vendor-2')!.approved;
    const hostile = '<script>alert(1)</script> **Fixed** in [2.0](javascript:alert(1))';
    const r = await status({ vulnerabilities: [{ id: 'vul-1', status: 'affected' }], fixReady: true, statement: hostile });
    expect(r.status, r.raw).toBe(202);
    expect(publicMarkdown(await state())).toBe(note);
    const view = await call(w.app.deps, 'GET', '/cases/{caseId}', { params: { caseId: w.a }, caller: w.callers.coordinator });
    const requests = (view.body as { updateRequests: { vendorId: string; proposed: { statement: string } }[] }).updateRequests;
    expect(requests.map((x) => x.vendorId)).toEqual(['vendor-1']);
    expect(requests[0]!.proposed.statement).toBe(hostile);
    // The other vendor cannot take it in, or publish anything.
    expect((await publication({ decision: 'approve', acceptUpdates: ['vendor-1'] }, w.callers.otherVendorOnCase)).status).not.toBe(202);

    const accepted = await publication({ decision: 'approve', acceptUpdates: ['vendor-1'], changeSummary: 'Vendor statement updated.' });
    expect(accepted.status, accepted.raw).toBe(202);
    const s = await state();
    const md = publicMarkdown(s);
    expect(md).toContain('\\<script\\>alert\\(1\\)\\</script\\>');
    expect(md).not.toContain('<script>');
    expect(s.vendors.find((v) => v.vendorId === 'vendor-2')!.approved).toEqual(beta);
  });

  it('is limited to five a day per vendor: then 429 with Retry-After, nothing written', async () => {
    for (let i = 0; i < 5; i++) expect((await status({ statement: `Statement ${i}` })).status).toBe(202);
    const before = await snapshot(w.app, [w.a, w.b]);
    const r = await status({ statement: 'one more' });
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toMatch(/^\d+$/);
    expect((r.body as { limit: string }).limit).toBe('update-requests-per-day');
    expect(await snapshot(w.app, [w.a, w.b])).toEqual(before);
    // The other vendor has its own allowance; the next day the first one has again.
    expect((await status({ statement: 'Beta here' }, w.callers.otherVendorOnCase)).status).toBe(202);
    w.app.clock.advanceDays(1);
    expect((await status({ statement: 'next day' })).status).toBe(202);
  });
});

describe('participant links after publication', () => {
  const vendorView = () => call(w.app.deps, 'GET', '/vendor/cases/{caseId}', { params: { caseId: w.a }, caller: w.callers.vendorOfCase });

  it('stay open 30 days after the latest update of the note, so vendors can ask for the next one', async () => {
    w.app.clock.advanceDays(25);
    expect((await editDraft()).status).toBe(202);
    expect((await publication({ decision: 'approve', changeSummary: 'Fixed versions added.' })).status).toBe(202);
    // 50 days after the first release, 25 after the update: still open.
    w.app.clock.advanceDays(25);
    expect((await vendorView()).status).toBe(200);
    w.app.clock.advanceDays(6);
    expect((await vendorView()).status).toBe(404);
  });

  it('count a link issued after the end from its issue, so a coordinator can always let a participant back in', async () => {
    const { grantExpiry } = await import('../../../functions/app/api/auth.js');
    const s = await state();
    const at = s.published!.at;
    const grant = { tokenHash: 'x', caseId: w.a, role: 'vendor' as const, participantId: 'vendor-1', generation: 2 };
    const later = new Date(Date.parse(at) + 90 * 86_400_000).toISOString();
    expect(grantExpiry({ ...grant, createdAt: at }, s)).toBe(new Date(Date.parse(at) + 30 * 86_400_000).toISOString());
    expect(grantExpiry({ ...grant, createdAt: later }, s)).toBe(new Date(Date.parse(later) + 30 * 86_400_000).toISOString());
    // A grant's own earlier expiry still wins.
    expect(grantExpiry({ ...grant, createdAt: later, expiresAt: at }, s)).toBe(at);
  });
});
