// CVSS v3.0, v3.1 and v4.0: every vector is checked here against the specification, then scored
// by our own arithmetic (cvss31-math.ts, cvss40-math.ts), written to FIRST's specifications and
// reference calculators and cross-checked against ae-cvss-calculator in test/unit/scores/own-math.test.ts.
// (ae, a 183 KB CommonJS bundle that cannot be tree-shaken, is now only a test oracle.)
import { CvssError, oneOf } from './cvss-error.js';
import { cvss3Scores, type Cvss3Scores } from './cvss31-math.js';
import { cvss4Scores } from './cvss40-math.js';

export type CvssSeverity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export interface CvssV3Score {
  version: '3.0' | '3.1';
  /** Normalised: the prefix, then the metrics given, in the specification's order. */
  vector: string;
  base: number;
  /** Present when a temporal metric has a value other than X. */
  temporal?: number;
  /** Present when an environmental metric has a value other than X. */
  environmental?: number;
  /** Severity of the base score. */
  severity: CvssSeverity;
}

export type CvssV4Nomenclature = 'CVSS-B' | 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE';

export interface CvssV4Score {
  version: '4.0';
  /** Normalised: the prefix, then the metrics given, in the specification's order. */
  vector: string;
  /** The score of the whole vector (CVSS-B, -BT, -BE or -BTE as `nomenclature` says). */
  score: number;
  /** The score of the base metrics alone (CVSS-B). */
  base: number;
  /** Severity of `score`. */
  severity: CvssSeverity;
  nomenclature: CvssV4Nomenclature;
}

type Group = 'base' | 'temporal' | 'threat' | 'environmental' | 'supplemental';

interface MetricDefinition {
  readonly name: string;
  readonly group: Group;
  readonly values: readonly string[];
}

const metric = (group: Group, name: string, values: string): MetricDefinition => ({ name, group, values: values.split(' ') });

/** v3.0 and v3.1 share one metric set (v3.1 specification, table 15); array order is the canonical order. */
const V3_METRICS: readonly MetricDefinition[] = [
  metric('base', 'AV', 'N A L P'),
  metric('base', 'AC', 'L H'),
  metric('base', 'PR', 'N L H'),
  metric('base', 'UI', 'N R'),
  metric('base', 'S', 'U C'),
  metric('base', 'C', 'H L N'),
  metric('base', 'I', 'H L N'),
  metric('base', 'A', 'H L N'),
  metric('temporal', 'E', 'X H F P U'),
  metric('temporal', 'RL', 'X U W T O'),
  metric('temporal', 'RC', 'X C R U'),
  metric('environmental', 'CR', 'X H M L'),
  metric('environmental', 'IR', 'X H M L'),
  metric('environmental', 'AR', 'X H M L'),
  metric('environmental', 'MAV', 'X N A L P'),
  metric('environmental', 'MAC', 'X L H'),
  metric('environmental', 'MPR', 'X N L H'),
  metric('environmental', 'MUI', 'X N R'),
  metric('environmental', 'MS', 'X U C'),
  metric('environmental', 'MC', 'X H L N'),
  metric('environmental', 'MI', 'X H L N'),
  metric('environmental', 'MA', 'X H L N'),
];

/**
 * v4.0 specification, section 7 (table 23). Unlike ae, base SC/SI/SA do not take S (Safety): only
 * the modified MSI and MSA do. Array order is the canonical order (Base, Threat, Environmental, Supplemental).
 */
const V4_METRICS: readonly MetricDefinition[] = [
  metric('base', 'AV', 'N A L P'),
  metric('base', 'AC', 'L H'),
  metric('base', 'AT', 'N P'),
  metric('base', 'PR', 'N L H'),
  metric('base', 'UI', 'N P A'),
  metric('base', 'VC', 'H L N'),
  metric('base', 'VI', 'H L N'),
  metric('base', 'VA', 'H L N'),
  metric('base', 'SC', 'H L N'),
  metric('base', 'SI', 'H L N'),
  metric('base', 'SA', 'H L N'),
  metric('threat', 'E', 'X A P U'),
  metric('environmental', 'CR', 'X H M L'),
  metric('environmental', 'IR', 'X H M L'),
  metric('environmental', 'AR', 'X H M L'),
  metric('environmental', 'MAV', 'X N A L P'),
  metric('environmental', 'MAC', 'X L H'),
  metric('environmental', 'MAT', 'X N P'),
  metric('environmental', 'MPR', 'X N L H'),
  metric('environmental', 'MUI', 'X N P A'),
  metric('environmental', 'MVC', 'X H L N'),
  metric('environmental', 'MVI', 'X H L N'),
  metric('environmental', 'MVA', 'X H L N'),
  metric('environmental', 'MSC', 'X H L N'),
  metric('environmental', 'MSI', 'X S H L N'),
  metric('environmental', 'MSA', 'X S H L N'),
  metric('supplemental', 'S', 'X N P'),
  metric('supplemental', 'AU', 'X N Y'),
  metric('supplemental', 'R', 'X A U I'),
  metric('supplemental', 'V', 'X D C'),
  metric('supplemental', 'RE', 'X L M H'),
  metric('supplemental', 'U', 'X Clear Green Amber Red'),
];

interface ParsedVector {
  /** Prefix plus the given metrics in canonical order; what we store. */
  normalized: string;
  /** The given metrics, name to value; what we score. */
  metrics: Readonly<Record<string, string>>;
  /** Groups with at least one metric whose value is not X (Not Defined). */
  defined: ReadonlySet<Group>;
}

/**
 * Checks the metrics after the prefix: every part NAME:VALUE, names from the specification, none
 * twice, legal values (case-sensitive, as the specifications spell them), all base metrics present.
 * Order is not checked: the v3.1 specification allows any order; v4.0 is read the same way, and
 * the normalised vector puts everything in the canonical order the v4.0 JSON schema requires.
 */
