// A published note updated: a new revision in the note, the CSAF revision history and the CVE
// records, each document still valid (BSI validator with its mandatory tests, OASIS and CVE
// schemas); the update's steps retried after a failure publish it once.
import { describe, expect, it } from 'vitest';
import { MemoryCveServices } from '../../../functions/adapters/cve-services.js';
import { MemoryNoteStore, type PublishedNote } from '../../../functions/adapters/note-store.js';
import { TransientError } from '../../../functions/adapters/errors.js';
import { publishDocuments, publishCveRecordsFor, servePublic, type PublicationConfig } from '../../../functions/app/publication.js';
import { publishNote } from '../../../functions/app/publication-steps.js';
import { notifyPublished, routeOf } from '../../../functions/app/workflow.js';
import { publishCveRecords } from '../../../functions/app/cve-ids.js';
import { execute } from '../../../functions/app/commands.js';
import * as msg from '../../../functions/domain/messages.js';
import { noteRevisions, pendingVendorUpdates } from '../../../functions/domain/note-revisions.js';
import { buildCsafVex, buildDocuments } from '../../../functions/domain/publication/index.js';
import type { CaseState } from '../../../functions/domain/index.js';
import { aTestApp } from '../../builders/app.js';
import { type CaseBuilder, COORDINATOR, SYSTEM, vendorActor } from '../../builders/case.js';
import { OPTIONS, optionsFor, singleVendorFixed } from './published-cases.js';
import { validateCsaf, validateCveContainer, validateOsv } from './validators.js';

const CONFIG: PublicationConfig = { ...OPTIONS, osvPrefix: 'CVD', cveMode: 'pool', requireCveIds: true };

/** Edits the draft of the published case and approves it as an update. */
function updated(b: CaseBuilder, summary?: string, days = 10): CaseBuilder {
  // The previous revision went out (the workflow's NotifyPublished records it).
  const out = b.state.published?.updates?.at(-1)?.noteRevision ?? 1;
  if ((b.state.published?.releasedRevision ?? 1) < out || b.state.published?.releasedRevision === 0)
    b.run({ type: 'release-note-update', noteRevision: out }, SYSTEM);
  b.laterDays(days);
  const latest = b.state.draft.revisions.at(-1)?.markdown ?? '';
  b.run({ type: 'revise-draft', markdown: `${latest}\n\nUpdated ${b.now}.\n` }, COORDINATOR);
  return b.run({ type: 'decide-publication', decision: 'approve', ...(summary ? { changeSummary: summary } : {}) }, COORDINATOR);
}

const docsOf = (s: CaseState) => buildDocuments(s, { ...optionsFor(s), revision: s.published?.revision ?? 0, revisions: noteRevisions(s) });

async function expectValid(s: CaseState) {
  const d = docsOf(s);
  const csaf = await validateCsaf(d.csaf);
  expect(csaf.errors).toEqual([]);
  const vex = await validateCsaf(buildCsafVex(s, { ...optionsFor(s), revisions: noteRevisions(s) }));
  expect(vex.errors).toEqual([]);
  for (const r of d.cveRecords) expect(validateCveContainer(r.cnaContainer).errors).toEqual([]);
  return d;
}

async function seeded(b: CaseBuilder) {
  const app = aTestApp();
  await app.store.append(
    b.caseId,
    0,
    b.events.map(({ seq: _seq, ...e }) => e),
  );
  app.clock.set(b.now);
  app.deps.publication = CONFIG;
  return app;
}

