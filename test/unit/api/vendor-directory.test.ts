// The vendor directory through the API: organisations found by name or alias as typed, refused
// input answered 400 with nothing written, names one organisation's only (an alias cannot take
// another's), markup kept as data, and organisations added to cases by vendorRef as confirmed
// contacts, each case keeping its own copy.
import { describe, expect, it } from 'vitest';
import { type World, aWorld } from '../../builders/api-world.js';
import { call } from '../../builders/http.js';

// A real key (gpg --quick-gen-key, ed25519): the armor, the packet tag and the checksum all check out.
const PGP_KEY = `-----BEGIN PGP PUBLIC KEY BLOCK-----

mDMEaw1V+BYJKwYBBAHaRw8BAQdAptkYphPscFM9ywB6RRzRqcEJ/6BS6qRgHX2p
LYT0yRS0H0FjbWUgUFNJUlQgPHBzaXJ0QGFjbWUuZXhhbXBsZT6IkAQTFggAOBYh
BNr5hj1YC4qRx5daNpkn73iRW+LmBQJrDVX4AhsDBQsJCAcCBhUKCQgLAgQWAgMB
Ah4BAheAAAoJEJkn73iRW+Lmh0wBALXE98iQDvjFrhJACfFamaQWzsf/spFO5MSN
4tC7Mgb6AP9rRg2IoD9rMHTVa050x9dZZDYU48WivDrsgjtY0BMqBg==
=ajS/
-----END PGP PUBLIC KEY BLOCK-----`;

type Entry = { vendorRef: string; name: string; aliases: string[]; version: number; contacts: { email: string; pgpKey?: string }[] };

const create = (w: World, body: unknown) => call(w.app.deps, 'POST', '/directory/vendors', { caller: w.callers.coordinator, body });
const list = (w: World, query: Record<string, string> = {}) =>
  call(w.app.deps, 'GET', '/directory/vendors', { caller: w.callers.coordinator, query });
const names = async (w: World, query: Record<string, string> = {}) =>
  ((await list(w, query)).body as { vendors: { name: string }[] }).vendors.map((v) => v.name);
async function made(w: World, body: unknown): Promise<Entry> {
  const r = await create(w, body);
  expect(r.status, r.raw).toBe(201);
  return r.body as Entry;
}
const events = async (w: World, caseId: string) =>
  (
    (
      await call(w.app.deps, 'GET', '/cases/{caseId}/events', {
        params: { caseId },
        caller: w.callers.coordinator,
        query: { limit: '200' },
      })
    ).body as { events: { type: string; vendorRef?: string }[] }
  ).events;
const caseView = async (w: World, caseId: string) =>
  (await call(w.app.deps, 'GET', '/cases/{caseId}', { params: { caseId }, caller: w.callers.coordinator })).body as {
    vendors: { vendorId: string; name: string; vendorRef?: string; isCna: boolean; contacts: { email: string; pgpKey?: string }[] }[];
  };

