// The vulnerability note's Markdown source, rendered from the case (DOMAIN.md "Outputs at
// publication"). Markdown is the stored source; every reporter and vendor string is quoted as
// text here and escaped again when HTML is rendered.
import { type CaseState, isNotAffected } from './case.js';

/** Escapes Markdown control characters so case text can never become links, HTML or headings. */
export const mdText = (s: string): string => s.replace(/([\\`*_{}[\]()#+\-.!|<>~&])/g, '\\$1');

const date = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : 'not yet');

function vendorStatus(s: CaseState, vendorId: string): string {
  const v = s.vendors.find((x) => x.vendorId === vendorId);
  if (!v) return 'Unknown';
  if (v.unresponsiveAt && !v.acknowledgedAt) return 'Unknown (did not respond)';
  if (isNotAffected(v)) return 'Not affected';
  const statuses = Object.values(v.statuses);
  if (statuses.includes('affected')) return v.flags.d ? 'Affected (fix deployed)' : v.flags.f ? 'Affected (fix available)' : 'Affected';
  return 'Unknown';
}

export interface NoteOptions {
  /** When the note goes (or went) public. */
  publishAt: string;
  /** Deployment name used in the acknowledgements line. */
  coordinatorName?: string;
}

export function renderNoteMarkdown(s: CaseState, opts: NoteOptions): string {
  const r = s.report;
  const lines: string[] = [];
  const title = s.vulnerabilities[0]?.title ?? r?.title ?? s.caseId;
  lines.push(`# ${s.caseId}: ${mdText(title)}`, '');
  lines.push('## Overview', '');
  lines.push(mdText(r ? `${r.product.name}${r.product.version ? ` ${r.product.version}` : ''} contains ${s.vulnerabilities.length === 1 ? 'a vulnerability' : `${s.vulnerabilities.length} vulnerabilities`}: ${title}.` : title), '');
  lines.push('## Description', '');
  for (const v of s.vulnerabilities) {
    lines.push(`### ${v.cveId ?? v.vulnerabilityId}: ${mdText(v.title)}`, '');
    lines.push(mdText(v.description), '');
    if (v.cwe) lines.push(`Weakness: ${mdText(v.cwe)}`, '');
    const vectors = [v.cvss.v4, v.cvss.v3, v.cvss.v2].filter((x): x is string => !!x);
    if (vectors.length) lines.push(`CVSS: ${vectors.map((x) => `\`${x.replace(/`/g, '')}\``).join(', ')}`, '');
  }
  lines.push('## Impact', '');
  lines.push(mdText(r?.impact || 'See the description above.'), '');
  lines.push('## Solution', '');
  const fixed = s.vendors.filter((v) => v.flags.f);
  lines.push(fixed.length ? `Apply the updates from ${fixed.map((v) => mdText(v.name)).join(', ')}. See the vendor information below.` : 'No fix is known at the time of writing. See the vendor information below for mitigations.', '');
  lines.push('## Vendor information', '');
  lines.push('| Vendor | Status | Notified | Statement date |', '|---|---|---|---|');
  for (const v of s.vendors) lines.push(`| ${mdText(v.name)} | ${vendorStatus(s, v.vendorId)} | ${date(v.firstContactAt)} | ${date(v.statementAt)} |`);
  lines.push('');
  for (const v of s.vendors) {
    if (!v.statement) continue;
    lines.push(`### ${mdText(v.name)} statement`, '');
    // Vendor statements are quoted verbatim, as text.
    lines.push(...v.statement.split('\n').map((l) => `> ${mdText(l)}`), '');
  }
  lines.push('## Acknowledgements', '');
  if (r && r.reporter.credit === 'named' && (r.reporter.name || r.reporter.organization)) {
    lines.push(`Thanks to ${mdText([r.reporter.name, r.reporter.organization].filter(Boolean).join(' of '))} for reporting this vulnerability.`, '');
  } else lines.push('Thanks to the reporter, who wishes to remain anonymous.', '');
  const refs = [...(r?.publicReferences ?? []), ...(r?.exploitReferences ?? [])];
  lines.push('## References', '');
  if (refs.length) for (const ref of refs) lines.push(`- <${ref.replace(/[<>\s"]/g, (c) => encodeURIComponent(c))}>`);
  else lines.push('None.');
  lines.push('');
  lines.push('## Dates', '');
  lines.push(`- Reported: ${date(s.receivedAt)}`, `- Vendors first contacted: ${date(s.embargo.firstContactAt)}`, `- Published: ${date(opts.publishAt)}`, '');
  return lines.join('\n');
}