describe('a published note updated twice', () => {
  it('grows the CSAF version and revision history, moves current_release_date, keeps initial_release_date: valid each time', async () => {
    const b = singleVendorFixed();
    const first = b.state.published!.at;
    const d1 = await expectValid(b.state);
    expect(d1.csaf.document.tracking).toMatchObject({ version: '1', initial_release_date: first, current_release_date: first });

    updated(b, 'Added the fixed version 4.2.3.');
    const second = b.state.published!.updates![0]!.at;
    const d2 = await expectValid(b.state);
    expect(d2.csaf.document.tracking).toMatchObject({ version: '2', initial_release_date: first, current_release_date: second });

    updated(b);
    const third = b.state.published!.updates![1]!.at;
    const d3 = await expectValid(b.state);
    const t = d3.csaf.document.tracking;
    expect(t).toMatchObject({ version: '3', initial_release_date: first, current_release_date: third });
    expect(t.revision_history).toEqual([
      { number: '1', date: first, summary: 'Initial public release.' },
      { number: '2', date: second, summary: 'Added the fixed version 4.2.3.' },
      { number: '3', date: third, summary: 'Updated the note.' },
    ]);
    // The VEX document follows the advisory's tracking.
    const vex = buildCsafVex(b.state, { ...optionsFor(b.state), revisions: noteRevisions(b.state) });
    expect(vex.document.tracking.version).toBe('3');
    expect(vex.document.tracking.revision_history).toHaveLength(3);
    // The vulnerabilities keep their first release date; the note shows both change lines and the latest draft.
    expect(d3.csaf.vulnerabilities.every((v) => v.release_date === first)).toBe(true);
    expect(d3.markdown).toContain(`- Updated: ${second.slice(0, 10)} (revision 2): Added the fixed version 4\\.2\\.3\\.`);
    expect(d3.markdown).toContain(`- Updated: ${third.slice(0, 10)} (revision 3): Updated the note\\.`);
    expect(d3.markdown).toContain(`Updated ${third}`);
    expect(d3.html).toContain('(revision 2): Added the fixed version 4.2.3.');
    expect(d3.html).toContain(`updated <time datetime="${third}">`);
    expect(d3.cveRecords[0]!.cnaContainer.providerMetadata.dateUpdated).toBe(third);
    expect(d1.cveRecords[0]!.cnaContainer.providerMetadata.dateUpdated).toBeUndefined();
    // OSV: modified moves, published stays; still valid.
    expect(d3.osv[0]).toMatchObject({ published: first, modified: third });
    for (const r of d3.osv) expect(validateOsv(r).errors).toEqual([]);
  });

  it('keeps a hostile change line as data: escaped in the note, valid in CSAF', async () => {
    const b = singleVendorFixed();
    updated(b, '<img src=x onerror=alert(1)> [click](javascript:alert(1)) **bold**');
    const d = await expectValid(b.state);
    expect(d.html).not.toMatch(/<img|href="javascript|<strong>bold/);
    expect(d.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(d.csaf.document.tracking.revision_history[1]!.summary).toBe(
      '<img src=x onerror=alert(1)> [click](javascript:alert(1)) **bold**',
    );
    // The coordinators' mail carries the line as text; participants' minimal mail not at all; no subject carries it.
    const line = d.csaf.document.tracking.revision_history[1]!.summary;
    const url = 'https://cvd.example/notes/VU%23100001.html';
    const toCoordinators = msg.noteUpdatedToCoordinators(b.state, ['coord@cert.example'], url, 2, line);
    expect(toCoordinators.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(toCoordinators.html).not.toContain('<img');
    const toVendor = msg.noteUpdated(b.state, { to: 'psirt@acme.example', link: null, detail: 'minimal' }, url, 2, line);
    expect(toVendor.text).not.toContain('onerror');
    expect(toVendor.text).toContain(url);
    for (const m of [toCoordinators, toVendor]) expect(m.subject).toBe(`[${b.caseId}] The vulnerability note is updated`);
  });
});

describe("a vendor's change after publication", () => {
  it('changes nothing published until a coordinator accepts it into the next revision, and only that vendor', async () => {
    const b = singleVendorFixed();
    const before = docsOf(b.state);
    b.laterDays(3);
    b.run(
      { type: 'update-vendor-status', statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }], statement: 'Fixed in 4.2.3 too.' },
      vendorActor('vendor-1'),
    );
    // Recorded as a request the coordinator sees; the documents still show the approved part.
    expect(pendingVendorUpdates(b.state)).toEqual([
      expect.objectContaining({
        vendorId: 'vendor-1',
        since: b.now,
        proposed: expect.objectContaining({ statement: 'Fixed in 4.2.3 too.' }),
        published: expect.objectContaining({ statement: 'We fixed this in 4.2.2. Upgrade now.' }),
      }),
    ]);
    const still = docsOf(b.state);
    expect(still.markdown).toBe(before.markdown);
    expect(still.csaf).toEqual(before.csaf);

    b.laterDays(1);
    b.run({ type: 'release-note-update', noteRevision: 1 }, SYSTEM);
    b.run(
      { type: 'decide-publication', decision: 'approve', acceptUpdates: ['vendor-1'], changeSummary: 'New vendor statement.' },
      COORDINATOR,
    );
    expect(pendingVendorUpdates(b.state)).toEqual([]);
    const after = await expectValid(b.state);
    expect(after.markdown).toContain('Fixed in 4\\.2\\.3 too\\.');
    expect(after.markdown).not.toContain('We fixed this in 4\\.2\\.2');
    expect(after.csaf.document.tracking.version).toBe('2');
  });
});

describe('CVE records of an update, in each mode', () => {
  it('cve-services: the first release publishes the records, an update sends the update call with the new container', async () => {
    const b = singleVendorFixed();
    const app = await seeded(b);
    const cve = new MemoryCveServices();
    cve.reserved.push('CVE-2026-10001');
    app.deps.cveServices = cve;
    await publishDocuments(app.deps, b.state, CONFIG);
    expect(await publishCveRecordsFor(app.deps, b.state)).toEqual(['CVE-2026-10001']);
    expect(cve.updates).toEqual([]);

    updated(b, 'Added the fixed version.');
    await publishDocuments(app.deps, b.state, CONFIG);
    expect(await publishCveRecordsFor(app.deps, b.state)).toEqual(['CVE-2026-10001']);
    expect(cve.updates).toHaveLength(1);
    const sent = cve.updates[0]!.cnaContainer as { providerMetadata: { dateUpdated?: string } };
    expect(sent.providerMetadata.dateUpdated).toBe(b.state.published!.updates![0]!.at);
    expect(validateCveContainer(sent).errors).toEqual([]);
  });

  for (const mode of ['pool', 'manual'] as const)
    it(`${mode}: the record file served with the note says dateUpdated once the note is updated`, async () => {
      const b = singleVendorFixed();
      const notes = new MemoryNoteStore();
      const config = { ...CONFIG, cveMode: mode, requireCveIds: mode === 'pool' };
      const publicDeps = {
        notes,
        config: { publicBaseUrl: OPTIONS.publicBaseUrl, coordinatorName: OPTIONS.coordinatorName, coordinatorEmails: [] },
        now: () => b.now,
      };
      const record = async () => {
        const r = await servePublic(publicDeps, {
          route: '/notes/{id}/cve/{cveId}',
          params: { id: b.state.published!.noteId, cveId: 'CVE-2026-10001.json' },
          query: {},
          headers: {},
        });
        expect(r.status).toBe(200);
        return JSON.parse(r.body) as { cveMetadata: Record<string, string>; containers: { cna: object } };
      };
      await publishDocuments({ notes }, b.state, config);
      expect((await record()).cveMetadata.dateUpdated).toBeUndefined();
      updated(b);
      await publishDocuments({ notes }, b.state, config);
      const r = await record();
      const at = b.state.published!.updates![0]!.at;
      expect(r.cveMetadata).toMatchObject({ datePublished: b.state.published!.at, dateUpdated: at });
      expect(validateCveContainer(r.containers.cna).errors).toEqual([]);
      expect((r.containers.cna as { providerMetadata: { dateUpdated: string } }).providerMetadata.dateUpdated).toBe(at);
    });
});

/** A note store whose next `failures` writes fail as a throttled DynamoDB would. */
class FlakyNotes extends MemoryNoteStore {
  constructor(public failures: number) {
    super();
  }
  override async put(note: PublishedNote): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new TransientError('the note store is throttled');
    }
    return super.put(note);
  }
}

