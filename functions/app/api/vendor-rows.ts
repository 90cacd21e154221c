// The coordinators' rows for a case's vendors, and their pages: the case view carries the first
// FIRST_VENDOR_PAGE of them (an ordinary case has them all there), GET /cases/{caseId}/vendors the
// rest. Each row is built from the case state for the coordinators, never from another reader's view.
import { type CaseState, type VendorState, approvedOf, isNotAffected, vendorStateString } from '../../domain/case.js';
import { referencesOf } from '../../domain/vendor-references.js';
import type { VendorStatus } from '../../domain/events.js';

/** Vendors in the case view before a cursor is needed: far above an ordinary case's count. */
export const FIRST_VENDOR_PAGE = 50;

/** One word per vendor for lists: affected wins, then unknown; all not-affected is not-affected. */
export function vendorStatus(v: VendorState): VendorStatus | 'no-statement' {
  const values = Object.values(v.statuses);
  if (values.length === 0) return 'no-statement';
  if (values.includes('affected')) return 'affected';
  return isNotAffected(v) ? 'not-affected' : 'unknown';
}

export function coordinatorVendorRow(s: CaseState, v: VendorState) {
  return {
    vendorId: v.vendorId,
    name: v.name,
    ...(v.vendorRef ? { vendorRef: v.vendorRef } : {}),
    // Confirmed contacts, each with its link's standing; a reporter's suggestions apart.
    contacts: v.contacts.map((c) => ({
      email: c.email,
      ...(c.name ? { name: c.name } : {}),
      ...(c.pgpKey ? { pgpKey: c.pgpKey } : {}),
      confirmedAt: c.confirmedAt,
      bounced: c.bounced ?? null,
      link: {
        state: c.link.revokedAt ? ('revoked' as const) : ('live' as const),
        generation: c.link.generation,
        revokedAt: c.link.revokedAt,
      },
    })),
    suggestedContacts: v.suggestedContacts,
    isCna: v.isCna,
    ...(v.cnaShortName ? { cnaShortName: v.cnaShortName } : {}),
    downstream: v.downstream,
    firstContactAt: v.firstContactAt,
    lastAttemptAt: v.lastAttemptAt,
    attempts: v.attempts.length,
    acknowledgedAt: v.acknowledgedAt,
    status: vendorStatus(v),
    statuses: v.statuses,
    unresponsive: v.unresponsiveAt !== null,
    unresponsiveAt: v.unresponsiveAt,
    statement: v.statement,
    statementAt: v.statementAt,
    cveIds: v.cveIds,
    proposals: { isCna: v.proposals.isCna, cveIds: Object.fromEntries(Object.entries(v.proposals.cveIds).map(([k, p]) => [k, p.cveId])) },
    references: referencesOf(v),
    changedSinceApproval: v.approved !== null && JSON.stringify(v.approved) !== JSON.stringify(approvedOf(v)),
    rm: v.rm,
    cs: vendorStateString(s, v),
  };
}
export type CoordinatorVendorRow = ReturnType<typeof coordinatorVendorRow>;

/** The cursor names the last vendor of the page read (vendors are only ever added, in order). */
// The ids are the case's own (vendor-<n>), never a participant's text.
const encodeCursor = (vendorId: string) => `v.${vendorId}`;

/** Where a cursor says the next page starts; null when it is not one this case's list returned. */
function startOf(s: CaseState, cursor: string): number | null {
  if (!cursor.startsWith('v.')) return null;
  const vendorId = cursor.slice(2);
  const at = s.vendors.findIndex((v) => v.vendorId === vendorId);
  return at < 0 ? null : at + 1;
}

export interface VendorPage {
  vendors: CoordinatorVendorRow[];
  /** For GET /cases/{caseId}/vendors?cursor=…; null when the page ends the list. */
  cursor: string | null;
  total: number;
}

/** A page of the case's vendors, in the order they were added; null for a cursor this case never gave. */
export function vendorPage(s: CaseState, limit: number, cursor?: string): VendorPage | null {
  const start = cursor === undefined ? 0 : startOf(s, cursor);
  if (start === null) return null;
  const rows = s.vendors.slice(start, start + limit);
  const last = rows.at(-1);
  return {
    vendors: rows.map((v) => coordinatorVendorRow(s, v)),
    cursor: last && start + rows.length < s.vendors.length ? encodeCursor(last.vendorId) : null,
    total: s.vendors.length,
  };
}
