// How a large case is stored (the case store's Projection.parts): its vendors in parts of
// VENDORS_PER_PART and its record of mail sent apart from the rest, the core. A vendor's action then
// rewrites the core and that vendor's part, not every vendor; an ordinary case stays one item.
import type { CaseState, VendorState } from './case-state.js';

// Changing it leaves parts of the old size in the table, unnamed by any core but read by whole loads: delete them in that release.
export const VENDORS_PER_PART = 64;
const SENT_PART = 'sent';
const VENDOR_PART = /^v\d{6}$/;

/** The part holding the vendor at this position of `vendors` (vendors are only ever added, at the end); six digits hold any vendorPartOf accepts. */
export const vendorPartName = (position: number): string => `v${String(Math.floor(position / VENDORS_PER_PART)).padStart(6, '0')}`;

/**
 * The preset deflate dictionary of the parts (StateParts.dictionaries): a vendor as most are, so
 * that each part deflates as if its first vendor were its second (parts of 500 vendors: 17.1 → 14
 * KB). Parts name it by its hash: never edit it, put a new one in front of it in caseProjection.
 */
export const VENDOR_PART_DICTIONARY =
  '{"vendorId":"vendor-1","name":"Vendor","vendorRef":"v-","contacts":[{"email":"psirt@vendor.example","confirmedAt":"2026-01-01T00:00:00.000Z","link":{"generation":1,"revokedAt":null}}],"suggestedContacts":[],"contactEscalations":0,"isCna":false,"downstream":false,"addedAt":"2026-01-01T00:00:00.000Z","rm":"START","flags":{"v":false,"f":false,"d":false},"attempts":[{"at":"2026-01-01T00:00:00.000Z","attempt":1,"purpose":"report"}],"firstContactAt":"2026-01-01T00:00:00.000Z","lastAttemptAt":"2026-01-01T00:00:00.000Z","acknowledgedAt":null,"unresponsiveAt":null,"finalNoticeAt":null,"statuses":{},"statement":null,"statementAt":null,"statementReminderAt":null,"cveIds":{},"proposals":{"isCna":null,"cveIds":{}},"approved":null}';

/** The part of a vendor by its id (`vendor-N` is the Nth added); null for an id of another form. */
export function vendorPartOf(vendorId: string): string | null {
  const n = /^vendor-([1-9]\d{0,6})$/.exec(vendorId)?.[1];
  return n === undefined ? null : vendorPartName(Number(n) - 1);
}

/** null (one item) up to VENDORS_PER_PART vendors: splitting pays only for large cases. */
export function splitCase(s: CaseState): { core: Omit<CaseState, 'sent'>; parts: Record<string, unknown> } | null {
  if (s.vendors.length <= VENDORS_PER_PART) return null;
  const parts: Record<string, unknown> = {};
  for (let i = 0; i < s.vendors.length; i += VENDORS_PER_PART) parts[vendorPartName(i)] = s.vendors.slice(i, i + VENDORS_PER_PART);
  const { sent, ...core } = s;
  if (sent !== undefined) parts[SENT_PART] = sent;
  return { core: { ...core, vendors: [] }, parts };
}

export function joinCase(core: unknown, parts: Readonly<Record<string, unknown>>): CaseState {
  const vendors = Object.keys(parts)
    .filter((name) => VENDOR_PART.test(name))
    .sort()
    .flatMap((name) => parts[name] as VendorState[]);
  const sent = parts[SENT_PART] as CaseState['sent'];
  return { ...(core as CaseState), vendors, ...(sent === undefined ? {} : { sent }) };
}
