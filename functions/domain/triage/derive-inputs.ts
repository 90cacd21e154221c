// The system's first guess at each SSVC triage decision point, read off the report. Every guess says
// where it came from, because a coordinator reviews it and may override it; overrides always win.
import type { Report } from '../report.js';
import type {
  PublicSafetyImpact,
  ReportCredibility,
  ReportPublic,
  SsvcTriageInputs,
  SupplierCardinality,
  SupplierContacted,
  SupplierEngagement,
  Utility,
} from './decision-points.js';
import { triagePolicy, type TriagePolicy } from './policy.js';

/** `report`: read off the report; `default`: the report has no signal, so the cautious value; `coordinator`: an override. */
export type TriageInputSource = 'report' | 'default' | 'coordinator';

export interface DerivedValue<T extends string> {
  value: T;
  source: TriageInputSource;
  /** Human-readable grounds, e.g. `report.alreadyPublic = true` or `no vendor marked contacted`. */
  evidence: string;
}

export type DerivedTriageInputs = { [K in keyof SsvcTriageInputs]: DerivedValue<SsvcTriageInputs[K]> };

type ReportedVendor = Report['vendors'][number];

const names = (vendors: readonly ReportedVendor[]): string => vendors.map((v) => `"${v.name}"`).join(', ');
const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);
const fromReport = <T extends string>(value: T, evidence: string): DerivedValue<T> => ({ value, source: 'report', evidence });
const byDefault = <T extends string>(value: T, evidence: string): DerivedValue<T> => ({ value, source: 'default', evidence });
const listed = (field: string, urls: readonly string[]): string =>
  `${field} lists ${urls.length} ${plural(urls.length, 'URL', 'URLs')}, e.g. ${urls[0] ?? ''}`;

/**
 * Report Public: the reporter says so, or points at public material. A public exploit makes the
 * report public too (Vultron: X forces P).
 */
function reportPublic(report: Report): DerivedValue<ReportPublic> {
  if (report.alreadyPublic) return fromReport('yes', 'report.alreadyPublic = true');
  if (report.publicReferences.length > 0) return fromReport('yes', listed('report.publicReferences', report.publicReferences));
  if (report.exploitReferences.length > 0) {
    return fromReport('yes', `${listed('report.exploitReferences', report.exploitReferences)}: a public exploit makes the details public`);
  }
  return fromReport('no', 'report.alreadyPublic = false and no public or exploit references');
}

/** Supplier Contacted: whether the reporter marked some vendor as contacted. */
function supplierContacted(report: Report): DerivedValue<SupplierContacted> {
  const contacted = report.vendors.filter((v) => v.contacted);
  if (contacted.length === 0) return fromReport('no', 'no vendor marked contacted');
  const firstAt = contacted.length === 1 ? contacted[0]?.firstContactAt : undefined;
  const when = firstAt ? ` (first contact ${firstAt})` : '';
  return fromReport('yes', `${plural(contacted.length, 'vendor', 'vendors')} ${names(contacted)} marked contacted${when}`);
}

/**
 * Report Credibility: credible when the report carries evidence (seeds: "a proof of concept or proposed
 * patch"), or failing that a substantive description: at least `substantiveDescriptionMinChars`
 * characters plus an account of how it is exploited. Anything thinner is not credible until shown.
 */
function reportCredibility(report: Report, policy: TriagePolicy): DerivedValue<ReportCredibility> {
  const hasPoc = report.evidence.proofOfConcept !== '';
  const hasPatch = report.evidence.patch !== '';
  if (hasPoc || hasPatch) {
    const given = [hasPoc && 'report.evidence.proofOfConcept', hasPatch && 'report.evidence.patch'].filter(Boolean);
    return fromReport('credible', `${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} given`);
  }
  const length = report.description.length;
  const min = policy.substantiveDescriptionMinChars;
  const explainsExploitation = report.exploitation !== '';
  if (length >= min && explainsExploitation) {
    return fromReport(
      'credible',
      `no proof of concept or patch, but the description is substantive (${length} characters, at least ${min}) ` +
        'and report.exploitation says how it is exploited',
    );
  }
  const shortfall = [
    length < min && `the description has ${length} characters (fewer than ${min})`,
    !explainsExploitation && 'report.exploitation is empty',
  ].filter(Boolean);
  return fromReport('not credible', `no proof of concept, no patch, and ${shortfall.join(' and ')}`);
}

/** Supplier Cardinality: the reporter's "several vendors affected" answer, or more than one vendor named. */
function supplierCardinality(report: Report): DerivedValue<SupplierCardinality> {
  if (report.multipleVendors) return fromReport('multiple', 'report.multipleVendors = true');
  if (report.vendors.length > 1) return fromReport('multiple', `report names ${report.vendors.length} vendors`);
  return fromReport('one', `report names one vendor (${names(report.vendors)}) and multipleVendors = false`);
}

/** Phrases in a vendor communication note that mean the vendor has not answered. Deliberately short: the coordinator reviews. */
const SILENCE_PHRASES = [
  'no (reply|response|answer|acknowledge?ment)',
  'not (yet )?(replied|responded|answered|acknowledged)',
  "(did not|didn't|has not|hasn't|have not|haven't|never) (yet )?(reply|replied|respond|responded|answer|answered|acknowledged?|heard back)",
  'unresponsive',
  'ignored',
  'went silent',
  'bounced',
];
const SILENCE = new RegExp(`\\b(${SILENCE_PHRASES.join('|')})\\b`, 'i');

