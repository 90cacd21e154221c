// CVSS v2, implemented by us to the FIRST "Complete Guide to CVSS Version 2.0" (section 3.2),
// because no npm library rounds the v2 Environmental equation the way the guide writes it (docs/domain.md
// "Scores"). Pure: parse a vector, compute base/temporal/environmental.
import { CvssError, oneOf } from './cvss-error.js';

/** The guide's metric weights (section 3.2.1-3.2.3), in the guide's order of values. */
const V2_WEIGHTS = {
  AV: { L: 0.395, A: 0.646, N: 1.0 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  C: { N: 0, P: 0.275, C: 0.66 },
  I: { N: 0, P: 0.275, C: 0.66 },
  A: { N: 0, P: 0.275, C: 0.66 },
  E: { U: 0.85, POC: 0.9, F: 0.95, H: 1, ND: 1 },
  RL: { OF: 0.87, TF: 0.9, W: 0.95, U: 1, ND: 1 },
  RC: { UC: 0.9, UR: 0.95, C: 1, ND: 1 },
  CDP: { N: 0, L: 0.1, LM: 0.3, MH: 0.4, H: 0.5, ND: 0 },
  TD: { N: 0, L: 0.25, M: 0.75, H: 1, ND: 1 },
  CR: { L: 0.5, M: 1, H: 1.51, ND: 1 },
  IR: { L: 0.5, M: 1, H: 1.51, ND: 1 },
  AR: { L: 0.5, M: 1, H: 1.51, ND: 1 },
} as const;

export type V2MetricName = keyof typeof V2_WEIGHTS;
export type V2MetricValue<M extends V2MetricName> = keyof (typeof V2_WEIGHTS)[M] & string;

export const V2_BASE_METRICS = ['AV', 'AC', 'Au', 'C', 'I', 'A'] as const;
export const V2_TEMPORAL_METRICS = ['E', 'RL', 'RC'] as const;
export const V2_ENVIRONMENTAL_METRICS = ['CDP', 'TD', 'CR', 'IR', 'AR'] as const;

type GroupRecord<G extends readonly V2MetricName[]> = { readonly [M in G[number]]: V2MetricValue<M> };
export type CvssV2BaseMetrics = GroupRecord<typeof V2_BASE_METRICS>;
export type CvssV2TemporalMetrics = GroupRecord<typeof V2_TEMPORAL_METRICS>;
export type CvssV2EnvironmentalMetrics = GroupRecord<typeof V2_ENVIRONMENTAL_METRICS>;

/** A parsed v2 vector. Groups are nested because the grammar makes each one all-or-nothing. */
export interface CvssV2Metrics {
  base: CvssV2BaseMetrics;
  temporal?: CvssV2TemporalMetrics;
  environmental?: CvssV2EnvironmentalMetrics;
}

/** NVD's v2 ranges; the v2 guide itself defines no qualitative scale. */
export type CvssV2Severity = 'low' | 'medium' | 'high';

export interface CvssV2Score {
  version: '2.0';
  /** Normalised: no "(...)" wrapper, no "CVSS:2.0/" prefix. */
  vector: string;
  base: number;
  /** Present when the vector has the temporal group (even all ND: then it equals the base). */
  temporal?: number;
  /** Present when the vector has the environmental group. */
  environmental?: number;
  /** Severity of the base score. */
  severity: CvssV2Severity;
  environmentalSeverity?: CvssV2Severity;
}

const V2_PREFIX = 'CVSS:2.0/';
const isMetricName = (name: string): name is V2MetricName => Object.hasOwn(V2_WEIGHTS, name);
const valuesOf = (name: V2MetricName): string[] => Object.keys(V2_WEIGHTS[name]);

/**
 * Reads a v2 vector strictly: the six base metrics in the order AV/AC/Au/C/I/A, then optionally the
 * temporal group E/RL/RC, then optionally the environmental group CDP/TD/CR/IR/AR, each group
 * complete or absent, values case-sensitive as the guide spells them. NVD's "(AV:…/A:…)" wrapper and
 * a "CVSS:2.0/" prefix (seen in some scanners' output, not in the guide) are accepted and dropped.
 */
export function parseV2Metrics(vector: string): CvssV2Metrics {
  const fail = (problem: string): never => {
    throw new CvssError('2.0', String(vector), problem);
  };
  if (typeof vector !== 'string') return fail('the vector must be a string');
  let body = vector.trim();
  if (body === '') return fail('the vector is empty');
  if (body.startsWith('(') || body.endsWith(')')) {
    if (!(body.startsWith('(') && body.endsWith(')'))) return fail('unbalanced parentheses: write "(AV:…/A:…)" or leave them out');
    body = body.slice(1, -1);
  } else if (body.startsWith(V2_PREFIX)) {
    body = body.slice(V2_PREFIX.length);
  } else if (body.startsWith('CVSS:')) {
    return fail(`a v2 vector has no version prefix (or "${V2_PREFIX}"); found "${body.split('/')[0] ?? ''}/"`);
  }

  const given = new Map<V2MetricName, string>();
  for (const part of body.split('/')) {
    if (part === '') return fail('has an empty part (a doubled, leading or trailing "/")');
    const pair = /^([^:]+):([^:]+)$/.exec(part);
    const name = pair?.[1];
    const value = pair?.[2];
    if (name === undefined || value === undefined) return fail(`"${part}" is not a METRIC:VALUE pair`);
    if (!isMetricName(name)) {
      // "AU" for "Au" and stray spaces are the usual slips, so name the metric meant.
      const near = Object.keys(V2_WEIGHTS).find((k) => k.toLowerCase() === name.trim().toLowerCase());
      return fail(`unknown metric "${name}"${near ? ` (did you mean "${near}"?)` : ''}`);
    }
    if (given.has(name)) return fail(`${name} is given more than once`);
    if (!Object.hasOwn(V2_WEIGHTS[name], value)) return fail(`${name} must be one of ${oneOf(valuesOf(name))} (got "${value}")`);
    given.set(name, value);
  }

  const missing = V2_BASE_METRICS.filter((m) => !given.has(m));
  if (missing.length > 0) return fail(`missing base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const groups = [
    ['temporal', V2_TEMPORAL_METRICS],
    ['environmental', V2_ENVIRONMENTAL_METRICS],
  ] as const;
  for (const [label, group] of groups) {
    const absent = group.filter((m) => !given.has(m));
    if (absent.length > 0 && absent.length < group.length) {
      return fail(`the ${label} group is incomplete: missing ${absent.join(', ')} (give all of ${group.join('/')} or none)`);
    }
  }
  const hasTemporal = given.has('E');
  const hasEnvironmental = given.has('CDP');
  const expected: readonly V2MetricName[] = [
    ...V2_BASE_METRICS,
    ...(hasTemporal ? V2_TEMPORAL_METRICS : []),
    ...(hasEnvironmental ? V2_ENVIRONMENTAL_METRICS : []),
  ];
  // Every name is known, unique, and the groups are complete, so `given` and `expected` hold the same names.
  const order = [...given.keys()];
  expected.forEach((name, i) => {
    if (order[i] !== name)
      fail(`metrics are out of order: found ${order[i] ?? 'nothing'} where ${name} belongs (the order is ${expected.join('/')})`);
  });

  // Values were checked against V2_WEIGHTS above, so these narrowing reads cannot lie.
  const read = <M extends V2MetricName>(m: M): V2MetricValue<M> => given.get(m) as V2MetricValue<M>;
  const base: CvssV2BaseMetrics = { AV: read('AV'), AC: read('AC'), Au: read('Au'), C: read('C'), I: read('I'), A: read('A') };
  return {
    base,
    ...(hasTemporal ? { temporal: { E: read('E'), RL: read('RL'), RC: read('RC') } } : {}),
    ...(hasEnvironmental ? { environmental: { CDP: read('CDP'), TD: read('TD'), CR: read('CR'), IR: read('IR'), AR: read('AR') } } : {}),
  };
}

/** The vector in the guide's form: groups in order, no wrapper, no prefix. */
export function formatV2Vector(metrics: CvssV2Metrics): string {
  const parts = [
    ...Object.entries(metrics.base),
    ...Object.entries(metrics.temporal ?? {}),
    ...Object.entries(metrics.environmental ?? {}),
  ];
  return parts.map(([name, value]) => `${name}:${String(value)}`).join('/');
}

/**
 * The guide's round_to_1_decimal (half away from zero). The guide's weights are exact decimals, but
 * in binary floating point 3.0 × 0.95 = 2.85 arrives as 2.8499999999999996 and plain Math.round
 * gives 2.8, not the guide's 2.9. Float error in these equations is around 1e-15, so a 1e-9 nudge
 * (in tenths) lifts such near-ties without touching honest values. Checked exhaustively: on all
 * 18,895,680 full v2 vectors (every non-ND value; ND weighs the same as a listed value)
 * scoreV2Metrics equals BigInt decimal arithmetic at every score, where plain Math.round gets
 * 16,200 temporal and 115,670 environmental scores wrong. The `+ 0` turns -0 into 0.
 */
export function roundTo1Decimal(x: number): number {
  const magnitude = Math.round(Math.abs(x) * 10 + 1e-9) / 10;
  return (x < 0 ? -magnitude : magnitude) + 0;
}

const weight = <M extends V2MetricName>(name: M, value: V2MetricValue<M>): number =>
  (V2_WEIGHTS[name] as Record<string, number>)[value] ?? Number.NaN;

/** The guide's BaseScore equation for a given impact (also reused, as the guide says, for AdjustedBase). */
const baseEquation = (impact: number, exploitability: number): number =>
  roundTo1Decimal((0.6 * impact + 0.4 * exploitability - 1.5) * (impact === 0 ? 0 : 1.176));

export function v2Severity(score: number): CvssV2Severity {
  return score < 4 ? 'low' : score < 7 ? 'medium' : 'high';
}

/** Scores a parsed vector; the arithmetic follows the guide's equations term by term. */
export function scoreV2Metrics(metrics: CvssV2Metrics): Omit<CvssV2Score, 'vector'> {
  const { base: b, temporal: t, environmental: e } = metrics;
  const conf = weight('C', b.C);
  const integ = weight('I', b.I);
  const avail = weight('A', b.A);
  const exploitability = 20 * weight('AV', b.AV) * weight('AC', b.AC) * weight('Au', b.Au);
  const impact = 10.41 * (1 - (1 - conf) * (1 - integ) * (1 - avail));
  const base = baseEquation(impact, exploitability);

  // Absent temporal metrics weigh 1 (ND), which is what AdjustedTemporal needs when only the environmental group is given.
  const temporalFactor = t ? weight('E', t.E) * weight('RL', t.RL) * weight('RC', t.RC) : 1;
  const temporal = roundTo1Decimal(base * temporalFactor);

  let environmental: number | undefined;
  if (e) {
    const adjustedImpact = Math.min(
      10,
      10.41 * (1 - (1 - conf * weight('CR', e.CR)) * (1 - integ * weight('IR', e.IR)) * (1 - avail * weight('AR', e.AR))),
    );
    // "Round-intermediate": AdjustedBase and AdjustedTemporal are the guide's rounded equations recomputed.
    const adjustedBase = baseEquation(adjustedImpact, exploitability);
    const adjustedTemporal = roundTo1Decimal(adjustedBase * temporalFactor);
    const cdp = weight('CDP', e.CDP);
    const raw = roundTo1Decimal((adjustedTemporal + (10 - adjustedTemporal) * cdp) * weight('TD', e.TD));
    // With a lone Partial impact, a Low requirement and the weakest exploitability, the guide's equations
    // go below zero (AdjustedBase -0.2). Scores are defined on 0-10, so the final score is clamped at 0.
    environmental = Math.max(0, raw);
  }

  return {
    version: '2.0',
    base,
    ...(t ? { temporal } : {}),
    ...(environmental !== undefined ? { environmental, environmentalSeverity: v2Severity(environmental) } : {}),
    severity: v2Severity(base),
  };
}

/** Parses strictly (throws CvssError) and scores a CVSS v2 vector. */
export function scoreV2(vector: string): CvssV2Score {
  const metrics = parseV2Metrics(vector);
  const { version, ...scores } = scoreV2Metrics(metrics);
  return { version, vector: formatV2Vector(metrics), ...scores };
}
