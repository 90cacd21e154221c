// Vultron formal state (docs/domain.md): report management (RM), embargo management (EM) and the
// case state flags vfdpxa. Only the transitions listed here are legal; the fold goes through
// these functions so an illegal step can never be stored.
import { DomainError } from './errors.js';

export const RM_STATES = ['START', 'RECEIVED', 'INVALID', 'VALID', 'ACCEPTED', 'DEFERRED', 'CLOSED'] as const;
export type RmState = (typeof RM_STATES)[number];

export const EM_STATES = ['NONE', 'PROPOSED', 'ACTIVE', 'REVISE', 'EXITED'] as const;
export type EmState = (typeof EM_STATES)[number];

const RM_NEXT: Record<RmState, readonly RmState[]> = {
  START: ['RECEIVED'],
  RECEIVED: ['VALID', 'INVALID'],
  INVALID: ['VALID', 'CLOSED'],
  VALID: ['ACCEPTED', 'DEFERRED'], // never close straight from VALID: defer first
  ACCEPTED: ['DEFERRED', 'CLOSED'],
  DEFERRED: ['ACCEPTED', 'CLOSED'],
  CLOSED: [],
};

const EM_NEXT: Record<EmState, readonly EmState[]> = {
  NONE: ['PROPOSED'],
  PROPOSED: ['PROPOSED', 'ACTIVE', 'NONE'],
  ACTIVE: ['REVISE', 'EXITED'],
  REVISE: ['ACTIVE', 'EXITED'],
  EXITED: [],
};

export const rmAllows = (from: RmState, to: RmState): boolean => RM_NEXT[from].includes(to);
export const emAllows = (from: EmState, to: EmState): boolean => EM_NEXT[from].includes(to);

/** Walks RM through the given states, each step checked. */
export function rmPath(from: RmState, ...path: RmState[]): RmState {
  return path.reduce((cur, to) => {
    if (!rmAllows(cur, to)) throw new DomainError('InvalidTransition', `report management cannot go from ${cur} to ${to}`);
    return to;
  }, from);
}

/** Walks EM through the given states, each step checked. */
export function emPath(from: EmState, ...path: EmState[]): EmState {
  return path.reduce((cur, to) => {
    if (!emAllows(cur, to)) throw new DomainError('InvalidTransition', `embargo management cannot go from ${cur} to ${to}`);
    return to;
  }, from);
}

/** Publication requires no embargo or an exited one. */
export const emAllowsPublication = (em: EmState): boolean => em === 'NONE' || em === 'EXITED';

// Case state: V F D per vendor, P X A per case. Flags only ever go up; D ⇒ F ⇒ V; X ⇒ P.
export interface VendorFlags {
  v: boolean;
  f: boolean;
  d: boolean;
}
export interface CaseFlags {
  p: boolean;
  x: boolean;
  a: boolean;
}

export const NO_VENDOR_FLAGS: VendorFlags = { v: false, f: false, d: false };
export const NO_CASE_FLAGS: CaseFlags = { p: false, x: false, a: false };

/** Raises vendor flags, keeping the implications; never lowers one. */
export function raiseVendorFlags(cur: VendorFlags, raise: Partial<VendorFlags>): VendorFlags {
  const d = cur.d || !!raise.d;
  const f = cur.f || !!raise.f || d;
  const v = cur.v || !!raise.v || f;
  return { v, f, d };
}

/** Raises case flags, keeping X ⇒ P; never lowers one. */
export function raiseCaseFlags(cur: CaseFlags, raise: Partial<CaseFlags>): CaseFlags {
  const x = cur.x || !!raise.x;
  const p = cur.p || !!raise.p || x;
  const a = cur.a || !!raise.a;
  return { p, x, a };
}

/** The vfdpxa string: upper case where the flag is set. */
export function csString(v: VendorFlags, c: CaseFlags): string {
  const f = (on: boolean, ch: string) => (on ? ch.toUpperCase() : ch);
  return f(v.v, 'v') + f(v.f, 'f') + f(v.d, 'd') + f(c.p, 'p') + f(c.x, 'x') + f(c.a, 'a');
}

/** Case-level VFD: a flag holds for the case when it holds for every vendor that is not "not affected". */
export function caseVendorFlags(vendors: readonly { flags: VendorFlags; notAffected: boolean }[]): VendorFlags {
  const relevant = vendors.filter((x) => !x.notAffected);
  if (relevant.length === 0) return NO_VENDOR_FLAGS;
  return {
    v: relevant.every((x) => x.flags.v),
    f: relevant.every((x) => x.flags.f),
    d: relevant.every((x) => x.flags.d),
  };
}
