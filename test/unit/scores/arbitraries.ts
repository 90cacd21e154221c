// fast-check generators for CVSS vectors, written from the specifications' value tables rather
// than imported from the code under test, so a wrong table in the code cannot hide itself.
import fc from 'fast-check';
import type { CvssV2Metrics } from '../../../functions/domain/scores/index.js';

const oneOf = <T extends string>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values);

export const v2Base = fc.record({
  AV: oneOf('L', 'A', 'N'),
  AC: oneOf('H', 'M', 'L'),
  Au: oneOf('M', 'S', 'N'),
  C: oneOf('N', 'P', 'C'),
  I: oneOf('N', 'P', 'C'),
  A: oneOf('N', 'P', 'C'),
});
export const v2Temporal = fc.record({
  E: oneOf('U', 'POC', 'F', 'H', 'ND'),
  RL: oneOf('OF', 'TF', 'W', 'U', 'ND'),
  RC: oneOf('UC', 'UR', 'C', 'ND'),
});
export const v2Environmental = fc.record({
  CDP: oneOf('N', 'L', 'LM', 'MH', 'H', 'ND'),
  TD: oneOf('N', 'L', 'M', 'H', 'ND'),
  CR: oneOf('L', 'M', 'H', 'ND'),
  IR: oneOf('L', 'M', 'H', 'ND'),
  AR: oneOf('L', 'M', 'H', 'ND'),
});

/** All three groups present. */
export const v2Full: fc.Arbitrary<Required<CvssV2Metrics>> = fc.record({
  base: v2Base,
  temporal: v2Temporal,
  environmental: v2Environmental,
});

/** Base always; temporal and environmental each present or not. */
export const v2Any: fc.Arbitrary<CvssV2Metrics> = fc.record(
  { base: v2Base, temporal: v2Temporal, environmental: v2Environmental },
  { requiredKeys: ['base'] },
);

export const v2String = (m: CvssV2Metrics): string =>
  [m.base, m.temporal ?? {}, m.environmental ?? {}]
    .flatMap((group) => Object.entries(group).map(([k, v]) => `${k}:${String(v)}`))
    .join('/');

/** Metric name -> legal values, as the v3.1 specification's table 15 lists them. */
export const V3_SPEC: ReadonlyArray<readonly [string, readonly string[], 'mandatory' | 'optional']> = [
  ['AV', ['N', 'A', 'L', 'P'], 'mandatory'],
  ['AC', ['L', 'H'], 'mandatory'],
  ['PR', ['N', 'L', 'H'], 'mandatory'],
  ['UI', ['N', 'R'], 'mandatory'],
  ['S', ['U', 'C'], 'mandatory'],
  ['C', ['H', 'L', 'N'], 'mandatory'],
  ['I', ['H', 'L', 'N'], 'mandatory'],
  ['A', ['H', 'L', 'N'], 'mandatory'],
  ['E', ['X', 'H', 'F', 'P', 'U'], 'optional'],
  ['RL', ['X', 'U', 'W', 'T', 'O'], 'optional'],
  ['RC', ['X', 'C', 'R', 'U'], 'optional'],
  ['CR', ['X', 'H', 'M', 'L'], 'optional'],
  ['IR', ['X', 'H', 'M', 'L'], 'optional'],
  ['AR', ['X', 'H', 'M', 'L'], 'optional'],
  ['MAV', ['X', 'N', 'A', 'L', 'P'], 'optional'],
  ['MAC', ['X', 'L', 'H'], 'optional'],
  ['MPR', ['X', 'N', 'L', 'H'], 'optional'],
  ['MUI', ['X', 'N', 'R'], 'optional'],
  ['MS', ['X', 'U', 'C'], 'optional'],
  ['MC', ['X', 'H', 'L', 'N'], 'optional'],
  ['MI', ['X', 'H', 'L', 'N'], 'optional'],
  ['MA', ['X', 'H', 'L', 'N'], 'optional'],
];

/** The v4.0 specification's table 23. */
export const V4_SPEC: ReadonlyArray<readonly [string, readonly string[], 'mandatory' | 'optional']> = [
  ['AV', ['N', 'A', 'L', 'P'], 'mandatory'],
  ['AC', ['L', 'H'], 'mandatory'],
  ['AT', ['N', 'P'], 'mandatory'],
  ['PR', ['N', 'L', 'H'], 'mandatory'],
  ['UI', ['N', 'P', 'A'], 'mandatory'],
  ['VC', ['H', 'L', 'N'], 'mandatory'],
  ['VI', ['H', 'L', 'N'], 'mandatory'],
  ['VA', ['H', 'L', 'N'], 'mandatory'],
  ['SC', ['H', 'L', 'N'], 'mandatory'],
  ['SI', ['H', 'L', 'N'], 'mandatory'],
  ['SA', ['H', 'L', 'N'], 'mandatory'],
  ['E', ['X', 'A', 'P', 'U'], 'optional'],
  ['CR', ['X', 'H', 'M', 'L'], 'optional'],
  ['IR', ['X', 'H', 'M', 'L'], 'optional'],
  ['AR', ['X', 'H', 'M', 'L'], 'optional'],
  ['MAV', ['X', 'N', 'A', 'L', 'P'], 'optional'],
  ['MAC', ['X', 'L', 'H'], 'optional'],
  ['MAT', ['X', 'N', 'P'], 'optional'],
  ['MPR', ['X', 'N', 'L', 'H'], 'optional'],
  ['MUI', ['X', 'N', 'P', 'A'], 'optional'],
  ['MVC', ['X', 'H', 'L', 'N'], 'optional'],
  ['MVI', ['X', 'H', 'L', 'N'], 'optional'],
  ['MVA', ['X', 'H', 'L', 'N'], 'optional'],
  ['MSC', ['X', 'H', 'L', 'N'], 'optional'],
  ['MSI', ['X', 'S', 'H', 'L', 'N'], 'optional'],
  ['MSA', ['X', 'S', 'H', 'L', 'N'], 'optional'],
  ['S', ['X', 'N', 'P'], 'optional'],
  ['AU', ['X', 'N', 'Y'], 'optional'],
  ['R', ['X', 'A', 'U', 'I'], 'optional'],
  ['V', ['X', 'D', 'C'], 'optional'],
  ['RE', ['X', 'L', 'M', 'H'], 'optional'],
  ['U', ['X', 'Clear', 'Green', 'Amber', 'Red'], 'optional'],
];

export interface GeneratedVector {
  /** As a reporter might write it: metrics in any order. */
  vector: string;
  /** The same metrics in the specification's order. */
  canonical: string;
}

/** A valid vector: every mandatory metric, a random subset of optional ones, shuffled. */
export const validVector = (prefix: string, spec: typeof V3_SPEC): fc.Arbitrary<GeneratedVector> =>
  fc
    .tuple(
      ...spec.map(([name, values, kind]) => {
        const value = fc.constantFrom(...values);
        return kind === 'mandatory'
          ? value.map((v) => `${name}:${v}`)
          : fc.option(
              value.map((v) => `${name}:${v}`),
              { nil: undefined },
            );
      }),
    )
    .chain((parts) => {
      const present = parts.filter((p): p is string => p !== undefined);
      return fc.shuffledSubarray(present, { minLength: present.length, maxLength: present.length }).map((shuffled) => ({
        vector: prefix + shuffled.join('/'),
        canonical: prefix + present.join('/'),
      }));
    });
