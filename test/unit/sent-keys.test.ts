// The record of mail sent (functions/domain/case-state.ts wasSent): a retried step asks it before
// every e-mail. Kept in buckets so that a case with hundreds of vendors does not copy thousands of
// keys with every record; read the same from snapshots written before the buckets.
import { describe, expect, it } from 'vitest';
import { type CaseState, SENT_BUCKETS, apply, sentBucket, wasSent } from '../../functions/domain/case.js';
import type { StoredEvent } from '../../functions/domain/events.js';
import { SYSTEM, T0, aCase } from '../builders/case.js';

const sent = (s: CaseState, key: string, at = T0, template = 'vendor-reminder'): CaseState =>
  apply(s, {
    type: 'notification-sent',
    key,
    template,
    to: ['x@example.org'],
    at,
    by: SYSTEM,
    caseId: s.caseId,
    seq: s.version + 1,
  } as StoredEvent);

describe('the record of mail sent', () => {
  it('finds every key it recorded, and none it did not', () => {
    let s = aCase().submitted().state;
    const keys = Array.from({ length: 500 }, (_, i) => `reminder:vendor-${i}:2→psirt@vendor-${i}.example`);
    for (const k of keys) s = sent(s, k);
    expect(keys.every((k) => wasSent(s, k))).toBe(true);
    expect(wasSent(s, 'reminder:vendor-500:2→psirt@vendor-500.example')).toBe(false);
    expect(wasSent(s, 'reminder:vendor-1:3→psirt@vendor-1.example')).toBe(false);
  });

  it('keeps no map of thousands of keys: every bucket holds a few dozen', () => {
    let s = aCase().submitted().state;
    for (let i = 0; i < 4000; i++) s = sent(s, `draft-shared:1:vendor-${i}→psirt@vendor-${i}.example`);
    const sizes = Object.values(s.sent ?? {}).map((b: Record<string, string>) => Object.keys(b).length);
    expect(sizes).toHaveLength(SENT_BUCKETS);
    expect(Math.max(...sizes)).toBeLessThan(4000 / SENT_BUCKETS + 40);
    expect(Object.keys(s.notifications)).toHaveLength(0);
  });

  it('reads a snapshot written before the buckets, where every key sat in one map', () => {
    const old = { ...aCase().submitted().state, notifications: { 'vendor-contact:vendor-1→psirt@acme.example': T0 } };
    delete (old as Partial<CaseState>).sent;
    expect(wasSent(old, 'vendor-contact:vendor-1→psirt@acme.example')).toBe(true);
    const next = sent(old, 'reminder:vendor-1:2→psirt@acme.example');
    expect(wasSent(next, 'vendor-contact:vendor-1→psirt@acme.example')).toBe(true);
    expect(wasSent(next, 'reminder:vendor-1:2→psirt@acme.example')).toBe(true);
  });

  it('still forgets the notices of participants’ messages after two days, so a flood cannot grow the case', () => {
    let s = sent(aCase().submitted().state, 'comment:5→coord@cert.example', T0, 'comment-received');
    expect(wasSent(s, 'comment:5→coord@cert.example')).toBe(true);
    s = sent(s, 'comment:9→coord@cert.example', '2026-11-04T09:00:00.000Z', 'comment-received');
    expect(wasSent(s, 'comment:5→coord@cert.example')).toBe(false);
    expect(wasSent(s, 'comment:9→coord@cert.example')).toBe(true);
  });

  it('cannot say, on a slice of a large case without its record of mail sent, whether mail other than a message notice went out', () => {
    // Answering no would send that mail again: it throws instead. A message notice's key is in the core.
    const s: CaseState = {
      ...aCase().state,
      notifications: { 'comment:7→coord@cert.example': T0 },
      sliceFacts: { basis: '[]', parts: {} },
    };
    delete s.sent;
    expect(() => wasSent(s, 'report:vendor-1')).toThrow(/record of mail sent/);
    expect(wasSent(s, 'comment:7→coord@cert.example')).toBe(true);
    expect(wasSent(s, 'comment:8→coord@cert.example')).toBe(false);
    // The whole case (no slice facts) without any mail yet: simply not sent.
    const { sliceFacts: _, ...whole } = s;
    expect(wasSent(whole, 'report:vendor-1')).toBe(false);
  });

  it('puts a key in the same bucket on every runtime and in every release: a moved key would be mailed again', () => {
    // Fixed values: changing the hash would make every case forget what it sent.
    expect(sentBucket('reminder:vendor-2:2→psirt@vendor-2.example')).toBe('17');
    expect(sentBucket('vendor-contact:vendor-1→psirt@acme.example')).toBe('h');
    expect(sentBucket('published:coordinators')).toBe('1i');
    expect(sentBucket('reporter-acknowledgement')).toBe('1f');
  });
});
