// The Traffic Light Protocol label a coordinator sets for the vendors' private CSAF documents
// (docs/domain.md "A vendor's own CSAF document"): the recipient's organisation only, or the named
// recipients only. Without a choice on the case, AMBER+STRICT.
export const VENDOR_CSAF_TLPS = ['AMBER+STRICT', 'RED'] as const;
export type VendorCsafTlp = (typeof VENDOR_CSAF_TLPS)[number];
export const DEFAULT_VENDOR_CSAF_TLP: VendorCsafTlp = 'AMBER+STRICT';