function parseMetrics(
  version: '3.0' | '3.1' | '4.0',
  vector: string,
  prefix: string,
  body: string,
  definitions: readonly MetricDefinition[],
): ParsedVector {
  const fail = (problem: string): never => {
    throw new CvssError(version, vector, problem);
  };
  if (body === '') return fail(`no metrics after "${prefix}"`);
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const given = new Map<string, string>();
  for (const part of body.split('/')) {
    if (part === '') return fail('has an empty part (a doubled or trailing "/")');
    const pair = /^([^:]+):([^:]+)$/.exec(part);
    const name = pair?.[1];
    const value = pair?.[2];
    if (name === undefined || value === undefined) return fail(`"${part}" is not a METRIC:VALUE pair`);
    const definition = byName.get(name);
    if (!definition) {
      const near = definitions.find((d) => d.name.toLowerCase() === name.trim().toLowerCase());
      return fail(`unknown metric "${name}"${near ? ` (did you mean "${near.name}"?)` : ''}`);
    }
    if (given.has(name)) return fail(`${name} is given more than once`);
    if (!definition.values.includes(value)) return fail(`${name} must be one of ${oneOf(definition.values)} (got "${value}")`);
    given.set(name, value);
  }
  const missing = definitions.filter((d) => d.group === 'base' && !given.has(d.name)).map((d) => d.name);
  if (missing.length > 0) return fail(`missing base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);

  const present = definitions.filter((d) => given.has(d.name));
  return {
    normalized: prefix + present.map((d) => `${d.name}:${given.get(d.name) ?? ''}`).join('/'),
    metrics: Object.fromEntries(given),
    defined: new Set(present.filter((d) => given.get(d.name) !== 'X').map((d) => d.group)),
  };
}

/** The qualitative scale shared by v3.x and v4.0 (v3.1 table 14, v4.0 table 24). */
export function severityOf(score: number): CvssSeverity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/** A non-finite score after our checks would be a bug, not bad input. */
function scoreOf(version: '3.0' | '3.1' | '4.0', vector: string, what: string, value: number | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CvssError(version, vector, `the calculator returned no ${what} score`);
  }
  return value;
}

/** The version named by a "CVSS:x.y/" prefix, for messages when the caller picked the wrong field. */
const foundPrefix = (vector: string): string => {
  const found = /^CVSS:[^/]*\//.exec(vector)?.[0];
  return found ? ` (found "${found}")` : '';
};

/** Strictly validates (throws CvssError) and scores a CVSS v3.1 or v3.0 vector. */
export function scoreV3(vector: string): CvssV3Score {
  if (typeof vector !== 'string') throw new CvssError('unknown', String(vector), 'the vector must be a string');
  const trimmed = vector.trim();
  if (trimmed === '') throw new CvssError('unknown', vector, 'the vector is empty');
  const version = trimmed.startsWith('CVSS:3.1/') ? '3.1' : trimmed.startsWith('CVSS:3.0/') ? '3.0' : undefined;
  if (!version) {
    throw new CvssError('unknown', vector, `a CVSS v3 vector must start with "CVSS:3.1/" or "CVSS:3.0/"${foundPrefix(trimmed)}`);
  }
  const prefix = `CVSS:${version}/`;
  const parsed = parseMetrics(version, vector, prefix, trimmed.slice(prefix.length), V3_METRICS);
  let scores: Cvss3Scores;
  try {
    scores = cvss3Scores(version, parsed.metrics);
  } catch (e) {
    throw new CvssError(version, vector, `could not be scored: ${e instanceof Error ? e.message : String(e)}`);
  }
  const base = scoreOf(version, vector, 'base', scores.base);
  return {
    version,
    vector: parsed.normalized,
    base,
    ...(parsed.defined.has('temporal') ? { temporal: scoreOf(version, vector, 'temporal', scores.temporal) } : {}),
    ...(parsed.defined.has('environmental') ? { environmental: scoreOf(version, vector, 'environmental', scores.environmental) } : {}),
    severity: severityOf(base),
  };
}

/** Strictly validates (throws CvssError) and scores a CVSS v4.0 vector. */
export function scoreV4(vector: string): CvssV4Score {
  if (typeof vector !== 'string') throw new CvssError('unknown', String(vector), 'the vector must be a string');
  const trimmed = vector.trim();
  if (trimmed === '') throw new CvssError('unknown', vector, 'the vector is empty');
  const prefix = 'CVSS:4.0/';
  if (!trimmed.startsWith(prefix)) {
    throw new CvssError('unknown', vector, `a CVSS v4 vector must start with "${prefix}"${foundPrefix(trimmed)}`);
  }
  const parsed = parseMetrics('4.0', vector, prefix, trimmed.slice(prefix.length), V4_METRICS);
  let scores: { score: number; base: number };
  try {
    scores = cvss4Scores(parsed.metrics);
  } catch (e) {
    throw new CvssError('4.0', vector, `could not be scored: ${e instanceof Error ? e.message : String(e)}`);
  }
  const score = scoreOf('4.0', vector, 'overall', scores.score);
  const threat = parsed.defined.has('threat');
  const environmental = parsed.defined.has('environmental');
  // Supplemental metrics never change the score, so they do not appear in the nomenclature.
  const nomenclature: CvssV4Nomenclature = `CVSS-B${threat ? 'T' : ''}${environmental ? 'E' : ''}` as const;
  return {
    version: '4.0',
    vector: parsed.normalized,
    score,
    base: scoreOf('4.0', vector, 'base', scores.base),
    severity: severityOf(score),
    nomenclature,
  };
}
