// Our attribute marshalling must write exactly what @aws-sdk/util-dynamodb wrote before it, so items
// stored by earlier versions read back the same.
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromAttributes, toAttributes } from '../../functions/adapters/attribute-values.js';

// JSON-shaped items like the store's: no sets, safe numbers, undefined here and there (binary apart, below).
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }).filter((n) => !Object.is(n, -0)),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('v'), { maxKeys: 4 }),
  ),
}));
const item = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value.v, { maxKeys: 6 });

describe('attribute values', () => {
  it('marshal every JSON-shaped item exactly as util-dynamodb does, and read it back the same', () => {
    fc.assert(
      fc.property(item, (it) => {
        const ours = toAttributes(it);
        expect(ours).toEqual(marshall(it, { removeUndefinedValues: true }));
        expect(fromAttributes(ours)).toEqual(unmarshall(ours));
      }),
      { numRuns: 500 },
    );
  });

  it('write binary (a deflated snapshot) as util-dynamodb does, and read the same bytes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const ours = toAttributes({ stateZ: bytes });
        expect(ours).toEqual(marshall({ stateZ: bytes }));
        expect(fromAttributes<{ stateZ: Uint8Array }>(ours).stateZ).toEqual(bytes);
      }),
    );
  });

  it('refuse what the store never writes, naming where it is', () => {
    expect(() => toAttributes({ a: { b: Number.NaN } })).toThrow('item.a.b is NaN');
    expect(() => toAttributes({ when: new Date(0) })).toThrow('item.when is a Date');
    expect(() => toAttributes({ tags: new Set(['x']) })).toThrow('item.tags is a Set');
    expect(() => fromAttributes({ s: { SS: ['x'] } })).toThrow('never writes: SS');
  });
});
