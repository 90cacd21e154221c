// Whether a vendor can be reached (docs/domain.md "Vendors"): the one rule behind the coordinator
// queue's attention state, the case view, the vendor-contact escalation, outreach and the
// silent-vendor path. A vendor with no confirmed contact, or whose every confirmed contact bounced
// or complained, is unreachable: it needs a coordinator, and it is never taken for a silent vendor.
import { type ContactState, type VendorState, sameEmail } from './case-state.js';
import { ms } from './time.js';

/** Why a vendor cannot be reached; null when some confirmed contact can still receive mail. */
export type Unreachable = 'no-contact' | 'bounced';

/** The confirmed contacts mail still goes to: those SES has not reported as bouncing or complaining. */
export const reachableContacts = (v: Pick<VendorState, 'contacts'>): ContactState[] => v.contacts.filter((c) => !c.bounced);

export function unreachableReason(v: Pick<VendorState, 'contacts'>): Unreachable | null {
  if (v.contacts.length === 0) return 'no-contact';
  return reachableContacts(v).length === 0 ? 'bounced' : null;
}

export const vendorUnreachable = (v: Pick<VendorState, 'contacts'>): boolean => unreachableReason(v) !== null;

/**
 * Since when the vendor has been unreachable: its last contact's bounce, or (no contact at all)
 * when it was added. Null while it is reachable.
 */
export function unreachableSince(v: Pick<VendorState, 'contacts' | 'addedAt'>): string | null {
  const why = unreachableReason(v);
  if (why === null) return null;
  if (why === 'no-contact') return v.addedAt;
  const bounces = v.contacts.flatMap((c) => (c.bounced ? [c.bounced.at] : []));
  return bounces.reduce((a, b) => (ms(b) > ms(a) ? b : a), v.addedAt);
}

/** The confirmed contact with this address, if the vendor has one. */
export const confirmedContactOf = (v: Pick<VendorState, 'contacts'>, email: string): ContactState | undefined =>
  v.contacts.find((c) => sameEmail(c.email, email));
