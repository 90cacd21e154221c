// The vulnerability note's Markdown, built from the case for one reader. A note is two parts:
//
// * the body (title, overview, description, impact and whatever else a coordinator writes): the
//   text a draft revision holds and a coordinator edits; the system writes the first one;
// * the system-written sections (solution, vendor information, acknowledgements, references,
//   dates), rendered from structured state for the reader: the public and coordinators see every
//   vendor; before publication a vendor sees only its own row and statement, the reporter none.
//
// Nothing is ever filtered out of a bigger text: each reader's sections are built for them. Every
// reporter and vendor string is escaped with the one Markdown escape (safe-text.ts).
import { type CaseState, type VendorState, isNotAffected } from './case.js';
import { mdInline, mdText } from './safe-text.js';
import { KIND_LABELS, type VendorReference, fixReferences, referencesOf, vendorReferenceUrl } from './vendor-references.js';

export { vendorsNamedIn } from './vendor-mentions.js';

export { mdInline, mdText } from './safe-text.js';

/** Who the note is built for. */
export type NoteReader = { kind: 'public' } | { kind: 'reporter' } | { kind: 'vendor'; vendorId: string };

export const PUBLIC_READER: NoteReader = { kind: 'public' };

export interface NoteOptions {
  /** When the note goes (or went) public. */
  publishAt: string;
  /** The published note's later revisions, each with its dated change line. */
  updates?: readonly { number: number; at: string; summary: string }[];
}

const date = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : 'not yet');

function statusText(v: VendorState): string {
  if (v.unresponsiveAt && !v.acknowledgedAt) return 'Unknown (did not respond)';
  if (isNotAffected(v)) return 'Not affected';
  if (Object.values(v.statuses).includes('affected'))
    return v.flags.d ? 'Affected (fix deployed)' : v.flags.f ? 'Affected (fix available)' : 'Affected';
  return 'Unknown';
}

/** The first draft of the part coordinators edit: title, overview, description, impact. */
export function renderNoteBody(s: CaseState): string {
  const r = s.report;
  const title = s.vulnerabilities[0]?.title ?? r?.title ?? s.caseId;
  const lines: string[] = [];
  lines.push(`# ${mdInline(s.caseId)}: ${mdInline(title)}`, '');
  lines.push('## Overview', '');
  const n = s.vulnerabilities.length;
  const product = r ? `${r.product.name}${r.product.version ? ` ${r.product.version}` : ''}` : '';
  lines.push(
    product
      ? `${mdInline(product)} contains ${n === 1 ? 'a vulnerability' : `${n} vulnerabilities`}: ${mdInline(title)}.`
      : mdInline(title),
    '',
  );
  lines.push('## Description', '');
  for (const v of s.vulnerabilities) {
    lines.push(`### ${mdInline(v.cveId ?? v.vulnerabilityId)}: ${mdInline(v.title)}`, '');
    lines.push(mdText(v.description), '');
    if (v.cwe) lines.push(`Weakness: ${mdInline(v.cwe)}`, '');
    const vectors = [v.cvss.v4, v.cvss.v3, v.cvss.v2].filter((x): x is string => !!x);
    if (vectors.length) lines.push(`CVSS: ${vectors.map(mdInline).join(', ')}`, '');
  }
  lines.push('## Impact', '');
  lines.push(mdText(r?.impact || 'See the description above.'), '');
  return lines.join('\n');
}

const vendorRow = (v: VendorState) => `| ${mdInline(v.name)} | ${statusText(v)} | ${date(v.firstContactAt)} | ${date(v.statementAt)} |`;

function statement(v: VendorState): string[] {
  if (!v.statement) return [];
  // Quoted verbatim, as text: every line escaped, so a statement cannot open a section of its own.
  return [`### ${mdInline(v.name)} statement`, '', ...v.statement.split('\n').map((l) => `> ${mdText(l)}`), ''];
}

/**
 * One vendor reference as a Markdown list item: the URL an autolink as the parser wrote it (no
 * `<`, `>`, space or quote left in it), the vendor's name and summary escaped text, so the URL is
 * the only link and nothing the vendor wrote becomes structure.
 */
