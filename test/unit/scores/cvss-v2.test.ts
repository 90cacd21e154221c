// CVSS v2 to the FIRST "Complete Guide to CVSS Version 2.0", section 3.2. Every expected value
// below is derived by hand from the guide's equations (working in the comments) or is one of the
// guide's own worked examples (section 3.3).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CvssError, formatV2Vector, parseV2Metrics, roundTo1Decimal, scoreV2 } from '../../../functions/domain/scores/index.js';
import { v2Any, v2Base, v2Environmental, v2Full, v2String, v2Temporal } from './arbitraries.js';
import { exactV2 } from './exact-v2-oracle.js';

// Weights used below. AV L .395 A .646 N 1; AC H .35 M .61 L .71; Au M .45 S .56 N .704;
// C/I/A N 0 P .275 C .660; E U .85 POC .9 F .95 H 1; RL OF .87 TF .9 W .95 U 1; RC UC .9 UR .95 C 1;
// CDP N 0 L .1 LM .3 MH .4 H .5; TD N 0 L .25 M .75 H 1; CR/IR/AR L .5 M 1 H 1.51 (ND = M).
// Impact = 10.41(1-(1-C)(1-I)(1-A)); Exploitability = 20·AV·AC·Au;
// Base = round1((0.6·Impact + 0.4·Exploitability - 1.5)·f), f = 0 if Impact = 0 else 1.176.

