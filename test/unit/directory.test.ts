// The directory's pure rules: which names are the same organisation, what a search matches, the
// shape of an armored PGP public key, and a vendor's record across the cases it was on.
import { describe, expect, it } from 'vitest';
import { newVendorRef } from '../../functions/app/directory.js';
import { VENDOR_REF, cleanAliases, matches, nameKey, namesOf, pgpKeyProblem, vendorHistory } from '../../functions/domain/directory.js';
import { aCase } from '../builders/case.js';

describe('directory names', () => {
  it('compares names case-folded, compatibility-normalised and with whitespace collapsed', () => {
    expect(nameKey('  ACME\t Corp ')).toBe('acme corp');
    expect(nameKey('ＡＣＭＥ')).toBe('acme');
    expect(namesOf({ name: 'Acme', aliases: ['ACME', 'Road Runner'] })).toEqual(['acme', 'road runner']);
    expect(cleanAliases('Acme', ['acme', 'RR', 'rr', ' '])).toEqual(['RR']);
  });

  it('matches a search anywhere in the name or an alias', () => {
    const s = { name: 'Acme Corporation', aliases: ['Road Runner Labs'] };
    expect(matches(s, 'corp')).toBe(true);
    expect(matches(s, 'RUNNER')).toBe(true);
    expect(matches(s, 'globex')).toBe(false);
    expect(matches(s, '')).toBe(true);
  });

  it('makes refs of the ULID shape, different each time', () => {
    const a = newVendorRef('2026-11-01T00:00:00Z');
    expect(a).toMatch(VENDOR_REF);
    expect(newVendorRef('2026-11-01T00:00:00Z')).not.toBe(a);
    const zeros = (n: number) => new Uint8Array(n);
    expect(newVendorRef('2026-11-01T00:00:00Z', zeros).slice(12)).toBe('0'.repeat(16));
    // Time first: later refs sort after earlier ones.
    expect(newVendorRef('2026-11-02T00:00:00Z', zeros) > newVendorRef('2026-11-01T00:00:00Z', zeros)).toBe(true);
  });
});

describe('PGP keys', () => {
  // Built by hand: an old-format public key packet (tag 6) of a few bytes, and its CRC-24.
  const body = Buffer.from([0x98, 0x03, 0x04, 0x01, 0x02]).toString('base64');
  const armored = (b: string, sum = '') =>
    `-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: test\n\n${b}\n${sum}-----END PGP PUBLIC KEY BLOCK-----`;
  it('takes the armor of a public key, with or without a checksum, and refuses the rest', () => {
    expect(pgpKeyProblem(armored(body))).toBeNull();
    expect(pgpKeyProblem(armored(body).replace(/\n/g, '\r\n'))).toBeNull();
    expect(pgpKeyProblem(armored(body, '=AAAA\n'))).toMatch(/checksum/);
    expect(pgpKeyProblem(armored(Buffer.from([0x95, 0x01, 0x00]).toString('base64')))).toMatch(/public key packet/);
    expect(pgpKeyProblem(armored('not base64!'))).not.toBeNull();
    expect(pgpKeyProblem('ssh-ed25519 AAAAC3Nz')).not.toBeNull();
    expect(pgpKeyProblem(armored(body).replace('PUBLIC KEY', 'PRIVATE KEY'))).not.toBeNull();
  });
});

describe('a vendor’s history', () => {
  it('lists the cases it was added to by its ref, newest first, with the time to acknowledge and whether it went silent', () => {
    const ref = 'v-01JAAAAAAAAAAAAAAAAAAAAAAA';
    const withVendor = (caseId: string, at: string, v: Record<string, unknown>) => {
      const s = aCase(caseId).submitted().registered().prescreened().accepted().withVendors({ name: 'Zeta Vendor' }).state;
      return {
        ...s,
        phase: 'embargo' as const,
        vendors: [
          {
            ...(s.vendors[0] ?? ({} as never)),
            vendorId: 'vendor-1',
            vendorRef: ref,
            addedAt: at,
            firstContactAt: null,
            acknowledgedAt: null,
            unresponsiveAt: null,
            ...v,
          },
        ],
      };
    };
    const h = vendorHistory(ref, [
      withVendor('VU-AAAAAAAA', '2026-01-01T00:00:00Z', { firstContactAt: '2026-01-01T00:00:00Z', acknowledgedAt: '2026-01-01T10:00:00Z' }),
      withVendor('VU-BBBBBBBB', '2026-02-01T00:00:00Z', { firstContactAt: '2026-02-01T00:00:00Z', unresponsiveAt: '2026-03-01T00:00:00Z' }),
      withVendor('VU-CCCCCCCC', '2026-03-01T00:00:00Z', { firstContactAt: '2026-03-01T00:00:00Z', acknowledgedAt: '2026-03-01T02:30:00Z' }),
      aCase('VU-DDDDDDDD').submitted().registered().prescreened().accepted().withVendors({ name: 'Zeta Vendor' }).state,
    ]);
    expect(h.cases.map((c) => c.caseId)).toEqual(['VU-CCCCCCCC', 'VU-BBBBBBBB', 'VU-AAAAAAAA']);
    expect(h.cases.map((c) => c.hoursToAcknowledge)).toEqual([2.5, null, 10]);
    expect(h).toMatchObject({ acknowledged: 2, medianHoursToAcknowledge: 6.3, timesUnresponsive: 1 });
  });
});
