// CVSS v3.0 and v3.1 arithmetic, written from the FIRST specifications (v3.1 section 7 and
// Appendix A; v3.0 section 8) and following FIRST's reference calculators (cvsscalc30.js,
// cvsscalc31.js) operation for operation, so that binary floating point rounds as they do.
// No validation beyond the weight tables: scoreV3 in cvss-v3-v4.ts checks vectors strictly first.
// Differences between the versions:
// - Roundup: v3.1 uses Appendix A's integer-based Roundup; v3.0 the plain Math.ceil(x·10)/10
//   (which is why a v3.0 temporal score can be 0.1 above an identical-looking v3.1 one).
// - ModifiedImpact with a changed (modified) scope: v3.1 has 7.52·(MISS−0.029) − 3.25·(MISS·0.9731−0.02)^13,
//   v3.0 7.52·(MISS−0.029) − 3.25·(MISS−0.02)^15. Base Impact is the same in both.

export type Cvss3Version = '3.0' | '3.1';

/** Metric name to value as the vector gives it ('AV' → 'N'); absent optional metrics count as X. */
export type Cvss3Metrics = Readonly<Record<string, string | undefined>>;

export interface Cvss3Scores {
  base: number;
  /** The Impact sub score, clamped at 0 and rounded to one decimal (as NVD and ae report it). */
  impact: number;
  /** The Exploitability sub score, rounded to one decimal. */
  exploitability: number;
  /**
   * The temporal equation, always evaluated (X weighs 1), as FIRST's calculators do. Whether to
   * report it (a temporal metric other than X was given) is the caller's decision.
   */
  temporal: number;
  /**
   * The environmental equation, always evaluated (modified metrics falling back to base, X
   * requirements weighing 1), as FIRST's calculators do. Whether to report it is the caller's
   * decision. NB: with a changed scope v3.1's ModifiedImpact differs from its base Impact, so with
   * every environmental metric X this can differ from the temporal score.
   */
  environmental: number;
}

type Weights = Readonly<Record<string, number>>;

const AV: Weights = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Weights = { L: 0.77, H: 0.44 };
const PR_UNCHANGED: Weights = { N: 0.85, L: 0.62, H: 0.27 };
const PR_CHANGED: Weights = { N: 0.85, L: 0.68, H: 0.5 };
const UI: Weights = { N: 0.85, R: 0.62 };
const CIA: Weights = { H: 0.56, L: 0.22, N: 0 };
const E: Weights = { X: 1, H: 1, F: 0.97, P: 0.94, U: 0.91 };
const RL: Weights = { X: 1, U: 1, W: 0.97, T: 0.96, O: 0.95 };
const RC: Weights = { X: 1, C: 1, R: 0.96, U: 0.92 };
const REQUIREMENT: Weights = { X: 1, H: 1.5, M: 1, L: 0.5 };

/** v3.1 Appendix A: the smallest number, to one decimal, equal to or higher than its input. */
function roundup31(input: number): number {
  const intInput = Math.round(input * 100000);
  return intInput % 10000 === 0 ? intInput / 100000 : (Math.floor(intInput / 10000) + 1) / 10;
}

/** v3.0 (and cvsscalc30.js): round up to one decimal with plain Math.ceil. */
const roundup30 = (input: number): number => Math.ceil(input * 10) / 10;

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Score a CVSS v3.0 or v3.1 vector's metrics; throws RangeError on a missing or unknown value. */
export function cvss3Scores(version: Cvss3Version, metrics: Cvss3Metrics): Cvss3Scores {
  const roundup = version === '3.1' ? roundup31 : roundup30;
  const given = (name: string): string => {
    const value = metrics[name];
    if (value === undefined) throw new RangeError(`CVSS v${version}: base metric ${name} is missing`);
    return value;
  };
  const optional = (name: string): string => metrics[name] ?? 'X';
  /** A modified metric, falling back to its base metric when X or absent. */
  const modified = (name: string): string => {
    const value = optional(`M${name}`);
    return value === 'X' ? given(name) : value;
  };
  const weight = (table: Weights, name: string, value: string): number => {
    const w = table[value];
    if (w === undefined) throw new RangeError(`CVSS v${version}: ${name} has no value "${value}"`);
    return w;
  };

  // Base (v3.1 section 7.1).
  const scopeChanged = given('S') === 'C';
  const iss = 1 - (1 - weight(CIA, 'C', given('C'))) * (1 - weight(CIA, 'I', given('I'))) * (1 - weight(CIA, 'A', given('A')));
  const impact = scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability =
    8.22 *
    weight(AV, 'AV', given('AV')) *
    weight(AC, 'AC', given('AC')) *
    weight(scopeChanged ? PR_CHANGED : PR_UNCHANGED, 'PR', given('PR')) *
    weight(UI, 'UI', given('UI'));
  const base =
    impact <= 0
      ? 0
      : scopeChanged
        ? roundup(Math.min(1.08 * (impact + exploitability), 10))
        : roundup(Math.min(impact + exploitability, 10));

  // Temporal (section 7.2).
  const e = weight(E, 'E', optional('E'));
  const rl = weight(RL, 'RL', optional('RL'));
  const rc = weight(RC, 'RC', optional('RC'));
  const temporal = roundup(base * e * rl * rc);

  // Environmental (section 7.3).
  const modifiedScopeChanged = modified('S') === 'C';
  const miss = Math.min(
    1 -
      (1 - weight(CIA, 'MC', modified('C')) * weight(REQUIREMENT, 'CR', optional('CR'))) *
        (1 - weight(CIA, 'MI', modified('I')) * weight(REQUIREMENT, 'IR', optional('IR'))) *
        (1 - weight(CIA, 'MA', modified('A')) * weight(REQUIREMENT, 'AR', optional('AR'))),
    0.915,
  );
  const modifiedImpact = !modifiedScopeChanged
    ? 6.42 * miss
    : version === '3.1'
      ? 7.52 * (miss - 0.029) - 3.25 * (miss * 0.9731 - 0.02) ** 13
      : 7.52 * (miss - 0.029) - 3.25 * (miss - 0.02) ** 15;
  const modifiedExploitability =
    8.22 *
    weight(AV, 'MAV', modified('AV')) *
    weight(AC, 'MAC', modified('AC')) *
    weight(modifiedScopeChanged ? PR_CHANGED : PR_UNCHANGED, 'MPR', modified('PR')) *
    weight(UI, 'MUI', modified('UI'));
  const environmental =
    modifiedImpact <= 0
      ? 0
      : roundup(roundup(Math.min((modifiedScopeChanged ? 1.08 : 1) * (modifiedImpact + modifiedExploitability), 10)) * e * rl * rc);

  return { base, impact: round1(Math.max(impact, 0)), exploitability: round1(exploitability), temporal, environmental };
}
