// scoreAll is what the pre-screen runs on a report's `cvss` field: bad vectors become field errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CvssVectors, scoreAll } from '../../../functions/domain/scores/index.js';

const V2 = 'AV:N/AC:L/Au:N/C:P/I:P/A:P/CDP:H/TD:H/CR:M/IR:M/AR:M';
const V3 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

describe('scoring a report’s CVSS vectors', () => {
  it('scores all three versions of a report that gives them', () => {
    const { scores, errors } = scoreAll({ v2: V2, v3: V3, v4: V4 });
    expect(errors).toEqual([]);
    expect(scores.v2).toMatchObject({ base: 7.5, environmental: 8.8 });
    expect(scores.v3).toMatchObject({ version: '3.1', base: 9.8, severity: 'critical' });
    expect(scores.v4).toMatchObject({ score: 9.3, nomenclature: 'CVSS-B' });
  });

  it('returns nothing for a report without vectors', () => {
    expect(scoreAll({})).toEqual({ scores: {}, errors: [] });
    expect(scoreAll(undefined)).toEqual({ scores: {}, errors: [] });
  });

  it('ignores empty, blank and null vectors', () => {
    expect(scoreAll({ v2: '', v3: '   ', v4: null })).toEqual({ scores: {}, errors: [] });
  });

  it('keeps the good scores and reports each bad vector on its own field', () => {
    const { scores, errors } = scoreAll({ v2: 'AV:N/AC:Q/Au:N/C:P/I:P/A:P', v3: V3, v4: 'CVSS:4.0/AV:N' });
    expect(scores).toEqual({ v3: expect.objectContaining({ base: 9.8 }) });
    expect(errors).toEqual([
      { field: 'cvss.v2', message: 'CVSS v2 vector "AV:N/AC:Q/Au:N/C:P/I:P/A:P": AC must be one of H, M, L (got "Q")' },
      { field: 'cvss.v4', message: 'CVSS v4.0 vector "CVSS:4.0/AV:N": missing base metrics AC, AT, PR, UI, VC, VI, VA, SC, SI, SA' },
    ]);
  });

  it('tells the reporter when a vector sits in the wrong field', () => {
    const { errors } = scoreAll({ v3: V4, v4: V3 });
    expect(errors).toEqual([
      { field: 'cvss.v3', message: `CVSS vector "${V4}": a CVSS v3 vector must start with "CVSS:3.1/" or "CVSS:3.0/" (found "CVSS:4.0/")` },
      { field: 'cvss.v4', message: `CVSS vector "${V3}": a CVSS v4 vector must start with "CVSS:4.0/" (found "CVSS:3.1/")` },
    ]);
  });

  it('reports a value that is not text instead of throwing', () => {
    const untyped = { v2: 42 } as unknown as CvssVectors;
    expect(scoreAll(untyped).errors).toEqual([{ field: 'cvss.v2', message: 'cvss.v2 must be a CVSS vector string' }]);
  });

  it('never throws, whatever the report holds', () => {
    const field = fc.option(fc.oneof(fc.string(), fc.constantFrom(V2, V3, V4, 'CVSS:3.1/AV:X', '(AV:N')), { nil: undefined });
    fc.assert(
      fc.property(fc.record({ v2: field, v3: field, v4: field }, { requiredKeys: [] }), (vectors) => {
        const result = scoreAll(vectors);
        for (const e of result.errors) expect(e.message).toMatch(/^CVSS/);
        const given = (['v2', 'v3', 'v4'] as const).filter((k) => (vectors[k] ?? '').trim() !== '');
        expect(Object.keys(result.scores).length + result.errors.length).toBe(given.length);
      }),
      { numRuns: 500 },
    );
  });
});
