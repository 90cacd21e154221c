// A test-only second implementation of the v2 equations in exact decimal arithmetic (BigInt), so
// the production code's floating-point rounding can be checked against what the guide's decimal
// equations really give, and so ties (values exactly on x.x5) can be recognised.
import type { CvssV2Metrics } from '../../../functions/domain/scores/index.js';

/** value = n / 10^s */
interface Dec {
  n: bigint;
  s: number;
}

const dec = (text: string): Dec => {
  const [whole = '0', fraction = ''] = text.split('.');
  return { n: BigInt(whole + fraction), s: fraction.length };
};
const pow10 = (k: number): bigint => 10n ** BigInt(k);
const align = (a: Dec, b: Dec): [bigint, bigint, number] => {
  const s = Math.max(a.s, b.s);
  return [a.n * pow10(s - a.s), b.n * pow10(s - b.s), s];
};
const add = (a: Dec, b: Dec): Dec => {
  const [x, y, s] = align(a, b);
  return { n: x + y, s };
};
const sub = (a: Dec, b: Dec): Dec => {
  const [x, y, s] = align(a, b);
  return { n: x - y, s };
};
const mul = (a: Dec, b: Dec): Dec => ({ n: a.n * b.n, s: a.s + b.s });
const min = (a: Dec, b: Dec): Dec => {
  const [x, y] = align(a, b);
  return x <= y ? a : b;
};
const toNumber = (a: Dec): number => Number(a.n) / 10 ** a.s;

/** Half away from zero, like the guide's round_to_1_decimal; reports whether x was exactly a tie. */
const round1 = (a: Dec): { value: Dec; tie: boolean } => {
  if (a.s <= 1) return { value: { n: a.n * pow10(1 - a.s), s: 1 }, tie: false };
  const unit = pow10(a.s - 1);
  const magnitude = a.n < 0n ? -a.n : a.n;
  const quotient = magnitude / unit;
  const remainder = magnitude % unit;
  const rounded = remainder * 2n >= unit ? quotient + 1n : quotient;
  return { value: { n: a.n < 0n ? -rounded : rounded, s: 1 }, tie: remainder * 2n === unit };
};

/** The guide's tables as decimal strings (section 3.2). */
const W: Record<string, Record<string, string>> = {
  AV: { L: '0.395', A: '0.646', N: '1.0' },
  AC: { H: '0.35', M: '0.61', L: '0.71' },
  Au: { M: '0.45', S: '0.56', N: '0.704' },
  CIA: { N: '0', P: '0.275', C: '0.660' },
  E: { U: '0.85', POC: '0.9', F: '0.95', H: '1', ND: '1' },
  RL: { OF: '0.87', TF: '0.9', W: '0.95', U: '1', ND: '1' },
  RC: { UC: '0.9', UR: '0.95', C: '1', ND: '1' },
  CDP: { N: '0', L: '0.1', LM: '0.3', MH: '0.4', H: '0.5', ND: '0' },
  TD: { N: '0', L: '0.25', M: '0.75', H: '1', ND: '1' },
  REQ: { L: '0.5', M: '1', H: '1.51', ND: '1' },
};
const w = (table: string, value: string): Dec => dec(W[table]?.[value] ?? 'NaN');

export interface ExactV2 {
  base: number;
  temporal: number;
  /** True when base × temporal factors lands exactly on a .x5 before rounding. */
  temporalTie: boolean;
  /** Unclamped: the guide's equations can go below zero. */
  environmental?: number;
}

export function exactV2(m: CvssV2Metrics): ExactV2 {
  const one = dec('1');
  const ten = dec('10');
  const { base: b, temporal: t, environmental: e } = m;
  const c = w('CIA', b.C);
  const i = w('CIA', b.I);
  const a = w('CIA', b.A);
  const exploitability = mul(dec('20'), mul(w('AV', b.AV), mul(w('AC', b.AC), w('Au', b.Au))));
  const baseEquation = (impact: Dec): Dec =>
    impact.n === 0n
      ? dec('0')
      : round1(mul(sub(add(mul(dec('0.6'), impact), mul(dec('0.4'), exploitability)), dec('1.5')), dec('1.176'))).value;
  const impact = mul(dec('10.41'), sub(one, mul(sub(one, c), mul(sub(one, i), sub(one, a)))));
  const base = baseEquation(impact);
  const factor = t ? mul(w('E', t.E), mul(w('RL', t.RL), w('RC', t.RC))) : one;
  const temporal = round1(mul(base, factor));
  let environmental: number | undefined;
  if (e) {
    const adjusted = (x: Dec, req: string): Dec => sub(one, mul(x, w('REQ', req)));
    const adjustedImpact = min(ten, mul(dec('10.41'), sub(one, mul(adjusted(c, e.CR), mul(adjusted(i, e.IR), adjusted(a, e.AR))))));
    const adjustedTemporal = round1(mul(baseEquation(adjustedImpact), factor)).value;
    const env = round1(mul(add(adjustedTemporal, mul(sub(ten, adjustedTemporal), w('CDP', e.CDP))), w('TD', e.TD))).value;
    environmental = toNumber(env);
  }
  return {
    base: toNumber(base),
    temporal: toNumber(temporal.value),
    temporalTie: temporal.tie,
    ...(environmental !== undefined ? { environmental } : {}),
  };
}
