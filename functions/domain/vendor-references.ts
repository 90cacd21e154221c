// A vendor's references: its advisory, the fixed release's notes, a patch. The vendor gives them
// with its status (a proposal); the published documents show them only as a coordinator approved
// them (ApprovedVendor), like the statement. A URL is data: https only, as the URL parser writes
// it, never with credentials, whitespace or control characters, so no renderer has to guess.

export const REFERENCE_KINDS = ['advisory', 'release-notes', 'patch', 'other'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export interface VendorReference {
  /** An https URL as the WHATWG URL parser serialises it (vendorReferenceUrl). */
  url: string;
  /** One line of plain text. */
  summary?: string;
  kind: ReferenceKind;
}

/** References one vendor may give: enough for an advisory, release notes and a few patches. */
export const MAX_VENDOR_REFERENCES = 10;
/** The CVE record's limit for a reference URL. */
export const MAX_REFERENCE_URL = 2048;
export const MAX_REFERENCE_SUMMARY = 200;

/** The kinds that tell how to obtain a fix, most direct first (the CSAF vendor_fix's url). */
const FIX_KINDS: readonly ReferenceKind[] = ['patch', 'release-notes', 'advisory'];

/** The URL as the parser writes it when it is one a vendor may give, else null. */
export function vendorReferenceUrl(raw: string): string | null {
  // Whitespace and controls inside a URL are how scheme filters get bypassed ("java\tscript:").
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return null;
  if (!URL.canParse(raw)) return null;
  const url = new URL(raw);
  if (url.protocol !== 'https:' || url.username || url.password || !url.hostname) return null;
  return url.href.length <= MAX_REFERENCE_URL ? url.href : null;
}

/** Why a vendor's list of references is refused, or null. */
export function referencesProblem(refs: readonly VendorReference[]): string | null {
  if (refs.length > MAX_VENDOR_REFERENCES) return `at most ${MAX_VENDOR_REFERENCES} references`;
  for (const r of refs) {
    if (vendorReferenceUrl(r.url) !== r.url) return 'every reference must be an https URL without credentials';
    if (!REFERENCE_KINDS.includes(r.kind)) return `a reference's kind must be one of ${REFERENCE_KINDS.join(', ')}`;
    if (r.summary !== undefined && r.summary.length > MAX_REFERENCE_SUMMARY)
      return `a reference's summary must be at most ${MAX_REFERENCE_SUMMARY} characters`;
  }
  if (new Set(refs.map((r) => r.url)).size !== refs.length) return 'each reference URL only once';
  return null;
}

/** A vendor's references (none in snapshots from before they existed). */
export const referencesOf = (v: { references?: readonly VendorReference[] }): readonly VendorReference[] => v.references ?? [];

/** The references that tell how to obtain the vendor's fix, most direct first. */
export const fixReferences = (v: { references?: readonly VendorReference[] }): VendorReference[] =>
  FIX_KINDS.flatMap((k) => referencesOf(v).filter((r) => r.kind === k));

/** The kind in words, for the note and the documents' summaries. */
export const KIND_LABELS: Readonly<Record<ReferenceKind, string>> = {
  advisory: 'advisory',
  'release-notes': 'release notes',
  patch: 'patch',
  other: 'reference',
};

/** "Acme release notes: Version 4.2.3", plain text (the callers escape it for their format). */
export const referenceTitle = (vendor: string, r: VendorReference): string =>
  `${vendor} ${KIND_LABELS[r.kind]}${r.summary ? `: ${r.summary}` : ''}`;
