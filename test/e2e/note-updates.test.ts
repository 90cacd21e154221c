// Published, then updated twice, through HTTP on the local stack (cve-services mode, against a fake
// CVE Services): a draft edit approved as an update, then a vendor's update request accepted. After
// each: the note page shows the change lines, CSAF tracking.version and revision_history grow (valid
// with the BSI validator), the CVE record is updated, the feeds show the update, and the reporter,
// the vendor and the coordinators are told. The vendor's update brings its release notes as a
// reference: once accepted, it is in the note's Solution and References (its hostile summary as
// text), in CSAF's references and Acme's vendor_fix, and in the CVE record sent and served.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aReportInput } from '../builders/case.js';
import { type E2E, type Mail, bootStack } from '../builders/local-stack.js';
import { validateCsaf, validateCveContainer } from '../unit/publication/validators.js';

const ACME = 'psirt@acme.example';
const REPORTER = 'ada@example.org';
const CNA = { cnaShortName: 'examplecert', cveApiUser: 'bot@cert.example' };

let e: E2E;
let fake: Server;
let fakeUrl: string;
const calls: { method: string; path: string; body: string }[] = [];
let next = 8000;

beforeAll(async () => {
  fake = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      calls.push({ method: req.method ?? '', path: url.pathname, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (url.pathname === '/api/cve-id')
        res.end(JSON.stringify({ cve_ids: [{ cve_id: `CVE-${url.searchParams.get('cve_year')}-${next++}` }] }));
      else res.end(JSON.stringify({ message: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/api`;
  e = await bootStack({ context: { cveMode: 'cve-services', ...CNA, cveServicesUrl: fakeUrl }, cveApiKey: 'test-key' });
});
afterAll(async () => {
  await e?.stop();
  fake.closeAllConnections();
  await new Promise<void>((resolve) => fake.close(() => resolve()));
});

const NOTES = 'https://acme.example/releases/4.2.3';
const HOSTILE_SUMMARY = 'Version 4.2.3 [click](javascript:alert(1)) <img src=x onerror=alert(2)>';
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();
const tokenIn = (m: Mail) => decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(m.body.text ?? '')?.[1] ?? '');

async function ok(method: string, path: string, body?: unknown, token = e.coordinator) {
  const r = await e.call(method, path, { token, ...(body === undefined ? {} : { body }) });
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r;
}

interface CaseView {
  phase: string;
  embargo: { endsAt: string | null };
  vulnerabilities: { cveId: string | null }[];
  noteRevisions: { number: number; at: string; summary: string }[];
  updateRequests: { vendorId: string }[];
}
const view = async (caseId: string) => (await ok('GET', `/cases/${caseId}`)).json as CaseView;

interface Csaf {
  vulnerabilities: { remediations?: { category: string; url?: string; product_ids: string[] }[] }[];
  document: {
    references: { category?: string; summary: string; url: string }[];
    tracking: {
      version: string;
      initial_release_date: string;
      current_release_date: string;
      revision_history: { number: string; date: string; summary: string }[];
    };
  };
}

describe('a note published, then updated twice', () => {
  it('shows each update in the note, CSAF, the CVE record and the feeds, and tells everyone', async () => {
    // To publication: a report, Acme told and answering, the draft approved, the date reached.
    const r = await e.call('POST', '/reports', { body: aReportInput() });
    expect(r.status, r.text).toBe(201);
    const { caseId } = r.json as { caseId: string };
    await ok('POST', `/cases/${caseId}/triage`, { decision: 'accept', reasons: [], comment: 'we coordinate this' });
    await ok('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: ACME }] });
    const link = (await e.mail()).find((m) => m.destination.to.includes(ACME) && tokenIn(m));
    if (!link) throw new Error('no link mailed to Acme');
    const vendor = tokenIn(link);
    await ok('POST', `/vendor/cases/${caseId}/acknowledge`, {}, vendor);
    await ok(
      'PUT',
      `/vendor/cases/${caseId}/status`,
      { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], statement: 'A fix is coming.' },
      vendor,
    );
    const endsAt = (await view(caseId)).embargo.endsAt!;
    await e.to(addDays(endsAt, -14));
    await ok('POST', `/cases/${caseId}/publication`, { decision: 'approve' });
    await e.to(endsAt);
    const published = await view(caseId);
    expect(published.phase).toBe('published');
    const cveId = published.vulnerabilities[0]!.cveId!;
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/cve-id', `POST /api/cve/${cveId}/cna`]);
    const firstAt = published.noteRevisions[0]!.at;

    // Update 1: the coordinator edits the draft and approves it with a change line.
    await e.advance('P2D');
    await ok('PUT', `/cases/${caseId}/draft`, { markdown: '# Unauthenticated RCE\n\n## Overview\n\nVersion 4.2.3 fixes it.\n' });
    await ok('POST', `/cases/${caseId}/publication`, { decision: 'approve', changeSummary: 'Version 4.2.3 fixes the vulnerability.' });
    await e.advance('PT0S');
    let v = await view(caseId);
    expect(v.phase).toBe('published');
    expect(v.noteRevisions.map((x) => x.number)).toEqual([1, 2]);
    let csaf = (await ok('GET', `/notes/${caseId}/csaf.json`)).json as Csaf;
    expect(csaf.document.tracking.version).toBe('2');

    // Update 2: the vendor's new statement arrives as an update request; the note keeps the old one until accepted.
    await e.advance('P1D');
    // A reference over plain http is refused, nothing written; the vendor names its own part only (vendorId is no field).
    const refused = await e.call('PUT', `/vendor/cases/${caseId}/status`, {
      token: vendor,
      body: { references: [{ url: 'http://acme.example/releases/4.2.3', kind: 'release-notes' }] },
    });
    expect(refused.status, refused.text).toBe(400);
    expect((await view(caseId)).updateRequests).toEqual([]);
    await ok(
      'PUT',
      `/vendor/cases/${caseId}/status`,
      {
        vulnerabilities: [],
        fixReady: true,
        statement: 'Fixed in <b>4.2.3</b>.',
        vendorId: 'vendor-2',
        references: [{ url: NOTES, summary: HOSTILE_SUMMARY, kind: 'release-notes' }],
      },
      vendor,
    );
    expect((await view(caseId)).updateRequests.map((x) => x.vendorId)).toEqual(['vendor-1']);
    const before = (await ok('GET', `/notes/${caseId}.html`)).text;
    expect(before).toContain('A fix is coming.');
    expect(before).not.toContain(NOTES);
    await ok('POST', `/cases/${caseId}/publication`, {
      decision: 'approve',
      acceptUpdates: ['vendor-1'],
      changeSummary: 'Acme released a fix.',
    });
    await e.advance('PT0S');
    v = await view(caseId);
    expect(v.noteRevisions.map((x) => x.summary)).toEqual([
      'Initial public release.',
      'Version 4.2.3 fixes the vulnerability.',
      'Acme released a fix.',
    ]);
    expect(v.updateRequests).toEqual([]);
    const [, second, third] = v.noteRevisions;

    // The note page: both change lines, the vendor's statement as text.
    const html = (await ok('GET', `/notes/${caseId}.html`)).text;
    expect(html).toContain(`(revision 2): Version 4.2.3 fixes the vulnerability.`);
    expect(html).toContain(`(revision 3): Acme released a fix.`);
    expect(html).toContain('Version 4.2.3 fixes it.');
    expect(html).toContain('Fixed in &lt;b&gt;4.2.3&lt;/b&gt;.');
    expect(html).not.toContain('A fix is coming.');
    // Acme's release notes: how to obtain the fix, and a reference; the URL the only link, the summary text.
    const solution = html.split('<h2>Solution</h2>')[1]?.split('<h2>')[0] ?? '';
    const references = html.split('<h2>References</h2>')[1]?.split('<h2>')[0] ?? '';
    for (const part of [solution, references]) {
      expect(part).toContain(`<a href="${NOTES}" rel="nofollow noopener noreferrer">${NOTES}</a>`);
      expect(part).toContain('[click](javascript:alert(1)) &lt;img src=x onerror=alert(2)&gt;');
    }
    expect(html).not.toMatch(/href="javascript|<img/);

    // CSAF (and VEX): version 3, three revisions, valid.
    csaf = (await ok('GET', `/notes/${caseId}/csaf.json`)).json as Csaf;
    expect(csaf.document.tracking).toMatchObject({ version: '3', initial_release_date: firstAt, current_release_date: third!.at });
    expect(csaf.document.tracking.revision_history.map((x) => [x.number, x.date])).toEqual([
      ['1', firstAt],
      ['2', second!.at],
      ['3', third!.at],
    ]);
    expect((await validateCsaf(csaf)).errors).toEqual([]);
    expect(csaf.document.references).toContainEqual({
      category: 'external',
      summary: `Acme release notes: ${HOSTILE_SUMMARY}`,
      url: NOTES,
    });
    const fixes = csaf.vulnerabilities.flatMap((x) => x.remediations ?? []).filter((r) => r.category === 'vendor_fix');
    expect(fixes.map((r) => r.url)).toEqual([NOTES]);
    const vex = (await ok('GET', `/notes/${caseId}/csaf-vex.json`)).json as Csaf;
    expect(vex.document.tracking.version).toBe('3');
    expect((await validateCsaf(vex)).errors).toEqual([]);

    // The CVE record: updated at CVE Services twice (PUT), and the record file says when.
    const updates = calls.filter((c) => c.method === 'PUT' && c.path === `/api/cve/${cveId}/cna`);
    expect(updates).toHaveLength(2);
    const lastSent = JSON.parse(updates[1]!.body) as { cnaContainer: { providerMetadata: { dateUpdated: string }; references: unknown[] } };
    expect(lastSent.cnaContainer.providerMetadata.dateUpdated).toBe(third!.at);
    expect(validateCveContainer(lastSent.cnaContainer).errors).toEqual([]);
    const releaseNotes = { url: NOTES, name: `Acme release notes: ${HOSTILE_SUMMARY}`, tags: ['release-notes'] };
    expect(lastSent.cnaContainer.references).toContainEqual(releaseNotes);
    const record = (await ok('GET', `/notes/${caseId}/cve/${cveId}.json`)).json as {
      cveMetadata: Record<string, string>;
      containers: { cna: { references: unknown[] } };
    };
    expect(record.cveMetadata).toMatchObject({ datePublished: firstAt, dateUpdated: third!.at });
    expect(record.containers.cna.references).toContainEqual(releaseNotes);

    // The feeds list the update.
    const feed = (await ok('GET', '/feed.json')).json as { items: { id: string; date_modified?: string; content_text: string }[] };
    const item = feed.items.find((x) => x.id.endsWith(`/notes/${caseId}`));
    expect(item?.date_modified).toBe(third!.at);
    expect(item?.content_text).toContain('(revision 3): Acme released a fix.');
    const atom = (await ok('GET', '/feed.atom')).text;
    expect(atom).toContain(`<updated>${third!.at}</updated>`);
    expect(atom).toContain('Acme released a fix.');

    // Everyone told of each update: the reporter, the vendor and the coordinators, twice each.
    const told = (await e.mail()).filter((m) => m.subject === `[${caseId}] The vulnerability note is updated`);
    for (const who of [REPORTER, ACME, 'coord@cert.example']) expect(told.filter((m) => m.destination.to.includes(who))).toHaveLength(2);
    for (const m of told) expect(m.body.text).toContain(`/notes/${caseId}.html`);
  });
});
