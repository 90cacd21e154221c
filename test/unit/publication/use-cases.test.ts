import { describe, expect, it } from 'vitest';
import { MemoryCvePool } from '../../../functions/adapters/cve-pool.js';
import { MemoryCveServices } from '../../../functions/adapters/cve-services.js';
import { MemoryNoteStore } from '../../../functions/adapters/note-store.js';
import {
  type PublicDeps,
  type PublicRequest,
  type PublicationConfig,
  assignCveIdsFor,
  preparePublication,
  publishCveRecordsFor,
  publishDocuments,
  servePublic,
} from '../../../functions/app/publication.js';
import type { CaseState } from '../../../functions/domain/index.js';
import { aTestApp } from '../../builders/app.js';
import { type CaseBuilder, COORDINATOR, aCase, vendorActor } from '../../builders/case.js';
import { expectSafeHtml } from './html-safety.js';
import { OPTIONS, multiVendor, publishWithRenderedNote, singleVendorFixed } from './published-cases.js';
import { validateCsaf, validateCveContainer } from './validators.js';

const CONFIG: PublicationConfig = { ...OPTIONS, osvPrefix: 'CVD', cveMode: 'pool', requireCveIds: true };

async function seeded(b: CaseBuilder) {
  const app = aTestApp();
  await app.store.append(
    b.caseId,
    0,
    b.events.map(({ seq: _seq, ...e }) => e),
  );
  app.clock.set(b.now);
  return app;
}

const publicDeps = (notes: MemoryNoteStore): PublicDeps => ({
  notes,
  config: {
    publicBaseUrl: OPTIONS.publicBaseUrl,
    coordinatorName: OPTIONS.coordinatorName,
    coordinatorEmails: ['cert@cvd.example'],
    securityPolicyUrl: 'https://cvd.example/policy',
  },
  now: () => '2027-02-01T10:00:00.000Z',
});
const get = (
  route: string,
  params: Record<string, string> = {},
  headers: Record<string, string> = {},
  query: Record<string, string> = {},
): PublicRequest => ({ route, params, headers, query });

describe('CVE IDs before the draft goes out', () => {
  it('takes pool IDs for the vulnerabilities that lack one, skips those a CNA vendor numbers, and says which still lack one', async () => {
    const b = aCase('VU#200001').submitted().accepted().withVendors({ name: 'Initech', isCna: true }).contacted().embargoed();
    b.run(
      {
        type: 'add-vulnerability',
        vulnerability: { title: 'Second', description: 'd', cvss: {}, affected: [{ vendor: 'Initech', product: 'TPS', versions: [] }] },
      },
      COORDINATOR,
    );
    b.run(
      {
        type: 'add-vulnerability',
        vulnerability: { title: 'Third', description: 'd', cvss: {}, affected: [{ vendor: 'Initech', product: 'TPS', versions: [] }] },
      },
      COORDINATOR,
    );
    b.run(
      {
        type: 'update-vendor-status',
        statuses: [{ vulnerabilityId: 'vul-3', status: 'affected' }],
        cveIds: [{ vulnerabilityId: 'vul-3', cveId: 'CVE-2026-77777' }],
      },
      vendorActor('vendor-2'),
    );
    b.run({ type: 'set-cve', vulnerabilityId: 'vul-3', acceptProposalFrom: 'vendor-2' }, COORDINATOR);
    const app = await seeded(b);
    const pool = new MemoryCvePool();
    await pool.reserveBlock(['CVE-2026-50001', 'CVE-2026-50002']);

    const { state, report } = await assignCveIdsFor({ ...app.deps, pool, publication: CONFIG }, b.state);
    const again = await assignCveIdsFor({ ...app.deps, pool, publication: CONFIG }, state);

    expect(report.assigned).toEqual([{ vulnerabilityId: 'vul-1', cveId: 'CVE-2026-50001', source: 'pool' }]);
    expect(report.awaitingVendor).toEqual([{ vulnerabilityId: 'vul-2', vendorIds: ['vendor-2'] }]);
    expect(report.missing).toEqual(['vul-2']);
    expect(state.vulnerabilities.map((v) => [v.cveId, v.cveSource])).toEqual([
      ['CVE-2026-50001', 'pool'],
      [null, null],
      ['CVE-2026-77777', 'vendor'],
    ]);
    expect(again.report.assigned).toEqual([]);
    expect(await pool.availableCount()).toBe(1);
  });

  it('lets CvePoolExhausted through, by name, for the workflow to tell the coordinators', async () => {
    const b = aCase('VU#200002').submitted().accepted().contacted().embargoed();
    const app = await seeded(b);

    await expect(assignCveIdsFor({ ...app.deps, pool: new MemoryCvePool(), publication: CONFIG }, b.state)).rejects.toMatchObject({
      name: 'CvePoolExhausted',
    });
  });

  it('reserves from CVE Services in that mode', async () => {
    const b = aCase('VU#200003').submitted().accepted().contacted().embargoed();
    const app = await seeded(b);
    const cveServices = new MemoryCveServices();

    const { report } = await assignCveIdsFor({ ...app.deps, cveServices, publication: { ...CONFIG, cveMode: 'cve-services' } }, b.state);

    expect(report.assigned).toEqual([{ vulnerabilityId: 'vul-1', cveId: 'CVE-2026-1000', source: 'cve-services' }]);
  });
});

