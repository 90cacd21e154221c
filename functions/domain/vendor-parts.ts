// Which part of a large case a vendor is stored in (functions/domain/case-parts.ts), and what the
// case's core keeps of each part: enough for the queue's summary and the next deadline, so a change
// made on a slice (the core and one part) can write them without reading every vendor.

// Changing it leaves parts of the old size in the table, unnamed by any core but read by whole loads: delete them in that release.
export const VENDORS_PER_PART = 64;

/** The part holding the vendor at this position of `vendors` (vendors are only ever added, at the end); six digits hold any vendorPartOf accepts. */
export const vendorPartName = (position: number): string => `v${String(Math.floor(position / VENDORS_PER_PART)).padStart(6, '0')}`;

/** The part of a vendor by its id (`vendor-N` is the Nth added); null for an id of another form. */
export function vendorPartOf(vendorId: string): string | null {
  const n = /^vendor-([1-9]\d{0,6})$/.exec(vendorId)?.[1];
  return n === undefined ? null : vendorPartName(Number(n) - 1);
}

/** What the core keeps of one part's vendors (functions/domain/deadlines.ts computes it). */
export interface VendorPartFacts {
  vendors: number;
  /** The part's earliest vendor deadline, as pendingDeadlines orders them. */
  next: { kind: 'vendor-contact' | 'vendor-reminder' | 'vendor-unresponsive' | 'statement-reminder'; at: string; vendorId: string } | null;
  /** The part's vendors that need a coordinator, by reason, in vendor order. */
  attention: { kind: 'vendor-without-contact' | 'vendor-contacts-bounced'; vendorIds: string[] }[];
  /** Vendors on the case downstream (told once the others were reached). */
  downstream: number;
}

/**
 * Every vendor part's facts, valid while the case-wide inputs they were computed from (`basis`:
 * phase, planned publication, policy) stay the same.
 */
export interface VendorFacts {
  basis: string;
  parts: Record<string, VendorPartFacts>;
}
