// The vendor directory (docs/domain.md "Vendor directory"): organisations kept across cases, with the
// names they go by, their contacts and their CNA standing, all a coordinator's word. What makes two
// names the same, what a search matches, and a vendor's record across the cases it was on.
import type { CaseState } from './case-state.js';
import type { ContactInput } from './events.js';

/** A directory organisation as stored; `version` counts its edits (optimistic locking on PUT). */
export interface DirectoryEntry {
  vendorRef: string;
  name: string;
  aliases: string[];
  contacts: ContactInput[];
  isCna: boolean;
  cnaShortName?: string;
  advisoryUrl?: string;
  securityTxtUrl?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

/** What the list and the search return: enough to pick an organisation, not its keys. */
export interface DirectorySummary {
  vendorRef: string;
  name: string;
  aliases: string[];
  isCna: boolean;
  cnaShortName?: string;
  contacts: number;
  version: number;
}

export const VENDOR_REF = /^v-[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * The form two names are compared in: compatibility-normalised (full-width letters, ligatures),
 * case-folded, whitespace runs made one space. "ACME  Corp" and "acme corp" are one organisation.
 */
export const nameKey = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** Every name an organisation answers to, as keys, once each. */
export const namesOf = (e: Pick<DirectoryEntry, 'name' | 'aliases'>): string[] => [
  ...new Set([e.name, ...e.aliases].map(nameKey).filter(Boolean)),
];

/** Aliases without repeats of the name or of each other (the first spelling kept). */
export function cleanAliases(name: string, aliases: readonly string[]): string[] {
  const seen = new Set([nameKey(name)]);
  return aliases.filter((a) => {
    const k = nameKey(a);
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export const summaryOf = (e: DirectoryEntry): DirectorySummary => ({
  vendorRef: e.vendorRef,
  name: e.name,
  aliases: e.aliases,
  isCna: e.isCna,
  ...(e.cnaShortName ? { cnaShortName: e.cnaShortName } : {}),
  contacts: e.contacts.length,
  version: e.version,
});

/** A search matches when the query is part of the name or of an alias, compared as keys. */
export function matches(s: Pick<DirectorySummary, 'name' | 'aliases'>, q: string): boolean {
  const k = nameKey(q);
  return k === '' || namesOf(s).some((n) => n.includes(k));
}

/** The list's order: by name as compared, then by ref so that equal keys keep one order across pages. */
export const sortKeyOf = (s: Pick<DirectorySummary, 'name' | 'vendorRef'>): string => `${nameKey(s.name)}\u0000${s.vendorRef}`;

/** One case the organisation was on, as the history shows it. */
export interface VendorCaseRecord {
  caseId: string;
  title: string;
  phase: string;
  vendorId: string;
  addedAt: string;
  firstContactAt: string | null;
  acknowledgedAt: string | null;
  /** First contact to acknowledgement, in hours (one decimal); null until both happened. */
  hoursToAcknowledge: number | null;
  unresponsive: boolean;
}

export interface VendorHistory {
  cases: VendorCaseRecord[];
  /** Cases where the vendor acknowledged, and the median time it took. */
  acknowledged: number;
  medianHoursToAcknowledge: number | null;
  /** Cases on which the vendor was marked unresponsive. */
  timesUnresponsive: number;
}

const hoursBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 360_000) / 10;

/**
 * The organisation's record from the cases themselves: each case's vendor that was added by this
 * ref. A case without one (its addition was refused after the link was written) is left out.
 */
export function vendorHistory(vendorRef: string, cases: readonly CaseState[]): VendorHistory {
  const rows: VendorCaseRecord[] = [];
  for (const s of cases) {
    const v = s.vendors.find((x) => x.vendorRef === vendorRef);
    if (!v) continue;
    rows.push({
      caseId: s.caseId,
      title: s.report?.title ?? '',
      phase: s.phase,
      vendorId: v.vendorId,
      addedAt: v.addedAt,
      firstContactAt: v.firstContactAt,
      acknowledgedAt: v.acknowledgedAt,
      hoursToAcknowledge: v.firstContactAt && v.acknowledgedAt ? hoursBetween(v.firstContactAt, v.acknowledgedAt) : null,
      unresponsive: v.unresponsiveAt !== null,
    });
  }
  rows.sort((a, b) => (a.addedAt < b.addedAt ? 1 : a.addedAt > b.addedAt ? -1 : a.caseId.localeCompare(b.caseId)));
  const times = rows.flatMap((r) => (r.hoursToAcknowledge === null ? [] : [r.hoursToAcknowledge])).sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length === 0 ? null : times.length % 2 ? (times[mid] ?? null) : ((times[mid - 1] ?? 0) + (times[mid] ?? 0)) / 2;
  return {
    cases: rows,
    acknowledged: times.length,
    medianHoursToAcknowledge: median === null ? null : Math.round(median * 10) / 10,
    timesUnresponsive: rows.filter((r) => r.unresponsive).length,
  };
}

// ---- OpenPGP armor -------------------------------------------------------------------------------

const ARMOR =
  /^-----BEGIN PGP PUBLIC KEY BLOCK-----\n((?:[A-Za-z][A-Za-z-]*: [^\n]*\n)*)\n([A-Za-z0-9+/=\n]+?)\n(?:=([A-Za-z0-9+/]{4})\n)?-----END PGP PUBLIC KEY BLOCK-----$/;

/** Base64 (already checked to be well formed) as bytes, with what both Node and browsers have. */
const fromBase64 = (b64: string): Uint8Array => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** CRC-24 of RFC 4880 §6.1, the armor's checksum. */
function crc24(bytes: Uint8Array): number {
  let crc = 0xb704ce;
  for (const b of bytes) {
    crc ^= b << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/**
 * Why a text is not an ASCII-armored OpenPGP public key, or null. The shape only (no OpenPGP
 * library is a dependency): the armor lines, base64 that decodes, the checksum when there is one,
 * and a first packet that is a public key (tag 6). The key itself is not verified.
 */
export function pgpKeyProblem(text: string): string | null {
  const m = ARMOR.exec(text.replace(/\r\n?/g, '\n').trim());
  if (!m) return 'must be an ASCII-armored OpenPGP public key (-----BEGIN PGP PUBLIC KEY BLOCK----- … -----END PGP PUBLIC KEY BLOCK-----)';
  const body = (m[2] ?? '').replace(/\n/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) return 'must hold base64 between its armor lines';
  const bytes = fromBase64(body);
  const first = bytes[0] ?? 0;
  // Old format: 10tttt ll with tag 6; new format: 11 000110.
  const tag = first & 0x40 ? first & 0x3f : (first >> 2) & 0x0f;
  if (!(first & 0x80) || tag !== 6) return 'must start with a public key packet';
  if (m[3] !== undefined) {
    const sum = fromBase64(m[3]);
    if (sum.length !== 3 || (((sum[0] ?? 0) << 16) | ((sum[1] ?? 0) << 8) | (sum[2] ?? 0)) !== crc24(bytes))
      return 'has a checksum that does not match its contents';
  }
  return null;
}