function referenceItem(v: VendorState, r: VendorReference): string[] {
  const url = vendorReferenceUrl(r.url);
  return url ? [`- ${mdInline(`${v.name} ${KIND_LABELS[r.kind]}`)}: <${url}>${r.summary ? ` (${mdInline(r.summary)})` : ''}`] : [];
}

/** The vendors this reader may see, or null for "none before publication". */
function visibleVendors(s: CaseState, reader: NoteReader): VendorState[] | null {
  if (reader.kind === 'public' || s.phase === 'published') return s.vendors;
  if (reader.kind === 'reporter') return null;
  return s.vendors.filter((v) => v.vendorId === reader.vendorId);
}

/** The system-written sections of the note, for this reader. */
export function renderNoteSections(s: CaseState, reader: NoteReader, opts: NoteOptions): string {
  const r = s.report;
  const all = reader.kind === 'public' || s.phase === 'published';
  const vendors = visibleVendors(s, reader);
  const lines: string[] = [];

  lines.push('## Solution', '');
  const fixed = (vendors ?? []).filter((v) => v.flags.f);
  // How to obtain each fix: the fixed vendors' advisories, release notes and patches.
  const fixLinks = fixed.flatMap((v) => fixReferences(v).flatMap((r) => referenceItem(v, r)));
  const howTo = fixLinks.length ? [...fixLinks, ''] : [];
  if (all)
    lines.push(
      fixed.length
        ? `Apply the updates from ${fixed.map((v) => mdInline(v.name)).join(', ')}. See the vendor information below.`
        : 'No fix is known at the time of writing. See the vendor information below for mitigations.',
      '',
      ...howTo,
    );
  else if (vendors?.length)
    lines.push(
      fixed[0] ? `Apply the update from ${mdInline(fixed[0].name)}.` : 'No fix from your organization is recorded yet.',
      '',
      ...howTo,
      '_Other vendors’ fixes appear here when the note is published._',
      '',
    );
  else lines.push('_Vendors’ fixes appear here when the note is published._', '');

  lines.push('## Vendor information', '');
  if (vendors?.length) {
    lines.push('| Vendor | Status | Notified | Statement date |', '|---|---|---|---|', ...vendors.map(vendorRow), '');
    for (const v of vendors) lines.push(...statement(v));
    if (!all) lines.push('_Other vendors appear here when the note is published._', '');
  } else lines.push('_Vendor information appears here when the note is published._', '');

  lines.push('## Acknowledgements', '');
  const named = r && r.reporter.credit === 'named' && (r.reporter.name || r.reporter.organization);
  // Before publication a vendor learns the reporter's name only if the reporter agreed to share it.
  const mayName = all || reader.kind === 'reporter' || !!r?.reporter.shareContactWithVendors;
  if (named && mayName)
    lines.push(
      `Thanks to ${mdInline([r.reporter.name, r.reporter.organization].filter(Boolean).join(' of '))} for reporting this vulnerability.`,
      '',
    );
  else if (named) lines.push('Thanks to the reporter, who will be credited by name when the note is published.', '');
  else lines.push('Thanks to the reporter, who wishes to remain anonymous.', '');

  const refs = [...(r?.publicReferences ?? []), ...(r?.exploitReferences ?? [])];
  const vendorRefs = (vendors ?? []).flatMap((v) => referencesOf(v).flatMap((x) => referenceItem(v, x)));
  lines.push('## References', '');
  for (const ref of refs) lines.push(`- <${ref.replace(/[<>\s"]/g, (c) => encodeURIComponent(c))}>`);
  lines.push(...vendorRefs);
  if (!refs.length && !vendorRefs.length) lines.push('None.');
  lines.push('');

  lines.push('## Dates', '');
  lines.push(
    `- Reported: ${date(s.receivedAt)}`,
    `- Vendors first contacted: ${date(s.embargo.firstContactAt)}`,
    `- Published: ${date(opts.publishAt)}`,
    ...(opts.updates ?? []).map((u) => `- Updated: ${date(u.at)} (revision ${u.number}): ${mdInline(u.summary)}`),
    '',
  );
  return lines.join('\n');
}

/** The whole note for a reader: a revision's body, then the sections written for that reader. */
export function composeNote(body: string, s: CaseState, reader: NoteReader, opts: NoteOptions): string {
  return `${body.replace(/\s+$/, '')}\n\n${renderNoteSections(s, reader, opts)}`;
}