/**
 * Supplier Engagement: unresponsive when any vendor the reporter contacted has a communication note
 * that reads as silence ("no reply", "never responded", "bounced"…): one silent vendor is what a
 * coordinator can help with. Otherwise active: a blank note is not proof of silence.
 */
function supplierEngagement(report: Report): DerivedValue<SupplierEngagement> {
  const contacted = report.vendors.filter((v) => v.contacted);
  if (contacted.length === 0) {
    return byDefault('active', 'no vendor marked contacted, so no engagement to judge; default active');
  }
  for (const vendor of contacted) {
    const silence = SILENCE.exec(vendor.communication);
    if (silence) return fromReport('unresponsive', `vendor "${vendor.name}" was contacted and its communication says "${silence[0]}"`);
  }
  return byDefault('active', `nothing in the communication with ${names(contacted)} suggests silence; default active`);
}

/** Metrics each CVSS version must show for the exploit to count as automatable: network, low complexity, no privileges, no user. */
const AUTOMATABLE_VECTOR: Record<'v2' | 'v3' | 'v4', Record<string, string>> = {
  v2: { AV: 'N', AC: 'L', Au: 'N' },
  v3: { AV: 'N', AC: 'L', PR: 'N', UI: 'N' },
  v4: { AV: 'N', AC: 'L', AT: 'N', PR: 'N', UI: 'N' },
};

function looksAutomatable(vector: string, required: Record<string, string>): boolean {
  const metrics = new Map(
    vector.split('/').map((part) => {
      const [metric = '', value = ''] = part.split(':');
      return [metric, value] as const;
    }),
  );
  return Object.entries(required).every(([metric, value]) => metrics.get(metric) === value);
}

const AUTOMATION_WORDING =
  /\b(unauthenticated|without (any )?authentication|pre-?auth(entication)?|no user interaction|zero-click|0-click|wormable|automat(ed|able|ically)|mass[- ]exploit(ed|ation)?)\b/i;

/**
 * Utility = Automatable × Value Density. Automatable is guessed from the report: exploited in the wild,
 * a CVSS vector with network access, low complexity, no privileges and no user interaction, or such
 * wording in report.exploitation. Value density (concentrated targets) is a coordinator's judgement,
 * so it is assumed diffuse: the guess is efficient or laborious, never super effective.
 */
function utility(report: Report): DerivedValue<Utility> {
  const signals: string[] = [];
  if (report.exploitedInTheWild) signals.push('report.exploitedInTheWild = true');
  for (const version of ['v4', 'v3', 'v2'] as const) {
    const vector = report.cvss[version];
    const required = AUTOMATABLE_VECTOR[version];
    if (vector && looksAutomatable(vector, required)) {
      signals.push(
        `report.cvss.${version} has ${Object.entries(required)
          .map(([m, v]) => `${m}:${v}`)
          .join('/')}`,
      );
    }
  }
  const wording = AUTOMATION_WORDING.exec(report.exploitation);
  if (wording) signals.push(`report.exploitation says "${wording[0]}"`);
  if (signals.length > 0) return fromReport('efficient', `${signals.join('; ')}: treated as automatable; value density assumed diffuse`);
  return byDefault(
    'laborious',
    'nothing suggests the exploit can be automated (not exploited in the wild, no network/no-privilege/no-interaction ' +
      'CVSS vector, no such wording in report.exploitation); value density assumed diffuse',
  );
}

/** Public Safety Impact: a reporter cannot tell us, so minimal until a coordinator judges otherwise. */
function publicSafetyImpact(): DerivedValue<PublicSafetyImpact> {
  return byDefault('minimal', 'not derivable from a report; default minimal until a coordinator judges it significant');
}

function withOverride<T extends string>(guess: DerivedValue<T>, override: T | undefined): DerivedValue<T> {
  if (override === undefined) return guess;
  const evidence = `set by the coordinator (the system guessed "${guess.value}": ${guess.evidence})`;
  return { value: override, source: 'coordinator', evidence };
}

/** Best guess of each SSVC triage input from the report; any coordinator override replaces the guess and is marked as such. */
export function deriveTriageInputs(
  report: Report,
  overrides: Partial<SsvcTriageInputs> = {},
  policy: Partial<TriagePolicy> = {},
): DerivedTriageInputs {
  return {
    reportPublic: withOverride(reportPublic(report), overrides.reportPublic),
    supplierContacted: withOverride(supplierContacted(report), overrides.supplierContacted),
    reportCredibility: withOverride(reportCredibility(report, triagePolicy(policy)), overrides.reportCredibility),
    supplierCardinality: withOverride(supplierCardinality(report), overrides.supplierCardinality),
    supplierEngagement: withOverride(supplierEngagement(report), overrides.supplierEngagement),
    utility: withOverride(utility(report), overrides.utility),
    publicSafetyImpact: withOverride(publicSafetyImpact(), overrides.publicSafetyImpact),
  };
}

/** The bare values, for the table lookup. */
export function triageInputValues(derived: DerivedTriageInputs): SsvcTriageInputs {
  return {
    reportPublic: derived.reportPublic.value,
    supplierContacted: derived.supplierContacted.value,
    reportCredibility: derived.reportCredibility.value,
    supplierCardinality: derived.supplierCardinality.value,
    supplierEngagement: derived.supplierEngagement.value,
    utility: derived.utility.value,
    publicSafetyImpact: derived.publicSafetyImpact.value,
  };
}