describe('the vendor directory', () => {
  it('keeps organisations sorted by name and finds them by part of a name or alias, page by page', async () => {
    const w = await aWorld();
    const acme = await made(w, {
      name: 'Acme Corporation',
      aliases: ['Road Runner Labs'],
      contacts: [{ email: 'psirt@acme.example', pgpKey: PGP_KEY }],
    });
    await made(w, { name: 'Globex', isCna: true, cnaShortName: 'globex', advisoryUrl: 'https://globex.example/security' });
    await made(w, { name: 'initech', securityTxtUrl: 'https://initech.example/.well-known/security.txt' });
    expect(acme.vendorRef).toMatch(/^v-[0-9A-Z]{26}$/);
    expect(acme.contacts[0]?.pgpKey).toBe(PGP_KEY);
    expect(await names(w)).toEqual(['Acme Corporation', 'Globex', 'initech']);
    // By alias, in any case, from the middle of a word.
    expect(await names(w, { q: 'RUNNER' })).toEqual(['Acme Corporation']);
    expect(await names(w, { q: 'lob' })).toEqual(['Globex']);
    expect(await names(w, { q: 'nothing like it' })).toEqual([]);
    const first = (await list(w, { limit: '2' })).body as { vendors: { name: string }[]; cursor: string };
    expect(first.vendors.map((v) => v.name)).toEqual(['Acme Corporation', 'Globex']);
    expect(await names(w, { limit: '2', cursor: first.cursor })).toEqual(['initech']);
    expect((await list(w, { cursor: 'not-a-cursor' })).status).toBe(400);
    const got = await call(w.app.deps, 'GET', '/directory/vendors/{vendorRef}', {
      params: { vendorRef: acme.vendorRef },
      caller: w.callers.coordinator,
    });
    expect(got.body).toMatchObject({ name: 'Acme Corporation', version: 1, history: { cases: [], acknowledged: 0, timesUnresponsive: 0 } });
    for (const vendorRef of ['v-01JZZZZZZZZZZZZZZZZZZZZZZZ', 'nope', '../CASE#x'])
      expect(
        (await call(w.app.deps, 'GET', '/directory/vendors/{vendorRef}', { params: { vendorRef }, caller: w.callers.coordinator })).status,
      ).toBe(404);
  });

  it.each([
    ['a name with a control character', { name: 'Acme\u0007' }, 'name'],
    ['a name over 200 characters', { name: 'A'.repeat(201) }, 'name'],
    ['an empty name', { name: '  ' }, 'name'],
    ['an alias across two lines', { name: 'Acme', aliases: ['Acme\nInc'] }, 'aliases'],
    ['an alias with a bidi override', { name: 'Acme', aliases: ['\u202Eemca'] }, 'aliases'],
    ['21 aliases', { name: 'Acme', aliases: Array.from({ length: 21 }, (_, i) => `A${i}`) }, 'aliases'],
    ['an address that is none', { name: 'Acme', contacts: [{ email: 'psirt at acme' }] }, 'contacts'],
    ['an http advisory page', { name: 'Acme', advisoryUrl: 'http://acme.example/advisories' }, 'advisoryUrl'],
    ['a javascript: security.txt', { name: 'Acme', securityTxtUrl: 'javascript:alert(1)' }, 'securityTxtUrl'],
    ['an https URL with a password', { name: 'Acme', advisoryUrl: 'https://u:p@acme.example/' }, 'advisoryUrl'],
    ['a PGP key that is not one', { name: 'Acme', contacts: [{ email: 'psirt@acme.example', pgpKey: 'ssh-ed25519 AAAA' }] }, 'contacts'],
    [
      'a PGP key with a wrong checksum',
      { name: 'Acme', contacts: [{ email: 'p@acme.example', pgpKey: PGP_KEY.replace('=ajS/', '=ajS0') }] },
      'contacts',
    ],
    [
      'a private key block',
      { name: 'Acme', contacts: [{ email: 'p@acme.example', pgpKey: PGP_KEY.replace(/PUBLIC/g, 'PRIVATE') }] },
      'contacts',
    ],
    ['a CNA short name without CNA status', { name: 'Acme', cnaShortName: 'acme' }, 'cnaShortName'],
    ['a CNA short name with spaces', { name: 'Acme', isCna: true, cnaShortName: 'acme corp' }, 'cnaShortName'],
  ])('refuses %s with 400, naming the field, and writes nothing', async (_what, body, field) => {
    const w = await aWorld();
    const r = await create(w, body);
    expect(r.status, r.raw).toBe(400);
    expect(r.headers['content-type']).toBe('application/problem+json');
    expect((r.body as { errors: { path: string }[] }).errors.map((e) => e.path).join(' ')).toContain(field);
    expect(await w.app.directory.summaries()).toEqual([]);
  });

  it('keeps a name or alias to one organisation: a second one, or an alias taken later, is a 409 that changes nothing', async () => {
    const w = await aWorld();
    const acme = await made(w, { name: 'Acme Corp', aliases: ['ACME'] });
    const rival = await made(w, { name: 'Evil Rival' });
    for (const body of [{ name: 'acme  corp' }, { name: 'Other', aliases: ['acme'] }, { name: 'ＡＣＭＥ' }]) {
      const r = await create(w, body);
      expect(r.status, r.raw).toBe(409);
    }
    // The rival cannot take Acme's name by an alias, nor by renaming itself.
    const put = (body: unknown) =>
      call(w.app.deps, 'PUT', '/directory/vendors/{vendorRef}', {
        params: { vendorRef: rival.vendorRef },
        caller: w.callers.coordinator,
        body,
      });
    expect((await put({ name: 'Evil Rival', aliases: ['Acme Corp'], version: 1 })).status).toBe(409);
    expect((await put({ name: 'acme', version: 1 })).status).toBe(409);
    expect(await names(w, { q: 'acme' })).toEqual(['Acme Corp']);
    expect(await w.app.directory.get(acme.vendorRef)).toMatchObject({ name: 'Acme Corp', aliases: ['ACME'], version: 1 });
    // An edit lands on the version read, once.
    expect((await put({ name: 'Rival Inc', version: 1 })).status).toBe(200);
    const stale = await put({ name: 'Rival Two', version: 1 });
    expect(stale.status).toBe(409);
    expect(await names(w)).toEqual(['Acme Corp', 'Rival Inc']);
    expect((await put({ name: 'Rival Inc' })).status).toBe(400);
  });

  it('stores Markdown, HTML and lookalikes in names as the data they are, and never answers markup', async () => {
    const w = await aWorld();
    const name = '<img src=x onerror=alert(1)> **Acme** [x](javascript:1)';
    const e = await made(w, { name, aliases: ['`rm -rf`', '&lt;b&gt;'] });
    const got = await call(w.app.deps, 'GET', '/directory/vendors/{vendorRef}', {
      params: { vendorRef: e.vendorRef },
      caller: w.callers.coordinator,
    });
    expect((got.body as Entry).name).toBe(name);
    expect((got.body as Entry).aliases).toEqual(['`rm -rf`', '&lt;b&gt;']);
    expect(got.raw).not.toContain('<img');
    expect(await names(w, { q: 'onerror' })).toEqual([name]);
  });
});