describe('publication', () => {
  it('refuses before the publish command when the documents are unfit, and writes nothing for an unpublished case', async () => {
    const b = aCase('VU#200004').submitted().accepted().contacted().embargoed();
    const notes = new MemoryNoteStore();

    expect(() => preparePublication(b.state, CONFIG, b.caseId, b.now)).toThrow(
      expect.objectContaining({ name: 'PublicationBlocked' }) as Error,
    );
    await expect(publishDocuments({ notes }, b.state, CONFIG)).rejects.toMatchObject({ name: 'PublicationBlocked' });
    expect(notes.notes.size).toBe(0);
  });

  it('writes the public copy of a published case, valid, and sends our CVE records to CVE Services', async () => {
    const s = singleVendorFixed().state;
    const notes = new MemoryNoteStore();
    const cveServices = new MemoryCveServices();
    cveServices.reserved.push('CVE-2026-10001');

    const note = await publishDocuments({ notes }, s, CONFIG);
    const sent = await publishCveRecordsFor({ notes, cveServices }, s);

    expect(note).toMatchObject({ noteId: 'VU#100001', publishedAt: s.published?.at, revision: s.published?.revision });
    expect((await validateCsaf(note.csaf)).valid).toBe(true);
    expect(sent).toEqual(['CVE-2026-10001']);
    expect(validateCveContainer(cveServices.published.get('CVE-2026-10001')).valid).toBe(true);
  });

  it('does not send a vendor-assigned CVE record: the vendor CNA publishes its own', async () => {
    const s = multiVendor().state;
    const notes = new MemoryNoteStore();
    const cveServices = new MemoryCveServices();
    cveServices.reserved.push('CVE-2026-10002');
    await publishDocuments({ notes }, s, CONFIG);

    expect(await publishCveRecordsFor({ notes, cveServices }, s)).toEqual(['CVE-2026-10002']);
  });
});