describe("the update's steps recover", () => {
  it('a note write that fails once is retried: one new revision, the records updated once, everyone told once', async () => {
    const b = singleVendorFixed();
    const app = await seeded(b);
    const notes = new FlakyNotes(0);
    app.deps.notes = notes;
    const cve = new MemoryCveServices();
    cve.reserved.push('CVE-2026-10001');
    app.deps.cveServices = cve;
    await publishNote(app.deps, { caseId: b.caseId });
    await publishCveRecords(app.deps, { caseId: b.caseId });
    await notifyPublished(app.deps, { caseId: b.caseId });
    const mailsBefore = app.mailer.sent.length;

    app.clock.advanceDays(10);
    await execute(app.deps, b.caseId, { type: 'revise-draft', markdown: '# Draft\n\nNow with a fix.\n' }, COORDINATOR);
    const approved = await execute(
      app.deps,
      b.caseId,
      { type: 'decide-publication', decision: 'approve', changeSummary: 'A fix.' },
      COORDINATOR,
    );
    expect(routeOf(approved.state, app.clock.now).route).toBe('update-note');

    notes.failures = 1;
    await expect(publishNote(app.deps, { caseId: b.caseId })).rejects.toThrow(TransientError);
    // The workflow's retry: the same step again.
    await publishNote(app.deps, { caseId: b.caseId });
    await publishNote(app.deps, { caseId: b.caseId });
    const note = (await notes.get(b.state.published!.noteId))!;
    expect(note.noteRevision).toBe(2);
    expect(note.csaf.document.tracking.revision_history).toHaveLength(2);
    expect(note.markdown).toContain('Now with a fix');

    // CVE Services fails once: the retried step sends the update again, nothing else.
    const update = cve.updateCnaContainer.bind(cve);
    let failOnce = true;
    cve.updateCnaContainer = async (id, c) => {
      if (failOnce) {
        failOnce = false;
        throw new TransientError('CVE Services is busy');
      }
      return update(id, c);
    };
    await expect(publishCveRecords(app.deps, { caseId: b.caseId })).rejects.toThrow(TransientError);
    await publishCveRecords(app.deps, { caseId: b.caseId });
    expect(cve.updates).toHaveLength(1);

    // Told once, even when the step runs twice; then the update is out and the route says so.
    const first = await notifyPublished(app.deps, { caseId: b.caseId });
    await notifyPublished(app.deps, { caseId: b.caseId });
    const sent = app.mailer.sent.slice(mailsBefore);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.every((m) => m.subject.endsWith('The vulnerability note is updated'))).toBe(true);
    expect(new Set(sent.flatMap((m) => m.to)).size).toBe(sent.flatMap((m) => m.to).length);
    expect(sent.flatMap((m) => m.to)).toEqual(expect.arrayContaining(['coord@cert.example']));
    expect(sent.some((m) => m.to.some((t) => t !== 'coord@cert.example'))).toBe(true);
    for (const m of sent) {
      expect(m.subject).not.toContain('A fix');
      expect(m.text).toContain('https://cvd.example/notes/');
    }
    expect(first.phase).toBe('published');
    const { state } = (await app.store.load(b.caseId))!;
    expect(state.published?.updates).toHaveLength(1);
    expect(state.published?.releasedRevision).toBe(2);
    expect(routeOf(state, app.clock.now).route).toBe('published');
  });
});