describe('CVSS v2 scores', () => {
  it('scores the v2 reference vector at 7.5 base and 8.8 environmental', () => {
    // Impact = 10.41(1-.725³) = 6.44297671875; Exploitability = 20·1·.71·.704 = 9.9968
    // Base = (3.86578603125 + 3.99872 - 1.5)·1.176 = 7.4847… → 7.5
    // Requirements all M, so AdjustedBase = 7.5, AdjustedTemporal = 7.5 (no temporal group: factors 1)
    // Environmental = (7.5 + 2.5·0.5)·1 = 8.75 → 8.8. (ae-cvss-calculator, not rounding 7.4847, says 8.7.)
    const score = scoreV2('AV:N/AC:L/Au:N/C:P/I:P/A:P/CDP:H/TD:H/CR:M/IR:M/AR:M');
    expect(score).toEqual({
      version: '2.0',
      vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P/CDP:H/TD:H/CR:M/IR:M/AR:M',
      base: 7.5,
      environmental: 8.8,
      severity: 'high',
      environmentalSeverity: 'high',
    });
  });

  it('scores complete compromise over the network at the maximum 10.0', () => {
    // Impact = 10.41(1-.34³) = 10.00084536; Base = (6.000507216 + 3.99872 - 1.5)·1.176 = 9.9951 → 10.0
    expect(scoreV2('AV:N/AC:L/Au:N/C:C/I:C/A:C')).toMatchObject({ base: 10, severity: 'high' });
  });

  it('scores a vector with no impact at 0.0 whatever its exploitability', () => {
    // Impact = 0, so f(Impact) = 0 and the whole product is 0.
    expect(scoreV2('AV:L/AC:H/Au:M/C:N/I:N/A:N')).toMatchObject({ base: 0, severity: 'low' });
    expect(scoreV2('AV:N/AC:L/Au:N/C:N/I:N/A:N')).toMatchObject({ base: 0 });
  });

  it("reproduces the guide's CVE-2002-0392 example: base 7.8, temporal 6.4, environmental 9.2", () => {
    // Impact = 10.41·.66 = 6.8706; Base = (4.12236 + 3.99872 - 1.5)·1.176 = 7.7864 → 7.8
    // Temporal = 7.8·.95·.87·1 = 6.4467 → 6.4
    // AdjustedImpact = min(10, 10.41·.66·1.51 = 10.3746) = 10; AdjustedBase = (6 + 3.99872 - 1.5)·1.176 = 9.9945 → 10.0
    // AdjustedTemporal = 10·.8265 = 8.265 → 8.3; Environmental = (8.3 + 1.7·.5)·1 = 9.15 → 9.2
    expect(scoreV2('AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C')).toMatchObject({ base: 7.8, temporal: 6.4 });
    expect(scoreV2('AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H')).toMatchObject({
      base: 7.8,
      temporal: 6.4,
      environmental: 9.2,
      environmentalSeverity: 'high',
    });
  });

  it("reproduces the guide's CVE-2003-0818 example: base 10.0, temporal 8.3, environmental 9.0", () => {
    // Temporal = 10.0·.95·.87 = 8.265 → 8.3
    // AdjustedImpact = 10.41(1-.34·.34·(1-.66·.5)) = 10.41·.922548 = 9.60372468
    // AdjustedBase = (5.762234808 + 3.99872 - 1.5)·1.176 = 9.7149 → 9.7; AdjustedTemporal = 9.7·.8265 = 8.017 → 8.0
    // Environmental = (8.0 + 2.0·.5)·1 = 9.0
    expect(scoreV2('AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C')).toMatchObject({ base: 10, temporal: 8.3 });
    expect(scoreV2('AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:L')).toMatchObject({ environmental: 9 });
  });

  it("reproduces the guide's CVE-2003-0062 example: base 6.2, temporal 4.9, environmental 0.0 with no targets", () => {
    // Exploitability = 20·.395·.35·.704 = 1.94656; Base = (6.000507216 + .778624 - 1.5)·1.176 = 6.2083 → 6.2
    // Temporal = 6.2·.9·.87 = 4.8546 → 4.9; TD:N multiplies the environmental score by 0.
    expect(scoreV2('AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:N/TD:N/CR:M/IR:M/AR:M')).toMatchObject({
      base: 6.2,
      severity: 'medium',
      temporal: 4.9,
      environmental: 0,
      environmentalSeverity: 'low',
    });
  });

  it('scales the environmental score by a low target distribution', () => {
    // As CVE-2002-0392 above, but TD:L: (8.3 + 1.7·.5)·.25 = 2.2875 → 2.3
    expect(scoreV2('AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:L/CR:M/IR:M/AR:H')).toMatchObject({ environmental: 2.3 });
  });

  it('raises the environmental score when the confidentiality requirement is high', () => {
    // Impact = 10.41·.275 = 2.86275; Base = (1.71765 + 3.99872 - 1.5)·1.176 = 4.9585 → 5.0
    // AdjustedImpact = 10.41·.275·1.51 = 4.3227525; AdjustedBase = (2.5936515 + 3.99872 - 1.5)·1.176 = 5.9886 → 6.0
    // Environmental = (6.0 + 4.0·.3)·.75 = 5.4
    expect(scoreV2('AV:N/AC:L/Au:N/C:P/I:N/A:N/CDP:LM/TD:M/CR:H/IR:L/AR:L')).toMatchObject({
      base: 5,
      severity: 'medium',
      environmental: 5.4,
      environmentalSeverity: 'medium',
    });
  });

  it('rounds a temporal score of exactly 2.85 up to 2.9, as decimal arithmetic does', () => {
    // Impact = 10.41(1-.725²) = 4.93824375; Exploitability = 20·.395·.61·.56 = 2.69864
    // Base = (2.96294625 + 1.079456 - 1.5)·1.176 = 2.9899 → 3.0; Temporal = 3.0·.95 = 2.85 → 2.9.
    // In binary floating point 3 × 0.95 is 2.8499999999999996, which is why ae-cvss-calculator says 2.8.
    expect(scoreV2('AV:L/AC:M/Au:S/C:N/I:P/A:P/E:F/RL:U/RC:C')).toMatchObject({ base: 3, temporal: 2.9 });
  });

  it('rounds the adjusted base before the environmental equation, giving 9.1 where NVD reportedly says 9.0', () => {
    // Exploitability = 20·.646·.71·.704 = 6.4579328; Base = (6.000507216 + 2.58317312 - 1.5)·1.176 = 8.3304 → 8.3
    // AdjustedImpact = 9.60372468 (as CVE-2003-0818); AdjustedBase = (5.762234808 + 2.58317312 - 1.5)·1.176 = 8.0502 → 8.1
    // Environmental = (8.1 + 1.9·.5)·1 = 9.05 → 9.1. Unrounded: 8.0502 + 1.9498·.5 = 9.025 → 9.0 (ae; NVD per nvdtools#204).
    expect(scoreV2('AV:A/AC:L/Au:N/C:C/I:C/A:C/CDP:H/TD:H/CR:M/IR:L/AR:M')).toMatchObject({ base: 8.3, environmental: 9.1 });
  });

  it('clamps an environmental score at 0.0 where the equations dip below zero', () => {
    // Impact = 2.86275; Exploitability = 20·.395·.35·.45 = 1.24425; Base = (1.71765 + .4977 - 1.5)·1.176 = .8413 → 0.8
    // AdjustedImpact = 10.41·.275·.5 = 1.431375; AdjustedBase = (.858825 + .4977 - 1.5)·1.176 = -.1687 → -0.2
    // Environmental = (-0.2 + 10.2·0)·1 = -0.2, outside the 0-10 range the guide defines, so 0.0.
    expect(scoreV2('AV:L/AC:H/Au:M/C:P/I:N/A:N/CDP:N/TD:H/CR:L/IR:ND/AR:ND')).toMatchObject({ base: 0.8, environmental: 0 });
  });

  it('reports a temporal score equal to the base when every temporal metric is not defined', () => {
    expect(scoreV2('AV:N/AC:L/Au:N/C:P/I:P/A:P/E:ND/RL:ND/RC:ND')).toMatchObject({ base: 7.5, temporal: 7.5 });
  });

  it('leaves temporal and environmental out when their groups are absent', () => {
    const score = scoreV2('AV:N/AC:L/Au:N/C:P/I:P/A:P');
    expect(score).not.toHaveProperty('temporal');
    expect(score).not.toHaveProperty('environmental');
    expect(score).not.toHaveProperty('environmentalSeverity');
  });

  it('grades severity low below 4.0, medium below 7.0 and high from 7.0', () => {
    // Impact 6.8706, Exploitability 20·.395·.35·.45 = 1.24425 → (4.12236 + .4977 - 1.5)·1.176 = 3.6574 → 3.7
    expect(scoreV2('AV:L/AC:H/Au:M/C:C/I:N/A:N')).toMatchObject({ base: 3.7, severity: 'low' });
    // Impact 6.8706, Exploitability 20·1·.61·.704 = 8.5888 → (4.12236 + 3.43552 - 1.5)·1.176 = 7.1241 → 7.1
    expect(scoreV2('AV:N/AC:M/Au:N/C:C/I:N/A:N')).toMatchObject({ base: 7.1, severity: 'high' });
    // The classic remote XSS vector: Impact 2.86275 → (1.71765 + .4·8.5888 - 1.5)·1.176 = 4.2961 → 4.3
    expect(scoreV2('AV:N/AC:M/Au:N/C:N/I:P/A:N')).toMatchObject({ base: 4.3, severity: 'medium' });
  });
});

