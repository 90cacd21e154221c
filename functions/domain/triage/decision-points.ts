// The SSVC coordinator decision points, with the exact value spellings of CERTCC/SSVC's CSV tables
// (functions/domain/triage/data/), so a table row and an input object compare as plain strings.

export const REPORT_PUBLIC = ['yes', 'no'] as const;
export const SUPPLIER_CONTACTED = ['no', 'yes'] as const;
export const REPORT_CREDIBILITY = ['not credible', 'credible'] as const;
export const SUPPLIER_CARDINALITY = ['one', 'multiple'] as const;
export const SUPPLIER_ENGAGEMENT = ['active', 'unresponsive'] as const;
export const UTILITY = ['laborious', 'efficient', 'super effective'] as const;
export const PUBLIC_SAFETY_IMPACT = ['minimal', 'significant'] as const;
export const TRIAGE_OUTCOMES = ['decline', 'track', 'coordinate'] as const;

export const SUPPLIER_INVOLVEMENT = ['fix ready', 'cooperative', 'uncooperative/unresponsive'] as const;
export const EXPLOITATION = ['none', 'public poc', 'active'] as const;
export const PUBLIC_VALUE_ADDED = ['limited', 'ampliative', 'precedence'] as const;
export const PUBLISH_OUTCOMES = ['do not publish', 'publish'] as const;

export type ReportPublic = (typeof REPORT_PUBLIC)[number];
export type SupplierContacted = (typeof SUPPLIER_CONTACTED)[number];
export type ReportCredibility = (typeof REPORT_CREDIBILITY)[number];
export type SupplierCardinality = (typeof SUPPLIER_CARDINALITY)[number];
export type SupplierEngagement = (typeof SUPPLIER_ENGAGEMENT)[number];
export type Utility = (typeof UTILITY)[number];
export type PublicSafetyImpact = (typeof PUBLIC_SAFETY_IMPACT)[number];
/** Decline: do not act. Track: watch for changes, no overt action. Coordinate: act on the report. */
export type TriageOutcome = (typeof TRIAGE_OUTCOMES)[number];

export type SupplierInvolvement = (typeof SUPPLIER_INVOLVEMENT)[number];
export type Exploitation = (typeof EXPLOITATION)[number];
export type PublicValueAdded = (typeof PUBLIC_VALUE_ADDED)[number];
export type PublishOutcome = (typeof PUBLISH_OUTCOMES)[number];

/** Inputs of SSVC Coordinator Triage 1.0.0; keys in the CSV's column order. */
export interface SsvcTriageInputs {
  reportPublic: ReportPublic;
  supplierContacted: SupplierContacted;
  reportCredibility: ReportCredibility;
  supplierCardinality: SupplierCardinality;
  supplierEngagement: SupplierEngagement;
  utility: Utility;
  publicSafetyImpact: PublicSafetyImpact;
}

/** Inputs of SSVC Coordinator Publish 1.0.0; keys in the CSV's column order. */
export interface SsvcPublishInputs {
  supplierInvolvement: SupplierInvolvement;
  exploitation: Exploitation;
  publicValueAdded: PublicValueAdded;
}

/** One row of the triage table: the seven values in column order, then the outcome. */
export type SsvcTriageRow = readonly [
  ReportPublic,
  SupplierContacted,
  ReportCredibility,
  SupplierCardinality,
  SupplierEngagement,
  Utility,
  PublicSafetyImpact,
  TriageOutcome,
];

/** One row of the publication table: the three values in column order, then the outcome. */
export type SsvcPublishRow = readonly [SupplierInvolvement, Exploitation, PublicValueAdded, PublishOutcome];

export type TriageDecisionPointKey = keyof SsvcTriageInputs;

/** Names and allowed values per decision point, in column order: for forms, review screens and tests. */
export const TRIAGE_DECISION_POINTS: readonly {
  key: TriageDecisionPointKey;
  name: string;
  values: readonly string[];
}[] = [
  { key: 'reportPublic', name: 'Report Public', values: REPORT_PUBLIC },
  { key: 'supplierContacted', name: 'Supplier Contacted', values: SUPPLIER_CONTACTED },
  { key: 'reportCredibility', name: 'Report Credibility', values: REPORT_CREDIBILITY },
  { key: 'supplierCardinality', name: 'Supplier Cardinality', values: SUPPLIER_CARDINALITY },
  { key: 'supplierEngagement', name: 'Supplier Engagement', values: SUPPLIER_ENGAGEMENT },
  { key: 'utility', name: 'Utility', values: UTILITY },
  { key: 'publicSafetyImpact', name: 'Public Safety Impact', values: PUBLIC_SAFETY_IMPACT },
];
