// Our own CVSS v3.0/v3.1 and v4.0 arithmetic (cvss31-math.ts, cvss40-math.ts) against
// ae-cvss-calculator on seeded random valid vectors, plus pinned vectors.
// The one known difference: with every environmental metric X (or absent) ae reports no
// environmental score, while FIRST's calculators evaluate the equation anyway (X weighs 1); with a
// changed scope v3.1's ModifiedImpact (0.9731, ^13) differs from the base Impact (^15), so that
// score can differ from the temporal one. Ours follows FIRST; whether to *report* it stays the
// caller's decision (scoreV3 reports a group only when one of its metrics is not X).
import ae from 'ae-cvss-calculator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cvss3Scores, type Cvss3Version } from '../../../functions/domain/scores/cvss31-math.js';
import { CVSS40_LOOKUP, cvss4MacroVector, cvss4Score, cvss4Scores } from '../../../functions/domain/scores/cvss40-math.js';
import { highestSeverityVectors, MODULE_PATH, renderModule } from '../../../scripts/generate-cvss40-lookup.js';
import { readFileSync } from 'node:fs';
import { V3_SPEC, V4_SPEC, validVector } from './arbitraries.js';

type Spec = typeof V3_SPEC;

const metricsOf = (vector: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const part of vector.split('/').slice(1)) {
    const [name = '', value = ''] = part.split(':');
    out[name] = value;
  }
  return out;
};
/** Back to a vector string in the specification's order. */
const vectorOf = (prefix: string, spec: Spec, metrics: Readonly<Record<string, string | undefined>>): string =>
  prefix +
  spec
    .filter(([name]) => metrics[name] !== undefined)
    .map(([name]) => `${name}:${metrics[name] ?? ''}`)
    .join('/');
/** ae returns -0 where we return 0, and toBe tells them apart. */
const unsigned = (x: number | undefined): number | undefined => (x === undefined ? x : x + 0);

const V3_TEMPORAL = ['E', 'RL', 'RC'];
const V3_ENVIRONMENTAL = ['CR', 'IR', 'AR', 'MAV', 'MAC', 'MPR', 'MUI', 'MS', 'MC', 'MI', 'MA'];
const aeV3 = (version: Cvss3Version, vector: string) =>
  (version === '3.1' ? new ae.Cvss3P1(vector) : new ae.Cvss3P0(vector)).calculateScores();

describe.each(['3.1', '3.0'] as const)('CVSS v%s arithmetic against ae-cvss-calculator', (version) => {
  const prefix = `CVSS:${version}/`;
  const SAMPLE = fc.sample(validVector(prefix, V3_SPEC), { numRuns: 5000, seed: version === '3.1' ? 31 : 30 });

  it('agrees on base, impact and exploitability, and on every temporal and environmental score ae gives', () => {
    let temporal = 0;
    let environmental = 0;
    for (const { canonical } of SAMPLE) {
      const ours = cvss3Scores(version, metricsOf(canonical));
      const theirs = aeV3(version, canonical);
      expect(ours.base, canonical).toBe(unsigned(theirs.base));
      expect(ours.impact, canonical).toBe(unsigned(theirs.impact));
      expect(ours.exploitability, canonical).toBe(unsigned(theirs.exploitability));
      if (theirs.temporal !== undefined) {
        expect(ours.temporal, canonical).toBe(unsigned(theirs.temporal));
        temporal++;
      }
      if (theirs.environmental !== undefined) {
        expect(ours.environmental, canonical).toBe(unsigned(theirs.environmental));
        environmental++;
      }
    }
    // Most sampled vectors carry both groups, so the comparison is not vacuous.
    expect(temporal).toBeGreaterThan(SAMPLE.length * 0.9);
    expect(environmental).toBeGreaterThan(SAMPLE.length * 0.9);
  });

  it('evaluates the temporal equation when every temporal metric is X, as ae does once E:H (weight 1) is given', () => {
    const onlyX = V3_SPEC.map(([name, values, kind]) => [name, V3_TEMPORAL.includes(name) ? ['X'] : values, kind] as const);
    for (const { canonical } of fc.sample(validVector(prefix, onlyX), { numRuns: 500, seed: 3 })) {
      const metrics = metricsOf(canonical);
      expect(aeV3(version, canonical).temporal, canonical).toBeUndefined();
      const withWeightOne = vectorOf(prefix, V3_SPEC, { ...metrics, E: 'H' });
      expect(cvss3Scores(version, metrics).temporal, canonical).toBe(unsigned(aeV3(version, withWeightOne).temporal));
    }
  });

  it('follows FIRST where ae has no environmental score: every environmental metric X', () => {
    const onlyX = V3_SPEC.map(([name, values, kind]) => [name, V3_ENVIRONMENTAL.includes(name) ? ['X'] : values, kind] as const);
    let differsFromTemporal = 0;
    for (const { canonical } of fc.sample(validVector(prefix, onlyX), { numRuns: 2000, seed: 4 })) {
      const metrics = metricsOf(canonical);
      const ours = cvss3Scores(version, metrics);
      // ae leaves the group out...
      expect(aeV3(version, canonical).environmental, canonical).toBeUndefined();
      // ...but FIRST's equation with X weighing 1 is what ae computes once CR:M (also weight 1) is given.
      const withWeightOne = vectorOf(prefix, V3_SPEC, { ...metrics, CR: 'M' });
      expect(ours.environmental, canonical).toBe(unsigned(aeV3(version, withWeightOne).environmental));
      if (ours.environmental !== ours.temporal) {
        // Only v3.1 with a changed scope: its ModifiedImpact is not its Impact.
        expect([version, metrics.S]).toEqual(['3.1', 'C']);
        differsFromTemporal++;
      }
    }
    if (version === '3.1') expect(differsFromTemporal).toBeGreaterThan(0);
    else expect(differsFromTemporal).toBe(0);
  });
});

