// Who reads a message, as a pure function of the message and the reader; and an audience resolved
// once keeps its recipients when the event is decided again.
import { describe, expect, it } from 'vitest';
import { type Addressed, canRead, participantReaders } from '../../functions/domain/audience.js';
import { resolveAudience } from '../../functions/domain/deciders/audience-rules.js';
import type { CaseState } from '../../functions/domain/case.js';
import { aWorld } from '../builders/api-world.js';

const coordinator = { role: 'coordinator' };
const acme = { kind: 'vendor', vendorId: 'vendor-1' } as const;
const beta = { kind: 'vendor', vendorId: 'vendor-2' } as const;
const reporter = { kind: 'reporter' } as const;

describe('who reads a message', () => {
  it('lets the writer and the named recipients read it, and nobody else', () => {
    const toAcme: Addressed = { by: coordinator, audience: 'selected', to: { reporter: false, vendorIds: ['vendor-1'] } };
    expect([canRead(toAcme, acme), canRead(toAcme, beta), canRead(toAcme, reporter)]).toEqual([true, false, false]);
    const note: Addressed = { by: coordinator, audience: 'internal', to: { reporter: false, vendorIds: [] } };
    expect([canRead(note, acme), canRead(note, beta), canRead(note, reporter), canRead(note, { kind: 'coordinators' })]).toEqual([
      false,
      false,
      false,
      true,
    ]);
    const fromBeta: Addressed = { by: { role: 'vendor', participant: 'vendor-2' }, audience: 'coordinators' };
    expect([canRead(fromBeta, acme), canRead(fromBeta, beta), canRead(fromBeta, reporter)]).toEqual([false, true, false]);
    expect(participantReaders(fromBeta)).toEqual([beta]);
    expect(
      participantReaders({ by: coordinator, audience: 'everyone', to: { reporter: true, vendorIds: ['vendor-1', 'vendor-2'] } }),
    ).toEqual([reporter, acme, beta]);
  });

  it('treats a vendor id that only starts like another as another vendor', () => {
    const toTen: Addressed = { by: coordinator, audience: 'selected', to: { reporter: false, vendorIds: ['vendor-10'] } };
    expect(canRead(toTen, acme)).toBe(false);
  });
});

describe('an audience resolved once', () => {
  it('keeps the recipients the copies were written for, and resolves again when one can no longer be reached', async () => {
    const w = await aWorld();
    const s = (await w.app.store.load(w.a))!.state as CaseState;
    expect(resolveAudience(s, 'vendors').to).toEqual({ reporter: false, vendorIds: ['vendor-1', 'vendor-2'] });
    expect(resolveAudience(s, 'vendors', { reporter: false, vendorIds: ['vendor-1'] }).to).toEqual({
      reporter: false,
      vendorIds: ['vendor-1'],
    });
    expect(resolveAudience(s, 'vendors', { reporter: false, vendorIds: ['vendor-9'] }).to).toEqual({
      reporter: false,
      vendorIds: ['vendor-1', 'vendor-2'],
    });
    expect(resolveAudience(s, 'reporter', { reporter: true, vendorIds: ['vendor-1'] }).to).toEqual({ reporter: true, vendorIds: [] });
  });
});