describe('CVSS v2 vector forms', () => {
  it("accepts NVD's parenthesised form and drops the parentheses", () => {
    expect(scoreV2('(AV:N/AC:L/Au:N/C:P/I:P/A:P)').vector).toBe('AV:N/AC:L/Au:N/C:P/I:P/A:P');
  });

  it('accepts a CVSS:2.0/ prefix and drops it', () => {
    expect(scoreV2('CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P').vector).toBe('AV:N/AC:L/Au:N/C:P/I:P/A:P');
  });

  it('ignores surrounding whitespace', () => {
    expect(scoreV2('  AV:N/AC:L/Au:N/C:P/I:P/A:P\n').base).toBe(7.5);
  });

  it('parses a vector into typed metric groups', () => {
    expect(parseV2Metrics('AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H')).toEqual({
      base: { AV: 'N', AC: 'L', Au: 'N', C: 'N', I: 'N', A: 'C' },
      temporal: { E: 'F', RL: 'OF', RC: 'C' },
      environmental: { CDP: 'H', TD: 'H', CR: 'M', IR: 'M', AR: 'H' },
    });
    expect(parseV2Metrics('AV:N/AC:L/Au:N/C:N/I:N/A:C/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND')).toEqual({
      base: { AV: 'N', AC: 'L', Au: 'N', C: 'N', I: 'N', A: 'C' },
      environmental: { CDP: 'ND', TD: 'ND', CR: 'ND', IR: 'ND', AR: 'ND' },
    });
  });

  it('formats parsed metrics back to the same vector', () => {
    fc.assert(
      fc.property(v2Any, (m) => {
        const text = v2String(m);
        expect(formatV2Vector(parseV2Metrics(text))).toBe(text);
        expect(parseV2Metrics(text)).toEqual(m);
      }),
    );
  });
});

