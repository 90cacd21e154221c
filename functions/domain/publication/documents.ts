// Everything published for a note, built at once from the case: the Markdown of the published
// revision, its HTML page, the CSAF advisory, the CVE CNA containers and the OSV records.
import { type CaseState, approvedCase } from '../case.js';
import { PUBLIC_READER, composeNote } from '../note.js';
import { type CsafDocument, buildCsaf } from './csaf.js';
import { metricsOf } from './cvss-json.js';
import { type CveRecordDocument, buildCveRecords } from './cve-record.js';
import { type PublicationOptions, noteTitle, noteUrls, revisionsOf } from './facts.js';
import { renderNotePage } from './note-page.js';
import { type OsvRecord, buildOsv } from './osv.js';

export interface PublicationDocuments {
  noteId: string;
  caseId: string;
  title: string;
  /** One plain-text paragraph for feeds and listings. */
  summary: string;
  publishedAt: string;
  /** Once the note was updated: when last, its revision number (2, 3, …) and that update's change line. */
  updatedAt?: string;
  noteRevision?: number;
  changeSummary?: string;
  /** The draft revision published (the one shared with the participants). */
  revision: number;
  markdown: string;
  /** The complete HTML page. */
  html: string;
  csaf: CsafDocument;
  cveRecords: CveRecordDocument[];
  osv: OsvRecord[];
  /** Vulnerabilities that have no CVE ID yet (the note is published without one for them). */
  missingCveIds: string[];
  /** What is wrong with the case for publication; assertPublishable refuses a non-empty list. */
  problems: string[];
}

/** The revision to publish: the asked one, else the one shared with the participants, else the latest. */
export function publishedRevision(s: CaseState, wanted?: number): { revision: number; markdown: string } | null {
  const number = wanted ?? s.published?.revision ?? s.draft.shared?.revision ?? s.draft.revisions.at(-1)?.revision;
  const r = s.draft.revisions.find((x) => x.revision === number);
  return r ? { revision: r.revision, markdown: r.markdown } : null;
}

export function summaryOf(s: CaseState): string {
  const title = noteTitle(s);
  const r = s.report;
  if (!r) return title;
  const n = s.vulnerabilities.length;
  return `${r.product.name}${r.product.version ? ` ${r.product.version}` : ''} contains ${n === 1 ? 'a vulnerability' : `${n} vulnerabilities`}: ${title}.`;
}

/**
 * Every document is built from the case as the coordinator approved it (each vendor's status and
 * statement as they stood at the approval), never from whatever a vendor changed since.
 */
export function buildDocuments(live: CaseState, o: PublicationOptions): PublicationDocuments {
  const s = approvedCase(live);
  const problems: string[] = [];
  const rev = publishedRevision(s, o.revision);
  if (!rev) problems.push(o.revision !== undefined ? `the case has no draft revision ${o.revision}` : 'the case has no draft to publish');
  if (s.vulnerabilities.length === 0) problems.push('the case has no vulnerability to publish');
  for (const v of s.vulnerabilities) for (const e of metricsOf(v.cvss).errors) problems.push(`${v.vulnerabilityId}: ${e}`);
  const urls = noteUrls(o);
  // The revision holds the body a coordinator edits; the vendor sections are written from the case.
  const history = revisionsOf(o);
  const latest = history.at(-1);
  const updates = history.slice(1);
  const markdown = rev ? composeNote(rev.markdown, s, PUBLIC_READER, { publishAt: o.publishedAt, updates }) : '';
  const title = `${o.noteId}: ${noteTitle(s)}`;
  const cveRecords = buildCveRecords(s, o);
  return {
    noteId: o.noteId,
    caseId: s.caseId,
    title,
    summary: summaryOf(s),
    publishedAt: o.publishedAt,
    ...(updates.length && latest ? { updatedAt: latest.at, noteRevision: latest.number, changeSummary: latest.summary } : {}),
    revision: rev?.revision ?? 0,
    markdown,
    html: renderNotePage({
      noteId: o.noteId,
      title,
      publishedAt: o.publishedAt,
      ...(updates.length && latest ? { updatedAt: latest.at } : {}),
      markdown,
      coordinatorName: o.coordinatorName,
      links: {
        csaf: urls.csaf,
        json: urls.note,
        cve: cveRecords.map((r) => ({ cveId: r.cveId, url: urls.cve(r.cveId) })),
        stylesheet: urls.stylesheet,
      },
    }),
    csaf: buildCsaf(s, o),
    cveRecords,
    osv: buildOsv(s, o),
    missingCveIds: s.vulnerabilities.filter((v) => !v.cveId).map((v) => v.vulnerabilityId),
    problems,
  };
}
