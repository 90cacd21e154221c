// The CSAF VEX document of a published note: the vendors' per-product statuses, valid against the
// CSAF 2.0 schema and the BSI validator's mandatory tests (the VEX profile's 6.1.27.x among them).
import { describe, expect, it } from 'vitest';
import { MemoryNoteStore } from '../../../functions/adapters/note-store.js';
import { servePublic } from '../../../functions/app/public-notes.js';
import { buildCsafVex, buildDocuments, vexUrl } from '../../../functions/domain/publication/index.js';
import { SCENARIOS, multiVendor, optionsFor } from './published-cases.js';
import { validateCsaf } from './validators.js';

describe('the CSAF VEX document', () => {
  for (const scenario of SCENARIOS)
    it(`is valid for "${scenario.name}"`, async () => {
      const s = scenario.build();
      const vex = buildCsafVex(s, optionsFor(s));
      expect(vex.document.category).toBe('csaf_vex');
      const verdict = await validateCsaf(vex);
      expect(verdict.errors).toEqual([]);
      expect(verdict.valid).toBe(true);
    });

  it('gives every product not affected an impact statement, and names itself, not the advisory', () => {
    const s = multiVendor().state;
    const o = optionsFor(s);
    const vex = buildCsafVex(s, o);
    expect(vex.vulnerabilities.some((v) => (v.product_status.known_not_affected ?? []).length > 0)).toBe(true);
    for (const v of vex.vulnerabilities) {
      const notAffected = v.product_status.known_not_affected ?? [];
      const stated = (v.threats ?? []).filter((t) => t.category === 'impact').flatMap((t) => t.product_ids ?? []);
      expect(stated.sort()).toEqual([...notAffected].sort());
    }
    expect((vex.document.references ?? []).filter((r) => r.category === 'self').map((r) => r.url)).toContain(vexUrl(o));
    expect(vex.document.tracking.id).toBe(`${o.noteId}-VEX`);
  });

  it('is served beside the advisory for every published note, built from the stored advisory', async () => {
    const s = multiVendor().state;
    const o = optionsFor(s);
    const notes = new MemoryNoteStore();
    const docs = buildDocuments(s, o);
    await notes.put({ ...docs, noteId: o.noteId });
    const deps = {
      notes,
      config: { publicBaseUrl: o.publicBaseUrl, coordinatorName: o.coordinatorName, coordinatorEmails: [] },
      now: () => o.publishedAt,
    };
    const r = await servePublic(deps, { route: '/notes/{id}/csaf-vex.json', params: { id: o.noteId }, headers: {}, query: {} });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual(buildCsafVex(s, o));
  });
});
