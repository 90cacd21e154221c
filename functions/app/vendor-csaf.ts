// GET /vendor/cases/{caseId}/csaf.json (docs/api.md): a vendor's own CSAF document before
// publication, built for it from the case (buildVendorCsaf). Once the note is out the public
// advisory says everything, so the route answers 409 and points there.
import type { CaseState } from '../domain/case.js';
import { noteUrls } from '../domain/publication/facts.js';
import { checkCsaf } from '../domain/publication/validate.js';
import { buildVendorCsaf } from '../domain/publication/vendor-csaf.js';
import type { AppDeps } from './deps.js';
import { type ApiResult, HttpError, json } from './api/http.js';

const conflict = (detail: string, extensions: Record<string, unknown> = {}, errors: { path: string; message: string }[] = []) =>
  new HttpError(409, 'Conflict', detail, errors, 'about:blank', {}, extensions);

export function vendorCsaf(deps: Pick<AppDeps, 'publication' | 'now'>, s: CaseState, vendorId: string): ApiResult {
  const { publicBaseUrl, coordinatorName } = deps.publication;
  if (s.published) {
    const csaf = noteUrls({ publicBaseUrl, noteId: s.published.noteId }).csaf;
    throw conflict(`the note is published: its CSAF advisory is at ${csaf}`, { csaf });
  }
  if (s.vulnerabilities.length === 0) throw conflict('the case has no vulnerability yet: there is nothing to describe');
  const doc = buildVendorCsaf(s, vendorId, { publicBaseUrl, coordinatorName, at: deps.now() });
  // The same run-time check publication makes; the tests hold the builder to the full validators.
  const problems = checkCsaf(doc);
  if (problems.length)
    throw conflict(
      'the document is not complete yet',
      {},
      problems.map((message) => ({ path: '(document)', message })),
    );
  return json(200, doc);
}