describe('the public routes', () => {
  async function withPublished(...states: CaseState[]) {
    const notes = new MemoryNoteStore();
    for (const s of states) await publishDocuments({ notes }, s, CONFIG);
    return publicDeps(notes);
  }

  it('show nothing when nothing is published, and nothing of a case that is not published', async () => {
    const deps = publicDeps(new MemoryNoteStore());
    const unpublished = aCase('VU#300001').submitted().accepted().contacted().embargoed().inDraftReview().drafted().state;
    expect(unpublished.phase).toBe('draft-review');

    for (const [route, params] of [
      ['/notes/{id}', { id: unpublished.caseId }],
      ['/notes/{id}', { id: `${unpublished.caseId}.html` }],
      ['/notes/{id}/csaf.json', { id: unpublished.caseId }],
      ['/notes/{id}/csaf-vex.json', { id: unpublished.caseId }],
      ['/notes/{id}/cve/{cveId}', { id: unpublished.caseId, cveId: 'CVE-2026-1.json' }],
      ['/cases/{caseId}', { caseId: unpublished.caseId }],
    ] as const)
      expect((await servePublic(deps, get(route, params))).status, route).toBe(404);
    expect(JSON.parse((await servePublic(deps, get('/notes'))).body)).toEqual({ notes: [] });
    expect(JSON.parse((await servePublic(deps, get('/feed.json'))).body).items).toEqual([]);
    expect((await servePublic(deps, get('/feed.atom'))).body).not.toContain('<entry>');
  });

  it('serve a published note as JSON, as HTML by Accept or by .html, with its CSAF and CVE records', async () => {
    const s = singleVendorFixed().state;
    const deps = await withPublished(s);

    const json = await servePublic(deps, get('/notes/{id}', { id: 'VU#100001' }, { accept: 'application/json' }));
    const byAccept = await servePublic(
      deps,
      get('/notes/{id}', { id: 'VU#100001' }, { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' }),
    );
    const bySuffix = await servePublic(deps, get('/notes/{id}', { id: 'VU#100001.html' }));
    const csaf = await servePublic(deps, get('/notes/{id}/csaf.json', { id: 'VU#100001' }));
    const cve = await servePublic(deps, get('/notes/{id}/cve/{cveId}', { id: 'VU#100001', cveId: 'CVE-2026-10001.json' }));

    expect(JSON.parse(json.body)).toMatchObject({
      noteId: 'VU#100001',
      cveIds: ['CVE-2026-10001'],
      links: { csaf: 'https://cvd.example/notes/VU%23100001/csaf.json' },
    });
    for (const r of [byAccept, bySuffix]) {
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['content-security-policy']).toContain("default-src 'none'");
      expectSafeHtml(r.body);
    }
    expect((await validateCsaf(JSON.parse(csaf.body))).valid).toBe(true);
    const record = JSON.parse(cve.body) as { cveMetadata: unknown; containers: { cna: unknown } };
    expect(record.cveMetadata).toMatchObject({ cveId: 'CVE-2026-10001', state: 'PUBLISHED' });
    expect(validateCveContainer(record.containers.cna).valid).toBe(true);
  });

  it('list notes and feeds newest first', async () => {
    const older = singleVendorFixed().state;
    const newer = multiVendor().state;
    const deps = await withPublished(older, newer);

    const list = JSON.parse((await servePublic(deps, get('/notes'))).body) as { notes: { noteId: string }[] };
    const feed = JSON.parse((await servePublic(deps, get('/feed.json'))).body) as {
      version: string;
      items: { id: string; title: string }[];
    };
    const atom = (await servePublic(deps, get('/feed.atom'))).body;

    const expected = [older, newer].sort((a, b) => ((a.published?.at ?? '') < (b.published?.at ?? '') ? 1 : -1)).map((x) => x.caseId);
    expect(list.notes.map((n) => n.noteId)).toEqual(expected);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items.map((i) => decodeURIComponent(i.id.split('/').at(-1) ?? ''))).toEqual(expected);
    expect(atom.match(/<entry>/g)).toHaveLength(2);
    expect(atom.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
  });

  it('escape hostile titles in the Atom feed', async () => {
    const b = singleVendorFixed({ title: '<script>alert(1)</script> & "x"' });
    const deps = await withPublished(b.state);
    const atom = (await servePublic(deps, get('/feed.atom'))).body;
    expect(atom).not.toContain('<script>');
    expect(atom).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
  });

  it('answer an id longer than any note id with the one 404, never a store error', async () => {
    const deps = await withPublished(singleVendorFixed().state);
    const missing = await servePublic(deps, get('/notes/{id}', { id: 'VU#424242' }));
    const long = '\u{1F600}'.repeat(600);
    for (const [route, params] of [
      ['/notes/{id}', { id: long }],
      ['/notes/{id}', { id: `${long}.html` }],
      ['/notes/{id}/csaf.json', { id: long }],
      ['/notes/{id}/cve/{cveId}', { id: long, cveId: 'CVE-2026-10001' }],
      ['/notes/{id}/cve/{cveId}', { id: 'VU#100001', cveId: `${long}.json` }],
    ] as const)
      expect(await servePublic(deps, get(route, params)), route).toEqual(missing);
  });

  it('refuse a bad limit or cursor', async () => {
    const deps = publicDeps(new MemoryNoteStore());
    expect((await servePublic(deps, get('/notes', {}, {}, { limit: '0' }))).status).toBe(400);
    expect((await servePublic(deps, get('/notes', {}, {}, { cursor: 'garbage' }))).status).toBe(400);
  });

  it('serve security.txt with Contact, Expires under a year ahead, Policy and Preferred-Languages', async () => {
    const r = await servePublic(publicDeps(new MemoryNoteStore()), get('/.well-known/security.txt'));

    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body).toMatch(/^Contact: mailto:cert@cvd\.example$/m);
    expect(r.body).toMatch(/^Policy: https:\/\/cvd\.example\/policy$/m);
    expect(r.body).toMatch(/^Preferred-Languages: en$/m);
    const expires = /^Expires: (.+)$/m.exec(r.body)?.[1] ?? '';
    expect(expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const days = (Date.parse(expires) - Date.parse('2027-02-01T10:00:00.000Z')) / 86_400_000;
    expect(days).toBeGreaterThan(30);
    expect(days).toBeLessThan(365);
    expect(r.body.match(/^Expires:/gm)).toHaveLength(1);
    // No OpenPGP key configured: no Encryption line, and the key's route is a 404 problem.
    expect(r.body).not.toMatch(/^Encryption:/m);
    const none = await servePublic(publicDeps(new MemoryNoteStore()), get('/pgp-key.asc'));
    expect(none.status).toBe(404);
    expect(none.headers['content-type']).toBe('application/problem+json');
  });

  it("serve the team's OpenPGP public key, and name it in security.txt's Encryption", async () => {
    const key = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ\n-----END PGP PUBLIC KEY BLOCK-----\n';
    const deps = { ...publicDeps(new MemoryNoteStore()), pgpPublicKey: async () => key };
    const r = await servePublic(deps, get('/pgp-key.asc'));
    expect(r).toMatchObject({ status: 200, body: key });
    expect(r.headers['content-type']).toBe('application/pgp-keys');
    const txt = await servePublic(deps, get('/.well-known/security.txt'));
    expect(txt.body).toMatch(/^Encryption: https:\/\/cvd\.example\/pgp-key\.asc$/m);
    const absent = await servePublic({ ...deps, pgpPublicKey: async () => null }, get('/.well-known/security.txt'));
    expect(absent.body).not.toMatch(/^Encryption:/m);
  });

  it('publish the rendered draft even when a coordinator rewrote it', async () => {
    const b = aCase('VU#300002').submitted().accepted().contacted().embargoed().inDraftReview();
    b.run({ type: 'assign-cve', vulnerabilityId: 'vul-1', cveId: 'CVE-2026-30002', source: 'pool' }, { role: 'system' });
    const s = publishWithRenderedNote(b).state;
    const deps = await withPublished(s);
    expect((await servePublic(deps, get('/notes/{id}', { id: 'VU#300002.html' }))).body).toContain('<h2>Vendor information</h2>');
  });
});
