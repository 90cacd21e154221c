// The published note's CSAF VEX document (docs/domain.md "Publication outputs"): the security
// advisory's products and per-product statuses, as the VEX profile wants them: every product not
// affected carries an impact statement, every affected one an action (the advisory's remediations).
import type { CaseState } from '../case.js';
import { type CsafDocument, buildCsaf } from './csaf.js';
import type { PublicationOptions } from './facts.js';
import { noteUrls } from './facts.js';

/** Where the VEX document is served, beside the advisory. */
export const vexUrl = (o: Pick<PublicationOptions, 'publicBaseUrl' | 'noteId'>): string => `${noteUrls(o).note}/csaf-vex.json`;

/** The VEX document of a published advisory: a pure function of it, so every stored note has one. */
export function vexOf(advisory: CsafDocument, o: Pick<PublicationOptions, 'publicBaseUrl' | 'noteId'>): CsafDocument {
  const urls = noteUrls(o);
  const vulnerabilities = advisory.vulnerabilities.map((v) => {
    const notAffected = v.product_status.known_not_affected ?? [];
    // The vendors' own words stay in the advisory's notes; the impact statement says only what the status means.
    const impact = notAffected.length
      ? [{ category: 'impact' as const, details: 'The vendor reports that this product is not affected.', product_ids: notAffected }]
      : [];
    const threats = [...(v.threats ?? []), ...impact];
    return { ...v, ...(threats.length ? { threats } : {}) };
  });
  return {
    ...advisory,
    document: {
      ...advisory.document,
      category: 'csaf_vex',
      title: `${advisory.document.title} (VEX)`,
      tracking: { ...advisory.document.tracking, id: `${o.noteId}-VEX` },
      references: (advisory.document.references ?? []).map((r) =>
        r.url === urls.csaf ? { ...r, summary: 'This CSAF VEX document', url: vexUrl(o) } : r,
      ),
    },
    vulnerabilities,
  };
}

export const buildCsafVex = (s: CaseState, o: PublicationOptions): CsafDocument => vexOf(buildCsaf(s, o), o);
