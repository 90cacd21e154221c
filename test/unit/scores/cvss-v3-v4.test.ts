// CVSS v3.0, v3.1 and v4.0: our strict validation in front of ae-cvss-calculator's arithmetic.
import ae from 'ae-cvss-calculator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CvssError, scoreV3, scoreV4, severityOf } from '../../../functions/domain/scores/index.js';
import { V3_SPEC, V4_SPEC, validVector } from './arbitraries.js';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

const V3 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

describe('CVSS v3 scores', () => {
  it('scores the v3.1 reference vector at 9.8 critical', () => {
    expect(scoreV3(V3)).toEqual({ version: '3.1', vector: V3, base: 9.8, severity: 'critical' });
  });

  it('scores a changed scope with full impact at 10.0 in v3.0 and v3.1', () => {
    // Roundup(min(1.08 × (6.05 + 3.89), 10)) = 10.0
    expect(scoreV3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')).toMatchObject({ version: '3.1', base: 10 });
    expect(scoreV3('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')).toMatchObject({ version: '3.0', base: 10, severity: 'critical' });
  });

  it('scores a vector with no impact at 0.0, severity none', () => {
    expect(scoreV3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toMatchObject({ base: 0, severity: 'none' });
  });

  it('scores reflected XSS at 6.1 medium with temporal 5.6', () => {
    // ISS = 1 - .78·.78·1 = .3916; Impact(S:C) = 7.52(.3916-.029) - 3.25(.3916-.02)^15 = 2.7268
    // Exploitability = 8.22·.85·.77·.85·.62 = 2.8352; Base = roundup(1.08·5.562) = 6.1
    // Temporal = roundup(6.1·.94·.97·1) = roundup(5.5620) = 5.6
    expect(scoreV3('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C')).toEqual({
      version: '3.1',
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C',
      base: 6.1,
      temporal: 5.6,
      severity: 'medium',
    });
  });

  it('scores temporal and environmental metrics when they are given', () => {
    // Temporal = roundup(9.8·.94) = 9.3. MISS = 1 - (1-.56·.5)(1-.56)(1-.56) = .860608
    // ModifiedImpact = 6.42·.860608 = 5.5251; ModifiedExploitability = 3.8870
    // Environmental = roundup(roundup(9.4121)·.94·1·1) = roundup(8.93) = 9.0
    expect(scoreV3(`${V3}/E:P/CR:L`)).toMatchObject({ base: 9.8, temporal: 9.3, environmental: 9, severity: 'critical' });
  });

  it('gives no temporal or environmental score when every such metric is X', () => {
    const score = scoreV3(`${V3}/E:X/RL:X/RC:X/CR:X/MAV:X`);
    expect(score).not.toHaveProperty('temporal');
    expect(score).not.toHaveProperty('environmental');
    expect(score.vector).toBe(`${V3}/E:X/RL:X/RC:X/CR:X/MAV:X`);
  });

  it('accepts metrics in any order, as the v3.1 specification allows, and returns them in the canonical order', () => {
    expect(scoreV3('CVSS:3.1/C:H/I:H/A:H/CR:L/AV:N/AC:L/E:P/PR:N/UI:N/S:U')).toMatchObject({
      vector: `${V3}/E:P/CR:L`,
      base: 9.8,
      environmental: 9,
    });
  });

  it('ignores surrounding whitespace', () => {
    expect(scoreV3(` ${V3}\t`).vector).toBe(V3);
  });
});

describe('CVSS v4 scores', () => {
  it('scores the v4.0 reference vector at 9.3 critical, CVSS-B', () => {
    expect(scoreV4(V4)).toEqual({ version: '4.0', vector: V4, score: 9.3, base: 9.3, severity: 'critical', nomenclature: 'CVSS-B' });
  });

  it('scores the highest macro vector at 10.0 and a vector with no impact at 0.0', () => {
    expect(scoreV4('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H')).toMatchObject({ score: 10, severity: 'critical' });
    // The v4.0 specification: with no impact on either system the score is 0.0.
    expect(scoreV4('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N')).toMatchObject({
      score: 0,
      base: 0,
      severity: 'none',
    });
  });

  it('lowers the score for unreported exploitation and names it CVSS-BT, keeping the base-only score', () => {
    expect(scoreV4(`${V4}/E:U`)).toMatchObject({ score: 8.1, base: 9.3, severity: 'high', nomenclature: 'CVSS-BT' });
  });

  it('raises the score to 10 for a safety impact and names it CVSS-BE', () => {
    expect(scoreV4(`${V4}/MSI:S`)).toMatchObject({ score: 10, base: 9.3, nomenclature: 'CVSS-BE' });
  });

  it('names threat plus environmental CVSS-BTE and leaves supplemental metrics out of the score', () => {
    const withSupplemental = scoreV4(`${V4}/E:U/CR:L/S:P/AU:Y/R:I/V:C/RE:H/U:Red`);
    expect(withSupplemental).toMatchObject({ nomenclature: 'CVSS-BTE', base: 9.3 });
    expect(withSupplemental.score).toBe(scoreV4(`${V4}/E:U/CR:L`).score);
  });

  it('treats X as not given when naming the score', () => {
    expect(scoreV4(`${V4}/E:X/CR:X/U:Clear`)).toMatchObject({ nomenclature: 'CVSS-B', score: 9.3 });
  });

  it('returns the metrics in the canonical order whatever order they came in', () => {
    // A real-world shape (github/advisory-database#7448): subsequent-system metrics interleaved.
    expect(scoreV4('CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N').vector).toBe(
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    );
  });
});

describe('CVSS v3 and v4 invalid vectors', () => {
  const v3Cases: ReadonlyArray<readonly [string, string, string, string]> = [
    ['an empty string', '', 'unknown', 'the vector is empty'],
    ['no prefix', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'unknown', 'a CVSS v3 vector must start with "CVSS:3.1/" or "CVSS:3.0/"'],
    ['a v4 prefix', V4, 'unknown', 'a CVSS v3 vector must start with "CVSS:3.1/" or "CVSS:3.0/" (found "CVSS:4.0/")'],
    [
      'an unknown minor version',
      'CVSS:3.2/AV:N',
      'unknown',
      'a CVSS v3 vector must start with "CVSS:3.1/" or "CVSS:3.0/" (found "CVSS:3.2/")',
    ],
    ['a lower-case prefix', V3.toLowerCase(), 'unknown', 'a CVSS v3 vector must start with "CVSS:3.1/" or "CVSS:3.0/"'],
    ['nothing after the prefix', 'CVSS:3.1/', '3.1', 'no metrics after "CVSS:3.1/"'],
    // ae scores this one as 0.
    ['X on a base metric', 'CVSS:3.1/AV:X', '3.1', 'AV must be one of N, A, L, P (got "X")'],
    ['a bad base value', 'CVSS:3.1/AV:N/AC:M/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1', 'AC must be one of L, H (got "M")'],
    ['a lower-case value', 'CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1', 'AV must be one of N, A, L, P (got "n")'],
    ['a v4 threat value', `${V3}/E:A`, '3.1', 'E must be one of X, H, F, P, U (got "A")'],
    ['a bad modified value', `${V3}/MS:X/MC:P`, '3.1', 'MC must be one of X, H, L, N (got "P")'],
    ['a v4 metric', 'CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1', 'unknown metric "AT"'],
    ['a v2 metric', `${V3}/Au:N`, '3.1', 'unknown metric "Au"'],
    ['a lower-case metric', `${V3}/rl:O`, '3.1', 'unknown metric "rl" (did you mean "RL"?)'],
    ['a duplicate', `${V3}/AV:L`, '3.1', 'AV is given more than once'],
    ['a duplicate optional metric', `${V3}/E:P/E:P`, '3.1', 'E is given more than once'],
    ['a missing scope', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H', '3.0', 'missing base metric S'],
    ['several missing base metrics', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U', '3.1', 'missing base metrics C, I, A'],
    ['a trailing slash', `${V3}/`, '3.1', 'has an empty part (a doubled or trailing "/")'],
    ['a metric without a value', `${V3}/E`, '3.1', '"E" is not a METRIC:VALUE pair'],
    ['an empty value', `${V3}/E:`, '3.1', '"E:" is not a METRIC:VALUE pair'],
  ];

  it.each(v3Cases)('rejects a v3 vector with %s', (_kind, vector, version, problem) => {
    const error = thrown(() => scoreV3(vector));
    expect(error).toBeInstanceOf(CvssError);
    expect(error).toMatchObject({ name: 'InvalidCvssVector', version, vector, problem });
    const label = version === 'unknown' ? 'CVSS' : `CVSS v${version}`;
    expect((error as CvssError).message).toBe(`${label} vector "${vector}": ${problem}`);
  });

  const v4Cases: ReadonlyArray<readonly [string, string, string, string]> = [
    ['a v3.1 prefix', V3, 'unknown', 'a CVSS v4 vector must start with "CVSS:4.0/" (found "CVSS:3.1/")'],
    ['a prefix without its slash', 'CVSS:4.0', 'unknown', 'a CVSS v4 vector must start with "CVSS:4.0/"'],
    ['nothing after the prefix', 'CVSS:4.0/', '4.0', 'no metrics after "CVSS:4.0/"'],
    ['a missing attack requirements metric', 'CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', '4.0', 'missing base metric AT'],
    // ae accepts S (safety) on the base subsequent-system metrics; the specification allows it only on MSI/MSA.
    [
      'safety on a base metric',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N',
      '4.0',
      'SI must be one of H, L, N (got "S")',
    ],
    ['safety on modified confidentiality', `${V4}/MSC:S`, '4.0', 'MSC must be one of X, H, L, N (got "S")'],
    [
      'X on a base metric',
      'CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      '4.0',
      'AV must be one of N, A, L, P (got "X")',
    ],
    ['a v3 exploit maturity', `${V4}/E:F`, '4.0', 'E must be one of X, A, P, U (got "F")'],
    ['a lower-case urgency', `${V4}/U:red`, '4.0', 'U must be one of X, Clear, Green, Amber, Red (got "red")'],
    ['an unknown requirement value', `${V4}/CR:N`, '4.0', 'CR must be one of X, H, M, L (got "N")'],
    ['a v3 metric', `${V4}/RL:O`, '4.0', 'unknown metric "RL"'],
    [
      'the v3 scope metric',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      '4.0',
      'S must be one of X, N, P (got "U")',
    ],
    ['a duplicate', `${V4}/E:A/E:U`, '4.0', 'E is given more than once'],
    [
      'a doubled slash',
      'CVSS:4.0/AV:N//AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      '4.0',
      'has an empty part (a doubled or trailing "/")',
    ],
  ];

  it.each(v4Cases)('rejects a v4 vector with %s', (_kind, vector, version, problem) => {
    const error = thrown(() => scoreV4(vector));
    expect(error).toBeInstanceOf(CvssError);
    expect(error).toMatchObject({ name: 'InvalidCvssVector', version, vector, problem });
  });

  it('catches what ae-cvss-calculator alone would have scored or crashed on', () => {
    // Why we validate first: ae scores garbage as 0 or throws errors of its own.
    expect(new ae.Cvss3P1('CVSS:3.1/AV:X').calculateScores().overall).toBe(0);
    expect(() => scoreV3('CVSS:3.1/AV:X')).toThrow(CvssError);
    expect(() => new ae.Cvss4P0('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N').calculateScores()).not.toThrow();
    expect(() => scoreV4('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N')).toThrow(CvssError);
  });

  it('never throws anything but CvssError, whatever the text', () => {
    const pieces = fc.constantFrom('CVSS:3.1/', 'CVSS:4.0/', 'AV:N', 'AC:L', 'X', ':', '/', 'S:U', 'E:P', 'U:Red', 'MSI:S', 'A', 'H');
    const text = fc.oneof(
      fc.string(),
      fc.array(pieces, { maxLength: 20 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        for (const score of [scoreV3, scoreV4]) {
          try {
            score(t);
          } catch (e) {
            expect(e).toBeInstanceOf(CvssError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('CVSS v3 and v4 invariants', () => {
  const inRange = (x: number): void => {
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(10);
    expect(Math.abs(x * 10 - Math.round(x * 10))).toBeLessThan(1e-9);
  };

  it('scores every valid v3.1 or v3.0 vector, in any order, within 0 to 10 with one decimal', () => {
    const anyV3 = fc.oneof(validVector('CVSS:3.1/', V3_SPEC), validVector('CVSS:3.0/', V3_SPEC));
    fc.assert(
      fc.property(anyV3, ({ vector, canonical }) => {
        const s = scoreV3(vector);
        expect(s.vector).toBe(canonical);
        expect(s.severity).toBe(severityOf(s.base));
        for (const x of [s.base, s.temporal, s.environmental]) if (x !== undefined) inRange(x);
        const direct = (s.version === '3.1' ? new ae.Cvss3P1(canonical) : new ae.Cvss3P0(canonical)).calculateScores();
        expect(s.base).toBe(direct.base);
      }),
      { numRuns: 1000 },
    );
  });

  it('scores every valid v4.0 vector within 0 to 10, names it as ae does, and keeps the base-only score', () => {
    fc.assert(
      fc.property(validVector('CVSS:4.0/', V4_SPEC), ({ vector, canonical }) => {
        const s = scoreV4(vector);
        expect(s.vector).toBe(canonical);
        inRange(s.score);
        inRange(s.base);
        expect(s.severity).toBe(severityOf(s.score));
        const baseOnly = canonical.split('/').slice(0, 12).join('/');
        expect(s.base).toBe(scoreV4(baseOnly).score);
        expect(s.nomenclature).toBe(new ae.Cvss4P0(canonical).getNomenclature());
      }),
      // ae's v4 arithmetic takes about 3 ms a vector, so fewer runs than elsewhere.
      { numRuns: 300 },
    );
  }, 30_000);

  it('grades severity on the v3/v4 scale', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityOf)).toEqual([
      'none',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});
