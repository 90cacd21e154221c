import { describe, expect, it } from 'vitest';
import {
  DomainError,
  csString,
  emAllows,
  emAllowsPublication,
  emPath,
  raiseCaseFlags,
  raiseVendorFlags,
  rmAllows,
  rmPath,
} from '../../functions/domain/index.js';

describe('Vultron report management', () => {
  it('follows START → RECEIVED → VALID → ACCEPTED and declines through DEFERRED', () => {
    expect(rmPath('START', 'RECEIVED', 'VALID', 'ACCEPTED')).toBe('ACCEPTED');
    expect(rmPath('VALID', 'DEFERRED', 'CLOSED')).toBe('CLOSED');
    expect(rmPath('ACCEPTED', 'DEFERRED', 'ACCEPTED')).toBe('ACCEPTED');
  });
  it('never closes straight from VALID', () => {
    expect(rmAllows('VALID', 'CLOSED')).toBe(false);
    expect(() => rmPath('VALID', 'CLOSED')).toThrow(DomainError);
    expect(() => rmPath('VALID', 'CLOSED')).toThrow(/from VALID to CLOSED/);
  });
  it('lets an invalid report become valid again or close', () => {
    expect(rmAllows('INVALID', 'VALID')).toBe(true);
    expect(rmAllows('INVALID', 'CLOSED')).toBe(true);
    expect(rmAllows('CLOSED', 'RECEIVED')).toBe(false);
  });
});

describe('Vultron embargo management', () => {
  it('proposes, re-proposes, activates, revises and exits', () => {
    expect(emPath('NONE', 'PROPOSED', 'PROPOSED', 'ACTIVE', 'REVISE', 'ACTIVE', 'EXITED')).toBe('EXITED');
    expect(emAllows('PROPOSED', 'NONE')).toBe(true);
  });
  it('cannot reopen an exited embargo or activate without a proposal', () => {
    expect(emAllows('EXITED', 'ACTIVE')).toBe(false);
    expect(emAllows('NONE', 'ACTIVE')).toBe(false);
  });
  it('allows publication only with no embargo or an exited one', () => {
    expect(['NONE', 'PROPOSED', 'ACTIVE', 'REVISE', 'EXITED'].filter((s) => emAllowsPublication(s as never))).toEqual(['NONE', 'EXITED']);
  });
});

describe('case state flags', () => {
  it('raises V and F with D, and P with X, and never lowers a flag', () => {
    expect(raiseVendorFlags({ v: false, f: false, d: false }, { d: true })).toEqual({ v: true, f: true, d: true });
    expect(raiseVendorFlags({ v: true, f: true, d: false }, { v: false, f: false })).toEqual({ v: true, f: true, d: false });
    expect(raiseCaseFlags({ p: false, x: false, a: false }, { x: true })).toEqual({ p: true, x: true, a: false });
  });
  it('writes vfdpxa with upper case for the flags that are set', () => {
    expect(csString({ v: true, f: true, d: false }, { p: true, x: false, a: true })).toBe('VFdPxA');
  });
});

describe('the phases the workflow routes on', () => {
  it('are exactly the case phases of the domain', async () => {
    const { PHASES } = await import('../../functions/domain/case.js');
    const { Phase } = await import('../../lib/workflow-states.js');
    expect([...Phase].sort()).toEqual([...PHASES].sort());
  });
});
