// How a large case is stored (the case store's Projection.parts): its vendors in parts of
// VENDORS_PER_PART and its record of mail sent apart from the rest, the core. A vendor's action then
// rewrites the core and that vendor's part, not every vendor; an ordinary case stays one item.
import type { CaseState, VendorState } from './case-state.js';
import { vendorBasis, vendorPartFacts } from './deadlines.js';
import type { Policy } from './policy.js';
import { VENDORS_PER_PART, type VendorFacts, vendorPartName, vendorPartOf } from './vendor-parts.js';

export { VENDORS_PER_PART, vendorPartName, vendorPartOf } from './vendor-parts.js';

const SENT_PART = 'sent';
const VENDOR_PART = /^v\d{6}$/;

/**
 * The preset deflate dictionary of the parts (StateParts.dictionaries): a vendor as most are, so
 * that each part deflates as if its first vendor were its second (parts of 500 vendors: 17.1 → 14
 * KB). Parts name it by its hash: never edit it, put a new one in front of it in caseProjection.
 */
export const VENDOR_PART_DICTIONARY =
  '{"vendorId":"vendor-1","name":"Vendor","vendorRef":"v-","contacts":[{"email":"psirt@vendor.example","confirmedAt":"2026-01-01T00:00:00.000Z","link":{"generation":1,"revokedAt":null}}],"suggestedContacts":[],"contactEscalations":0,"isCna":false,"downstream":false,"addedAt":"2026-01-01T00:00:00.000Z","rm":"START","flags":{"v":false,"f":false,"d":false},"attempts":[{"at":"2026-01-01T00:00:00.000Z","attempt":1,"purpose":"report"}],"firstContactAt":"2026-01-01T00:00:00.000Z","lastAttemptAt":"2026-01-01T00:00:00.000Z","acknowledgedAt":null,"unresponsiveAt":null,"finalNoticeAt":null,"statuses":{},"statement":null,"statementAt":null,"statementReminderAt":null,"cveIds":{},"proposals":{"isCna":null,"cveIds":{}},"approved":null}';

type Core = Omit<CaseState, 'sent' | 'sliceFacts'> & { vendorFacts?: VendorFacts };

/**
 * null (one item) up to VENDORS_PER_PART vendors: splitting pays only for large cases. The core
 * keeps each vendor part's facts (VendorPartFacts), so a slice can still say what the whole case's
 * queue entry and next deadline are.
 */
export function splitCase(s: CaseState, policy: Policy): { core: Core; parts: Record<string, unknown> } | null {
  if (s.vendors.length <= VENDORS_PER_PART) return null;
  const parts: Record<string, unknown> = {};
  const facts: VendorFacts = { basis: vendorBasis(s, policy), parts: {} };
  for (let i = 0; i < s.vendors.length; i += VENDORS_PER_PART) {
    const vendors = s.vendors.slice(i, i + VENDORS_PER_PART);
    parts[vendorPartName(i)] = vendors;
    facts.parts[vendorPartName(i)] = vendorPartFacts(s, vendors, policy);
  }
  const { sent, sliceFacts: _, ...core } = s;
  if (sent !== undefined) parts[SENT_PART] = sent;
  return { core: { ...core, vendors: [], vendorFacts: facts }, parts };
}

/**
 * The case from its core and parts: the whole case when every part is there, else a slice that
 * carries the core's facts of every vendor part (CaseState.sliceFacts).
 */
export function joinCase(core: unknown, parts: Readonly<Record<string, unknown>>): CaseState {
  const names = Object.keys(parts)
    .filter((name) => VENDOR_PART.test(name))
    .sort();
  const vendors = names.flatMap((name) => parts[name] as VendorState[]);
  const sent = parts[SENT_PART] as CaseState['sent'];
  const { vendorFacts, ...rest } = core as Core;
  const slice = vendorFacts !== undefined && Object.keys(vendorFacts.parts).some((name) => !names.includes(name));
  return { ...rest, vendors, ...(sent === undefined ? {} : { sent }), ...(slice ? { sliceFacts: vendorFacts } : {}) };
}

/**
 * The core and parts of a slice after a change made on it (StateParts.splitSlice), or null when the
 * change reached past what the slice holds, so only the whole case can say what it did: a vendor
 * added or moved, mail recorded without the record of mail sent, a change of the case-wide inputs
 * of the vendors' deadlines (the facts kept of the parts it lacks would go stale), or a core
 * without facts (written before them).
 */
export function splitSlice(s: CaseState, held: readonly string[], policy: Policy): { core: Core; parts: Record<string, unknown> } | null {
  const facts = s.sliceFacts;
  if (facts === undefined || facts.basis !== vendorBasis(s, policy)) return null;
  const parts: Record<string, unknown> = {};
  const next: VendorFacts = { basis: facts.basis, parts: { ...facts.parts } };
  for (const name of held.filter((n) => VENDOR_PART.test(n))) {
    const vendors = s.vendors.filter((v) => vendorPartOf(v.vendorId) === name);
    const before = facts.parts[name];
    // The part as read, with its vendors where their ids put them: nothing added, nothing moved.
    if (before === undefined || vendors.length !== before.vendors) return null;
    const first = Number(name.slice(1)) * VENDORS_PER_PART;
    if (vendors.some((v, i) => v.vendorId !== `vendor-${first + i + 1}`)) return null;
    parts[name] = vendors;
    next.parts[name] = vendorPartFacts(s, vendors, policy);
  }
  if (s.vendors.length !== Object.values(parts).reduce((n: number, p) => n + (p as VendorState[]).length, 0)) return null;
  if (held.includes(SENT_PART)) {
    if (s.sent !== undefined) parts[SENT_PART] = s.sent;
  } else if (s.sent !== undefined) return null;
  const { sent: _s, sliceFacts: _f, ...core } = s;
  return { core: { ...core, vendors: [], vendorFacts: next }, parts };
}
