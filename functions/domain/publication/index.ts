// Publication: pure renderers of what the world sees at the end of a case (docs/domain.md "Outputs at
// publication"): the note's HTML, CSAF 2.0 (and each vendor's own CSAF before it), CVE JSON 5.1 CNA containers, OSV, feeds, security.txt.
export { CWE_NAMES, cweIdOf } from './cwe.js';
export { type CsafDocument, buildCsaf, looksLikeRange } from './csaf.js';
export { buildCsafVex, vexOf, vexUrl } from './csaf-vex.js';
export { type VendorCsafOptions, buildVendorCsaf, vendorCsafDistribution, vendorCsafId } from './vendor-csaf.js';
export { type CvssV2Json, type CvssV3Json, type CvssV4Json, cvssV2Json, cvssV3Json, cvssV4Json, metricsOf } from './cvss-json.js';
export { type CnaContainer, type CveRecordDocument, buildCveRecords } from './cve-record.js';
export { type PublicationDocuments, buildDocuments, publishedRevision, summaryOf } from './documents.js';
export { type PublicationOptions, noteUrls, noteTitle, reporterCredit } from './facts.js';
export { type FeedEntry, type FeedOptions, escapeXml, renderAtomFeed, renderJsonFeed } from './feeds.js';
export { escapeHtml, markdownToHtml, renderInline, safeHref } from './markdown-html.js';
export { NOTE_PAGE_CSP, type NotePageInput, renderNotePage } from './note-page.js';
export { DEFAULT_OSV_PREFIX, type OsvRecord, buildOsv, osvPrefix } from './osv.js';
export { type SecurityTxtOptions, renderSecurityTxt } from './security-txt.js';
export {
  PublicationBlocked,
  type PublishableOptions,
  assertPublishable,
  checkCsaf,
  checkCveRecord,
  checkHtml,
  checkOsv,
  isPublicationBlocked,
} from './validate.js';