describe('CVSS v3 pinned vectors', () => {
  it('scores the v3.1 reference vector at 9.8 (impact 5.9, exploitability 3.9)', () => {
    expect(cvss3Scores('3.1', metricsOf('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'))).toEqual({
      base: 9.8,
      impact: 5.9,
      exploitability: 3.9,
      temporal: 9.8,
      environmental: 9.8,
    });
  });

  it('scores reflected XSS at 6.1 with temporal 5.6, and the worked environmental example at 9.0', () => {
    expect(cvss3Scores('3.1', metricsOf('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C'))).toMatchObject({
      base: 6.1,
      temporal: 5.6,
    });
    expect(cvss3Scores('3.1', metricsOf('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/CR:L'))).toMatchObject({
      temporal: 9.3,
      environmental: 9,
    });
  });

  it('gives a changed-scope vector with every environmental metric X an environmental score above its base in v3.1 only', () => {
    // ISS = MISS = 1 − 0.44³ = 0.914816; Exploitability = 8.22·0.2·0.44·0.5·0.62 = 0.2242416.
    // Base Impact = 7.52·0.885816 − 3.25·0.894816^15 = 6.0482 → Base = Roundup(1.08·6.2724) = Roundup(6.7742) = 6.8.
    // v3.1 ModifiedImpact = 7.52·0.885816 − 3.25·(0.914816·0.9731 − 0.02)^13 = 6.1283 → Roundup(1.08·6.3526) = Roundup(6.8608) = 6.9.
    const metrics = metricsOf('CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:H');
    expect(cvss3Scores('3.1', metrics)).toMatchObject({ base: 6.8, temporal: 6.8, environmental: 6.9 });
    expect(new ae.Cvss3P1('CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:H').calculateScores().environmental).toBeUndefined();
    // v3.0's ModifiedImpact is its base Impact.
    expect(cvss3Scores('3.0', metrics)).toMatchObject({ base: 6.8, temporal: 6.8, environmental: 6.8 });
  });

  it('scores no impact at 0 and a full changed-scope vector at 10 in both versions', () => {
    for (const version of ['3.0', '3.1'] as const) {
      expect(cvss3Scores(version, metricsOf('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N'))).toMatchObject({
        base: 0,
        impact: 0,
        environmental: 0,
      });
      expect(cvss3Scores(version, metricsOf('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')).base).toBe(10);
    }
  });

  it('throws RangeError on a missing base metric or an unknown value', () => {
    expect(() => cvss3Scores('3.1', metricsOf('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H'))).toThrow(RangeError);
    expect(() => cvss3Scores('3.1', { ...metricsOf('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), E: 'A' })).toThrow(RangeError);
  });
});

const V4_BASE = V4_SPEC.slice(0, 11).map(([name]) => name);
const V4_THREAT = ['E'];
const V4_ENVIRONMENTAL = ['CR', 'IR', 'AR', 'MAV', 'MAC', 'MAT', 'MPR', 'MUI', 'MVC', 'MVI', 'MVA', 'MSC', 'MSI', 'MSA'];
const pick = (metrics: Record<string, string>, names: readonly string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(metrics).filter(([name]) => names.includes(name)));

describe('CVSS v4.0 arithmetic against ae-cvss-calculator', () => {
  it('agrees on CVSS-B, -BT, -BE and -BTE for every one of 2,000 random vectors', () => {
    const SAMPLE = fc.sample(validVector('CVSS:4.0/', V4_SPEC), { numRuns: 2000, seed: 40 });
    const macroVectors = new Set<string>();
    let threat = 0;
    let environmental = 0;
    for (const { canonical } of SAMPLE) {
      const metrics = metricsOf(canonical);
      const theirs = new ae.Cvss4P0(canonical).calculateScores();
      const ours = cvss4Scores(metrics);
      macroVectors.add(cvss4MacroVector(metrics));
      expect(ours.score, canonical).toBe(unsigned(theirs.overall));
      expect(ours.base, canonical).toBe(unsigned(theirs.baseMetricsOnly));
      // ae's threat score is base + threat metrics (environmental cleared), its environmental score base + environmental.
      if (theirs.threat !== undefined) {
        expect(cvss4Score(pick(metrics, [...V4_BASE, ...V4_THREAT])), canonical).toBe(unsigned(theirs.threat));
        threat++;
      }
      if (theirs.environmental !== undefined) {
        expect(cvss4Score(pick(metrics, [...V4_BASE, ...V4_ENVIRONMENTAL])), canonical).toBe(unsigned(theirs.environmental));
        environmental++;
      }
    }
    expect(threat).toBeGreaterThan(1000);
    expect(environmental).toBeGreaterThan(1000);
    // This seed's sample reaches 191 of the 270 MacroVectors (EQ1 level 0 needs AV, PR and UI all N).
    expect(macroVectors.size).toBeGreaterThan(180);
  }, 60_000);

  it('agrees on base-only vectors (CVSS-B), where every lower MacroVector path is taken', () => {
    const baseOnly = V4_SPEC.filter(([, , kind]) => kind === 'mandatory');
    for (const { canonical } of fc.sample(validVector('CVSS:4.0/', baseOnly), { numRuns: 1000, seed: 41 })) {
      expect(cvss4Score(metricsOf(canonical)), canonical).toBe(unsigned(new ae.Cvss4P0(canonical).calculateScores().overall));
    }
  }, 30_000);

  it('scores each MacroVector’s highest-severity vector at exactly its lookup value', () => {
    const all = highestSeverityVectors();
    expect(all).toHaveLength(270);
    expect(Object.keys(CVSS40_LOOKUP)).toHaveLength(270);
    for (const { macroVector, vector } of all) {
      expect(cvss4MacroVector(metricsOf(vector)), vector).toBe(macroVector);
      expect(cvss4Score(metricsOf(vector)), vector).toBe(CVSS40_LOOKUP[macroVector]);
    }
  });

  it('has the lookup table scripts/generate-cvss40-lookup.ts writes, so nobody edited it by hand', () => {
    const current = readFileSync(MODULE_PATH, 'utf8');
    expect(renderModule(current)).toBe(current);
  });
});

describe('CVSS v4.0 pinned vectors', () => {
  const V4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

  it('scores the v4.0 reference vector at 9.3', () => {
    expect(cvss4Scores(metricsOf(V4))).toEqual({ score: 9.3, base: 9.3 });
  });

  it('scores the highest vector at 10, no impact at 0, unreported exploitation at 8.1 and a safety impact at 10', () => {
    expect(cvss4Score(metricsOf('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H'))).toBe(10);
    expect(cvss4Score(metricsOf('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N'))).toBe(0);
    expect(cvss4Scores(metricsOf(`${V4}/E:U`))).toEqual({ score: 8.1, base: 9.3 });
    expect(cvss4Scores(metricsOf(`${V4}/MSI:S`))).toEqual({ score: 10, base: 9.3 });
  });

  it('ignores supplemental metrics and treats X as not given', () => {
    expect(cvss4Score(metricsOf(`${V4}/E:U/CR:L/S:P/AU:Y/R:I/V:C/RE:H/U:Red`))).toBe(cvss4Score(metricsOf(`${V4}/E:U/CR:L`)));
    expect(cvss4Score(metricsOf(`${V4}/E:X/CR:X/MAV:X`))).toBe(9.3);
  });

  it('throws RangeError on a missing base metric or an unknown value', () => {
    expect(() => cvss4Score(metricsOf('CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'))).toThrow(RangeError);
    expect(() => cvss4Score({ ...metricsOf(V4), E: 'F' })).toThrow(RangeError);
  });
});