describe('adding directory vendors to a case', () => {
  it('copies the name, CNA standing and contacts as confirmed ones, with the vendorRef in the event; the same organisation twice is a 409 that writes nothing', async () => {
    const w = await aWorld();
    const globex = await made(w, {
      name: 'Globex',
      isCna: true,
      cnaShortName: 'globex',
      contacts: [{ email: 'psirt@globex.example', name: 'PSIRT', pgpKey: PGP_KEY }],
    });
    const add = (body: unknown) =>
      call(w.app.deps, 'POST', '/cases/{caseId}/vendors', { params: { caseId: w.a }, caller: w.callers.coordinator, body });
    // Mixed with a vendor typed in.
    const r = await add({ vendors: [{ vendorRef: globex.vendorRef }, { name: 'Hooli', contacts: ['sec@hooli.example'] }] });
    expect(r.status, r.raw).toBe(202);
    const v = (await caseView(w, w.a)).vendors.find((x) => x.vendorRef === globex.vendorRef);
    expect(v).toMatchObject({ name: 'Globex', isCna: true, contacts: [{ email: 'psirt@globex.example', pgpKey: PGP_KEY }] });
    expect((await caseView(w, w.a)).vendors.map((x) => x.name)).toContain('Hooli');
    expect((await events(w, w.a)).filter((e) => e.type === 'vendor-added' && e.vendorRef === globex.vendorRef)).toHaveLength(1);

    const before = (await events(w, w.a)).length;
    const again = await add({ vendors: [{ vendorRef: globex.vendorRef }] });
    expect(again.status, again.raw).toBe(409);
    for (const body of [
      { vendors: [{ vendorRef: 'v-01JZZZZZZZZZZZZZZZZZZZZZZZ' }] },
      { vendors: [{ vendorRef: 'CASE#VU-1' }] },
      { vendors: [{ name: 'Initrode' }, { vendorRef: 'v-01JZZZZZZZZZZZZZZZZZZZZZZZ' }] },
    ])
      expect((await add(body)).status).toBe(404);
    expect((await add({ vendors: [{ vendorRef: globex.vendorRef, contacts: ['attacker@evil.example'] }] })).status).toBe(400);
    expect((await add({ vendors: [{}] })).status).toBe(400);
    expect(await events(w, w.a)).toHaveLength(before);

    // The case's copy is the case's: a coordinator's edit there leaves the directory alone.
    const edit = await call(w.app.deps, 'PUT', '/cases/{caseId}/vendors/{vendorId}', {
      params: { caseId: w.a, vendorId: v?.vendorId ?? '' },
      caller: w.callers.coordinator,
      body: { contacts: [{ email: 'psirt@globex.example' }, { email: 'case-only@globex.example' }] },
    });
    expect(edit.status, edit.raw).toBe(202);
    expect((await w.app.directory.get(globex.vendorRef))?.contacts.map((c) => c.email)).toEqual(['psirt@globex.example']);

    const history = await call(w.app.deps, 'GET', '/directory/vendors/{vendorRef}', {
      params: { vendorRef: globex.vendorRef },
      caller: w.callers.coordinator,
    });
    expect((history.body as { history: { cases: unknown[] } }).history.cases).toEqual([
      expect.objectContaining({ caseId: w.a, phase: 'embargo', vendorId: v?.vendorId, title: expect.any(String), unresponsive: false }),
    ]);
  });

  it('links a vendor already on the case to its organisation: the directory’s contacts join its own, none loses its link', async () => {
    const w = await aWorld();
    const acme = await made(w, { name: 'Acme Corporation', aliases: ['Acme'], contacts: [{ email: 'security@acme.example' }] });
    const link = (vendorId: string, body: unknown) =>
      call(w.app.deps, 'PUT', '/cases/{caseId}/vendors/{vendorId}', {
        params: { caseId: w.a, vendorId },
        caller: w.callers.coordinator,
        body,
      });
    const r = await link(w.vendorIds.acme, { vendorRef: acme.vendorRef });
    expect(r.status, r.raw).toBe(202);
    const v = (await caseView(w, w.a)).vendors.find((x) => x.vendorId === w.vendorIds.acme);
    expect(v).toMatchObject({ name: 'Acme Corporation', vendorRef: acme.vendorRef });
    expect(v?.contacts.map((c) => c.email)).toEqual(['psirt@acme.example', 'security@acme.example']);
    // Another vendor of the case cannot become the same organisation.
    expect((await link(w.vendorIds.beta, { vendorRef: acme.vendorRef })).status).toBe(409);
  });
});