describe('CVSS v2 invalid vectors', () => {
  const ref = 'AV:N/AC:L/Au:N/C:P/I:P/A:P';
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ['an empty string', '', 'the vector is empty'],
    ['only whitespace', '   ', 'the vector is empty'],
    ['an unbalanced parenthesis', `(${ref}`, 'unbalanced parentheses: write "(AV:…/A:…)" or leave them out'],
    ['a v3 prefix', `CVSS:3.1/${ref}`, 'a v2 vector has no version prefix (or "CVSS:2.0/"); found "CVSS:3.1/"'],
    ['a doubled slash', 'AV:N//AC:L/Au:N/C:P/I:P/A:P', 'has an empty part (a doubled, leading or trailing "/")'],
    ['a trailing slash', `${ref}/`, 'has an empty part (a doubled, leading or trailing "/")'],
    ['a metric without a value', 'AV/AC:L/Au:N/C:P/I:P/A:P', '"AV" is not a METRIC:VALUE pair'],
    ['a part with two colons', 'AV:N:L/AC:L/Au:N/C:P/I:P/A:P', '"AV:N:L" is not a METRIC:VALUE pair'],
    ['an unknown metric', `${ref}/XX:N`, 'unknown metric "XX"'],
    ['a v3 spelling of Au', 'AV:N/AC:L/AU:N/C:P/I:P/A:P', 'unknown metric "AU" (did you mean "Au"?)'],
    ['a v3-only metric', 'AV:N/AC:L/PR:N/C:P/I:P/A:P', 'unknown metric "PR"'],
    ['a bad base value', 'AV:N/AC:Q/Au:N/C:P/I:P/A:P', 'AC must be one of H, M, L (got "Q")'],
    ['a lower-case value', 'AV:n/AC:L/Au:N/C:P/I:P/A:P', 'AV must be one of L, A, N (got "n")'],
    ['ND on a base metric', 'AV:ND/AC:L/Au:N/C:P/I:P/A:P', 'AV must be one of L, A, N (got "ND")'],
    ['a v3 impact value', 'AV:N/AC:L/Au:N/C:H/I:P/A:P', 'C must be one of N, P, C (got "H")'],
    ['a bad temporal value', `${ref}/E:P/RL:OF/RC:C`, 'E must be one of U, POC, F, H, ND (got "P")'],
    ['a v3 "X" for not defined', `${ref}/CDP:X/TD:H/CR:M/IR:M/AR:M`, 'CDP must be one of N, L, LM, MH, H, ND (got "X")'],
    ['a bad requirement value', `${ref}/CDP:H/TD:H/CR:M/IR:C/AR:M`, 'IR must be one of L, M, H, ND (got "C")'],
    ['a duplicate metric', 'AV:N/AV:N/AC:L/Au:N/C:P/I:P/A:P', 'AV is given more than once'],
    ['a duplicate with another value', `${ref}/E:F/RL:OF/RC:C/E:H`, 'E is given more than once'],
    ['a missing base metric', 'AV:N/AC:L/Au:N/C:P/I:P', 'missing base metric A'],
    ['several missing base metrics', 'AV:N/C:P/I:P/A:P', 'missing base metrics AC, Au'],
    ['only temporal metrics', 'E:F/RL:OF/RC:C', 'missing base metrics AV, AC, Au, C, I, A'],
    ['an incomplete temporal group', `${ref}/E:F/RL:OF`, 'the temporal group is incomplete: missing RC (give all of E/RL/RC or none)'],
    [
      'an incomplete environmental group',
      `${ref}/CDP:H/TD:H`,
      'the environmental group is incomplete: missing CR, IR, AR (give all of CDP/TD/CR/IR/AR or none)',
    ],
    [
      'base metrics out of order',
      'AV:N/Au:N/AC:L/C:P/I:P/A:P',
      'metrics are out of order: found Au where AC belongs (the order is AV/AC/Au/C/I/A)',
    ],
    [
      'temporal metrics out of order',
      `${ref}/RL:OF/E:F/RC:C`,
      'metrics are out of order: found RL where E belongs (the order is AV/AC/Au/C/I/A/E/RL/RC)',
    ],
    [
      'the environmental group before the temporal group',
      `${ref}/CDP:H/TD:H/CR:M/IR:M/AR:M/E:F/RL:OF/RC:C`,
      'metrics are out of order: found CDP where E belongs (the order is AV/AC/Au/C/I/A/E/RL/RC/CDP/TD/CR/IR/AR)',
    ],
    [
      'a temporal metric after the base metrics start',
      'AV:N/E:F/AC:L/Au:N/C:P/I:P/A:P/RL:OF/RC:C',
      'metrics are out of order: found E where AC belongs (the order is AV/AC/Au/C/I/A/E/RL/RC)',
    ],
    ['a space inside', 'AV:N/ AC:L/Au:N/C:P/I:P/A:P', 'unknown metric " AC" (did you mean "AC"?)'],
  ];

  it.each(cases)('rejects %s with a message that says what is wrong', (_kind, vector, problem) => {
    const error = (() => {
      try {
        scoreV2(vector);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CvssError);
    expect(error).toMatchObject({ name: 'InvalidCvssVector', version: '2.0', vector, problem });
    expect((error as CvssError).message).toBe(`CVSS v2 vector "${vector}": ${problem}`);
  });

  it('rejects with exactly the message the pre-screen shows', () => {
    expect(() => scoreV2('AV:N/AC:Q/Au:N/C:P/I:P/A:P')).toThrow(
      'CVSS v2 vector "AV:N/AC:Q/Au:N/C:P/I:P/A:P": AC must be one of H, M, L (got "Q")',
    );
  });

  it('shortens a very long vector in the message but keeps it whole on the error', () => {
    const vector = `${ref}/${'XX:N/'.repeat(50)}`;
    try {
      scoreV2(vector);
      expect.unreachable();
    } catch (e) {
      expect((e as CvssError).vector).toBe(vector);
      expect((e as CvssError).message.length).toBeLessThan(200);
    }
  });

  it('never throws anything but CvssError, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('A', 'V', ':', '/', 'N', 'L', 'C', 'E', 'D', '(', ')') })),
        (text) => {
          try {
            scoreV2(text);
          } catch (e) {
            expect(e).toBeInstanceOf(CvssError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('CVSS v2 invariants', () => {
  const isOneDecimal = (x: number): boolean => Number.isInteger(Math.round(x * 10)) && Math.abs(x * 10 - Math.round(x * 10)) < 1e-9;

  it('always gives scores between 0 and 10 with one decimal', () => {
    fc.assert(
      fc.property(v2Any, (m) => {
        const s = scoreV2(v2String(m));
        for (const x of [s.base, s.temporal, s.environmental]) {
          if (x === undefined) continue;
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(10);
          expect(isOneDecimal(x)).toBe(true);
          expect(Object.is(x, -0)).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with exact decimal arithmetic on every random vector', () => {
    fc.assert(
      fc.property(v2Any, (m) => {
        const s = scoreV2(v2String(m));
        const exact = exactV2(m);
        expect(s.base).toBe(exact.base);
        if (m.temporal) expect(s.temporal).toBe(exact.temporal);
        if (exact.environmental !== undefined) expect(s.environmental).toBe(Math.max(0, exact.environmental));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives environmental 0 whenever the target distribution is none', () => {
    fc.assert(
      fc.property(v2Base, fc.option(v2Temporal, { nil: undefined }), v2Environmental, (base, temporal, env) => {
        const s = scoreV2(v2String({ base, ...(temporal ? { temporal } : {}), environmental: { ...env, TD: 'N' } }));
        expect(s.environmental).toBe(0);
      }),
    );
  });

  // With C:C/I:C/A:C the base Impact is 10.41(1-.34³) = 10.0008 but AdjustedImpact is capped at 10,
  // so a neutral environment can still move the score by 0.1 (next test); elsewhere it changes nothing.
  const notTotal = v2Base.filter((b) => !(b.C === 'C' && b.I === 'C' && b.A === 'C'));

  it('gives environmental equal to temporal with no collateral damage, full targets and medium requirements', () => {
    // Requirements M (or ND) leave AdjustedImpact = Impact, so AdjustedTemporal = Temporal and (T + (10-T)·0)·1 = T.
    const neutral = fc.constantFrom('M', 'ND');
    fc.assert(
      fc.property(
        notTotal,
        v2Temporal,
        neutral,
        neutral,
        neutral,
        fc.constantFrom('N', 'ND'),
        fc.constantFrom('H', 'ND'),
        (base, temporal, CR, IR, AR, CDP, TD) => {
          const s = scoreV2(v2String({ base, temporal, environmental: { CDP, TD, CR, IR, AR } }));
          expect(s.environmental).toBe(s.temporal);
        },
      ),
    );
  });

  it('gives environmental equal to base when there is no temporal group and the environment is neutral', () => {
    fc.assert(
      fc.property(notTotal, (base) => {
        const s = scoreV2(v2String({ base, environmental: { CDP: 'ND', TD: 'ND', CR: 'ND', IR: 'ND', AR: 'ND' } }));
        expect(s.environmental).toBe(s.base);
      }),
    );
  });

  it('can score a neutral environment 0.1 below the base when every impact is complete, because AdjustedImpact is capped at 10', () => {
    // Exploitability = 20·.395·.71·.704 = 3.948896
    // Base = (.6·10.00084536 + 1.5795584 - 1.5)·1.176 = 7.15016 → 7.2
    // AdjustedBase = (.6·10 + 1.5795584 - 1.5)·1.176 = 7.14956 → 7.1, and the neutral environment passes it through.
    expect(scoreV2('AV:L/AC:L/Au:N/C:C/I:C/A:C/CDP:N/TD:H/CR:M/IR:M/AR:M')).toMatchObject({ base: 7.2, environmental: 7.1 });
  });

  it('never lets temporal metrics raise the score above the base', () => {
    fc.assert(
      fc.property(v2Base, v2Temporal, (base, temporal) => {
        const s = scoreV2(v2String({ base, temporal }));
        expect(s.temporal).toBeLessThanOrEqual(s.base);
      }),
    );
  });

  it('scores ND exactly like the value the guide says it stands for', () => {
    // E:ND = H, RL:ND = U, RC:ND = C, CDP:ND = N, TD:ND = H, CR/IR/AR:ND = M (all weight-equal in the guide).
    const stand = { E: 'H', RL: 'U', RC: 'C', CDP: 'N', TD: 'H', CR: 'M', IR: 'M', AR: 'M' } as const;
    fc.assert(
      fc.property(v2Full, (m) => {
        const replace = <T extends object>(group: T): T =>
          Object.fromEntries(Object.entries(group).map(([k, v]) => [k, v === 'ND' ? stand[k as keyof typeof stand] : v])) as T;
        const withNd = scoreV2(v2String(m));
        const without = scoreV2(v2String({ base: m.base, temporal: replace(m.temporal), environmental: replace(m.environmental) }));
        expect([withNd.base, withNd.temporal, withNd.environmental]).toEqual([without.base, without.temporal, without.environmental]);
      }),
    );
  });

  it('never lowers the environmental score as target distribution grows', () => {
    const order = ['N', 'L', 'M', 'H'] as const;
    fc.assert(
      fc.property(v2Base, v2Temporal, v2Environmental, (base, temporal, env) => {
        const scores = order.map((TD) => scoreV2(v2String({ base, temporal, environmental: { ...env, TD } })).environmental ?? Number.NaN);
        for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThanOrEqual(scores[i - 1] ?? 0);
      }),
    );
  });
});

describe('round_to_1_decimal', () => {
  it('rounds values that are exact ties in decimal but just below them in binary', () => {
    expect(3 * 0.95).toBe(2.8499999999999996);
    expect(roundTo1Decimal(3 * 0.95)).toBe(2.9);
    expect(roundTo1Decimal(8.3 + 1.7 * 0.5)).toBe(9.2);
    expect(roundTo1Decimal(0.05)).toBe(0.1);
  });

  it('rounds half away from zero and never returns negative zero', () => {
    expect(roundTo1Decimal(-0.15)).toBe(-0.2);
    expect(roundTo1Decimal(-0.1687)).toBe(-0.2);
    expect(Object.is(roundTo1Decimal(-0.01), 0)).toBe(true);
    expect(roundTo1Decimal(7.4847)).toBe(7.5);
    expect(roundTo1Decimal(7.44)).toBe(7.4);
  });
});
