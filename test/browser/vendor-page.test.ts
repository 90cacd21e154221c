// The vendor page's forms in a real browser (Debian's chromium through playwright-core) against the
// whole local stack, opened from the link in the vendor's e-mail: the status per vulnerability, the
// fix, the statement and references for the note (with a CNA's own CVE ID), and messages to the coordinators,
// on the case and on the shared draft; its own part as CSAF, downloaded. Effects are checked through the API and the e-mails sent;
// invalid submissions must show a clear error and change nothing. Every page state is saved to
// test-results/screenshots/vendor-page/.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Mail } from '../builders/local-stack.js';
import { validateCsaf } from '../unit/publication/validators.js';
import { acceptedCase, browserSuite, expectFitsPhone, flash, mailsAbout, openVendorLink, vendorLinkIn } from './page-helpers.js';

const suite = browserSuite('vendor-page');
const { shots, log } = suite;
const COORDINATORS = 'coord@cert.example';

interface CaseView {
  version: number;
  phase: string;
  vendors: {
    vendorId: string;
    name: string;
    status: string;
    statuses: Record<string, string>;
    statement: string | null;
    isCna: boolean;
    acknowledgedAt: string | null;
  }[];
  vulnerabilities: { vulnerabilityId: string; title: string; cveId: string | null }[];
  embargo: { endsAt: string | null };
  draft: { shared: { revision: number } | null };
  comments: { by: { role: string; participant?: string }; body: string; onDraft: boolean }[];
  timeline: { type: string }[];
}
interface VendorView {
  vendor: {
    statuses: Record<string, string>;
    fixReady: boolean;
    fixDeployed: boolean;
    statement: string | null;
    isCna: boolean;
    proposals: { isCna: boolean | null; cveIds: Record<string, string> };
    references: { url: string; summary?: string; kind: string }[];
  };
}

async function caseView(caseId: string): Promise<CaseView> {
  const r = await suite.e.call('GET', `/cases/${encodeURIComponent(caseId)}`, { token: suite.e.coordinator });
  expect(r.status, r.text).toBe(200);
  return r.json as CaseView;
}

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A vulnerability's status select: labelled with its title, and the CVE ID once it has one. */
const statusOf = (form: Locator, title: string, cveId?: string) =>
  form.getByLabel(new RegExp(`^${escapeRe(title)}${cveId ? ` \\(${cveId}\\)` : ''}$`));

interface VendorCase {
  caseId: string;
  /** The vendor's notification e-mail, with the link. */
  mail: Mail;
  /** The vendor's own view through the API, with the token from that link. */
  view(): Promise<VendorView>;
  titles: [string, string];
}

/** An accepted case with one vendor and two vulnerabilities (the reported one and one the coordinator added). */
async function vendorCase(vendor: string, contact: string): Promise<VendorCase> {
  const caseId = await acceptedCase(suite.e, { vendors: [{ name: vendor, contactEmail: contact, contacted: false }] });
  const second = 'Symlink following in the upload cleanup';
  const r = await suite.e.call('POST', `/cases/${encodeURIComponent(caseId)}/vulnerabilities`, {
    token: suite.e.coordinator,
    body: { title: second, cwe: 'CWE-59' },
  });
  expect(r.status, r.text).toBe(202);
  const v = await caseView(caseId);
  expect(v.vulnerabilities.map((x) => x.vulnerabilityId)).toEqual(['vul-1', 'vul-2']);
  const mail = (await mailsAbout(suite.e, caseId)).find((m) => m.destination.to.includes(contact) && vendorLinkIn(m));
  if (!mail) throw new Error(`no vendor link mailed to ${contact}`);
  const token = new URLSearchParams(vendorLinkIn(mail)?.hash.slice(1)).get('token') ?? '';
  return {
    caseId,
    mail,
    titles: [v.vulnerabilities[0]!.title, second],
    view: async () => {
      const got = await suite.e.call('GET', `/vendor/cases/${encodeURIComponent(caseId)}`, { token });
      expect(got.status, got.text).toBe(200);
      return got.json as VendorView;
    },
  };
}

/** Runs one scenario in its own tab opened from the vendor's e-mail; a failure leaves a screenshot, and no page or console error may remain. */
async function onVendorPage(c: VendorCase, name: string, scenario: (page: Page) => Promise<void>): Promise<void> {
  await suite.runIn(await suite.newPage(), name, async (page) => {
    await openVendorLink(page, suite.e.stack.apiUrl, c.mail, c.caseId, () => shots.take(page, `${name}-which-case`));
    await scenario(page);
  });
}

it('status form: affected / not affected per vulnerability, the fix, the statement, a reference and a CNA CVE ID; a malformed CVE ID or a link that is not https is stopped in the page, an over-long statement refused by the API', async () => {
  const c = await vendorCase('Initech', 'psirt@initech.example');
  const [first, second] = c.titles;
  const statement = 'Fixed in Widget Server 4.2.2, released on 20 November 2026. Upgrade now.';
  const revised = 'Fixed in Widget Server 4.2.2. Users of 4.1.x should upgrade or turn uploads off.';
  const NOTES = 'https://initech.example/releases/4.2.2';
  const summary = 'Widget Server 4.2.2 <b>release</b>';

  await onVendorPage(c, 'status', async (page) => {
    await shots.take(page, 'status-case');
    await page.getByRole('button', { name: 'Acknowledge receipt' }).click();
    await flash(page, /acknowledged/);
    const before = await caseView(c.caseId);
    expect(before.vendors[0]?.acknowledgedAt).toBeTruthy();

    const form = page.locator('form#vendor-status');
    const status1 = statusOf(form, first);
    const status2 = statusOf(form, second);
    expect([await status1.inputValue(), await status2.inputValue()]).toEqual(['unknown', 'unknown']);
    const cve1 = form.getByLabel(`CVE ID you assigned for "${first}"`);
    expect(await cve1.isVisible()).toBe(false);

    // A CNA's CVE ID that is not one: stopped in the page.
    await status1.selectOption('affected');
    await status2.selectOption('not-affected');
    await form.getByLabel('We are a CNA and assign the CVE ID(s) ourselves').check();
    expect(await cve1.isVisible()).toBe(true);
    await cve1.fill('CVE-26-1234');
    await form.getByRole('button', { name: 'Save our answer' }).click();
    await expect.poll(() => cve1.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('A CVE ID looks like CVE-2026-12345').isVisible()).toBe(true);
    await shots.take(page, 'status-bad-cve');
    expect((await caseView(c.caseId)).version).toBe(before.version);

    // A CVE ID for a vulnerability the vendor is not affected by: stopped in the page too.
    const cve2 = form.getByLabel(`CVE ID you assigned for "${second}"`);
    await cve1.fill('');
    await cve2.fill('CVE-2021-44228');
    await form.getByRole('button', { name: 'Save our answer' }).click();
    await expect.poll(() => cve2.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('Give a CVE ID only for a vulnerability you are affected by').isVisible()).toBe(true);
    expect((await caseView(c.caseId)).version).toBe(before.version);
    await cve2.fill('');

    // A statement longer than the service takes: the API refuses it and the page says so.
    await cve1.fill('CVE-2026-41234');
    await form.getByLabel('Statement for the published note').fill('x'.repeat(16 * 1024 + 1));
    await form.getByRole('button', { name: 'Save our answer' }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/statement must be at most 16384 characters/);
    await log.expectProblem(/status of 400/);
    await shots.take(page, 'status-statement-too-long', false);
    expect((await caseView(c.caseId)).version).toBe(before.version);

    // A reference whose link is not https: stopped in the page. A second row is added, then removed.
    await form.getByRole('button', { name: 'Add a reference' }).click();
    const link = form.getByLabel('Link (https)', { exact: true });
    await link.fill('http://initech.example/releases/4.2.2');
    await form.getByLabel('Kind', { exact: true }).selectOption('release-notes');
    await form.getByLabel('Summary (optional)', { exact: true }).fill(summary);
    await form.getByRole('button', { name: 'Save our answer' }).click();
    await expect.poll(() => link.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('Give an https link such as').isVisible()).toBe(true);
    await shots.take(page, 'status-bad-reference');
    expect((await caseView(c.caseId)).version).toBe(before.version);
    await link.fill(NOTES);
    await form.getByRole('button', { name: 'Add a reference' }).click();
    expect(await form.getByLabel('Link (https)', { exact: true }).count()).toBe(2);
    await form.getByRole('button', { name: 'Remove this reference' }).nth(1).click();
    expect(await form.getByLabel('Link (https)', { exact: true }).count()).toBe(1);

    await form.getByLabel('Statement for the published note').fill(statement);
    await form.getByLabel('A fix is ready').check();
    await form.getByLabel('The fix is released to users').check();
    await form.getByRole('button', { name: 'Save our answer' }).click();
    await flash(page, /Saved/);
    await suite.e.stack.settle();
    // The page shows what was saved; the CVE ID stays a proposal until a coordinator accepts it.
    const saved = page.locator('form#vendor-status');
    expect([await statusOf(saved, first).inputValue(), await statusOf(saved, second).inputValue()]).toEqual(['affected', 'not-affected']);
    expect(await saved.getByText('Proposed: the coordinators confirm it before it is used.').isVisible()).toBe(true);
    expect(await saved.getByLabel('Statement for the published note').inputValue()).toBe(statement);
    expect(await saved.getByLabel('We are a CNA and assign the CVE ID(s) ourselves').isChecked()).toBe(true);
    expect(await saved.getByLabel(`CVE ID you assigned for "${first}"`).inputValue()).toBe('CVE-2026-41234');
    expect(await saved.getByLabel('Link (https)', { exact: true }).inputValue()).toBe(NOTES);
    expect(await saved.getByLabel('Summary (optional)', { exact: true }).inputValue()).toBe(summary);
    await shots.take(page, 'status-saved');

    // The statement alone, revised: the statuses and the CVE ID stay.
    await saved.getByLabel('Statement for the published note').fill(revised);
    await saved.getByRole('button', { name: 'Save our answer' }).click();
    await flash(page, /Saved/);
    await suite.e.stack.settle();
    await shots.take(page, 'status-statement-revised');

    // The same page on a phone.
    await expectFitsPhone(page);
    await shots.take(page, 'phone-vendor-page');
  });

  // The CNA claim and the CVE ID are proposals: nothing the vendor says becomes the case's until a coordinator accepts it.
  expect((await c.view()).vendor).toMatchObject({
    statuses: { 'vul-1': 'affected', 'vul-2': 'not-affected' },
    fixReady: true,
    fixDeployed: true,
    statement: revised,
    isCna: false,
    proposals: { isCna: true, cveIds: { 'vul-1': 'CVE-2026-41234' } },
    references: [{ url: NOTES, summary, kind: 'release-notes' }],
  });
  const after = await caseView(c.caseId);
  expect(after.vendors[0]).toMatchObject({
    name: 'Initech',
    statuses: { 'vul-1': 'affected', 'vul-2': 'not-affected' },
    statement: revised,
    isCna: false,
  });
  expect(after.vulnerabilities.map((v) => v.cveId)).toEqual([null, null]);
  expect(after.timeline.filter((t) => t.type === 'vendor-status-updated')).toHaveLength(2);
  expect(after.timeline.filter((t) => t.type === 'vendor-cve-proposed')).toHaveLength(1);
});

it('messages: a comment on the case, then on the shared draft (the coordinators are e-mailed each time); an empty message is stopped', async () => {
  const c = await vendorCase('Hooli', 'security@hooli.example');
  const onCase = 'Could you send the exact request the proof of concept makes?';
  const onDraft = 'Please name 4.2.2 as the fixed version in the Solution section.';

  await onVendorPage(c, 'messages', async (page) => {
    const form = page.locator('form#vendor-message');
    const about = form.getByLabel('About');
    // No draft yet: a message can only be about the case.
    expect(await about.locator('option').allTextContents()).toEqual(['The case']);
    expect(await page.getByText('No draft has been shared yet.').isVisible()).toBe(true);

    await form.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => form.getByLabel('Message to the coordinators').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('Write a message').isVisible()).toBe(true);
    await shots.take(page, 'messages-empty');
    expect((await caseView(c.caseId)).comments).toEqual([]);

    await form.getByLabel('Message to the coordinators').fill(onCase);
    await form.getByRole('button', { name: 'Send' }).click();
    await flash(page, /Sent/);
    await suite.e.stack.settle();
    await page.locator('ol.messages').getByText(onCase).waitFor();
    await shots.take(page, 'messages-on-case');
    expect((await caseView(c.caseId)).comments).toMatchObject([{ by: { role: 'vendor' }, body: onCase, onDraft: false }]);

    // The draft date: the draft is written and shared with the vendor.
    const endsAt = (await caseView(c.caseId)).embargo.endsAt;
    expect(endsAt).toBeTruthy();
    await suite.e.to(addDays(endsAt!, -14));
    const inReview = await caseView(c.caseId);
    expect(inReview.phase).toBe('draft-review');
    expect(inReview.draft.shared).not.toBeNull();
    await page.reload();
    const draft = page.getByRole('region', { name: 'Draft note' });
    await draft.getByText('Revision').waitFor();
    // The vendor's copy has its own row under "Vendor information" (the other vendors come at publication).
    expect(await draft.textContent()).toMatch(/Vendor information[\s\S]*Hooli[\s\S]*Other vendors appear here when the note is published/);
    await shots.take(page, 'messages-draft-shared');

    const draftForm = page.locator('form#vendor-message');
    expect(await draftForm.getByLabel('About').inputValue()).toBe('draft-comment');
    await draftForm.getByLabel('Message to the coordinators').fill(onDraft);
    await draftForm.getByRole('button', { name: 'Send' }).click();
    await flash(page, /Sent/);
    await suite.e.stack.settle();
    await page.locator('ol.messages li', { hasText: onDraft }).getByText('on the draft').waitFor();
    await shots.take(page, 'messages-on-draft');
  });

  expect((await caseView(c.caseId)).comments).toMatchObject([
    { by: { role: 'vendor' }, body: onCase, onDraft: false },
    { by: { role: 'vendor' }, body: onDraft, onDraft: true },
  ]);
  const toCoordinators = (await mailsAbout(suite.e, c.caseId)).filter(
    (m) => m.destination.to.includes(COORDINATORS) && m.subject.endsWith(' from the vendor'),
  );
  expect(toCoordinators.map((m) => m.subject).sort()).toEqual([
    `[${c.caseId}] New comment on the draft from the vendor`,
    `[${c.caseId}] New message from the vendor`,
  ]);
});

it('embargo proposal: an empty form is stopped; a proposed end is listed as waiting, changes nothing until the coordinators accept it', async () => {
  const c = await vendorCase('Initech', 'psirt@initech.example');
  const before = (await caseView(c.caseId)).embargo.endsAt;
  expect(before).toBeTruthy();
  const proposed = addDays(before!, 21).slice(0, 16);

  await onVendorPage(c, 'embargo-proposal', async (page) => {
    const form = page.locator('form#embargo-proposal');
    await form.getByRole('button', { name: 'Propose this date' }).click();
    await expect.poll(() => form.getByLabel('Proposed end (UTC)').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('Say why this date').isVisible()).toBe(true);
    await shots.take(page, 'embargo-proposal-empty');

    await form.getByLabel('Proposed end (UTC)').fill(proposed);
    await form.getByLabel('Why this date').fill('Our next release ships then.');
    await form.getByRole('button', { name: 'Propose this date' }).click();
    await flash(page, /Proposed/);
    await page.locator('#my-proposals').getByText('waiting for the coordinators').waitFor();
    await shots.take(page, 'embargo-proposal-waiting');
    // A proposal is not a decision: the embargo end is what it was.
    expect((await caseView(c.caseId)).embargo.endsAt).toBe(before);

    const requests = ((await caseView(c.caseId)).embargo as unknown as { requests: { proposalId: string; answer: string }[] }).requests;
    expect(requests.map((r) => r.answer)).toEqual(['open']);
    const r = await suite.e.call('PUT', `/cases/${encodeURIComponent(c.caseId)}/embargo`, {
      token: suite.e.coordinator,
      body: { acceptProposal: requests[0]!.proposalId },
    });
    expect(r.status, r.text).toBe(202);
    await suite.e.stack.settle();
    await page.reload();
    await page.locator('#my-proposals').getByText('accepted').waitFor();
    await shots.take(page, 'embargo-proposal-accepted');
  });
  expect((await caseView(c.caseId)).embargo.endsAt).toBe(`${proposed}:00.000Z`);
});

it('files: the vendor sends a patch with a message and downloads the file the coordinators sent it, SHA-256 shown; a file too large is refused naming the limit; a file for another vendor is not there', async () => {
  const c = await vendorCase('Piedmont', 'psirt@piedmont.example');
  const caseId = encodeURIComponent(c.caseId);
  const coord = async (method: string, path: string, body?: unknown) => {
    const r = await suite.e.call(method, `/cases/${caseId}${path}`, {
      token: suite.e.coordinator,
      ...(body === undefined ? {} : { body }),
    });
    expect(r.status, r.text).toBeLessThan(300);
    return r.json;
  };
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  /** A file from the coordinators to the vendors named, through the API and the presigned PUT. */
  const sendFile = async (name: string, bytes: Buffer, vendorIds: string[]) => {
    const up = (await coord('POST', '/attachments', {
      filename: name,
      contentType: 'text/plain',
      size: bytes.length,
      sha256: sha(bytes),
    })) as {
      attachmentId: string;
      uploadUrl: string;
      uploadHeaders: Record<string, string>;
    };
    expect((await fetch(up.uploadUrl, { method: 'PUT', headers: up.uploadHeaders, body: bytes })).status).toBe(200);
    await coord('POST', '/messages', { to: { vendorIds }, body: `A file: ${name}`, attachmentIds: [up.attachmentId] });
    return up.attachmentId;
  };
  await coord('POST', '/vendors', { vendors: [{ name: 'Hooli XYZ', contacts: ['sec@hooli-xyz.example'] }] });
  const forUs = Buffer.from('steps to reproduce, for Piedmont only\n');
  await sendFile('repro-steps.txt', forUs, ['vendor-1']);
  const elsewhere = await sendFile('other-vendor-notes.txt', Buffer.from('not for Piedmont'), ['vendor-2']);
  const patch = Buffer.from('--- a/upload.c\n+++ b/upload.c\n@@ -1 +1 @@\n-unlink(p)\n+if (!is_link(p)) unlink(p)\n');

  await onVendorPage(c, 'files', async (page) => {
    const messages = page.locator('ol.messages');
    await messages.getByText('A file: repro-steps.txt').waitFor();
    // The file sent to another vendor is nowhere on this page.
    expect(await page.getByText('other-vendor-notes.txt').count()).toBe(0);
    const item = messages.locator('li.file', { hasText: 'repro-steps.txt' });
    expect(await item.textContent()).toContain(`SHA-256 ${sha(forUs)}`);
    await shots.take(page, 'files-listed');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      item.getByRole('button', { name: 'Download repro-steps.txt' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('repro-steps.txt');
    expect(readFileSync(await download.path())).toEqual(forUs);

    // Too large: refused before any byte is sent, the limit named at the picker.
    const form = page.locator('form#vendor-message');
    await form.getByLabel('Message to the coordinators').fill('A core dump');
    await form
      .getByLabel('Files')
      .setInputFiles([{ name: 'core.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(25 * 1024 * 1024 + 1) }]);
    await form.getByRole('button', { name: 'Send' }).click();
    await form.getByText(/core\.bin: a file may be at most 26214400 bytes/).waitFor();
    await log.expectProblem(/413/);
    await shots.take(page, 'files-too-large');

    await form.getByLabel('Files').setInputFiles([{ name: 'fix.patch', mimeType: 'text/x-diff', buffer: patch }]);
    await form.getByLabel('Message to the coordinators').fill('Our patch for the upload cleanup.');
    await form.getByRole('button', { name: 'Send' }).click();
    await flash(page, /Sent/);
    await suite.e.stack.settle();
    await page
      .locator('ol.messages li', { hasText: 'Our patch for the upload cleanup.' })
      .locator('li.file', { hasText: 'fix.patch' })
      .waitFor();
    await shots.take(page, 'files-sent');
  });

  // The coordinators have the patch, byte for byte; the other vendor's file stays out of this vendor's reach.
  const comments = (await coord('GET', '')) as { comments: { body: string; files?: { attachmentId: string; sha256: string }[] }[] };
  const sent = comments.comments.find((m) => m.body === 'Our patch for the upload cleanup.');
  expect(sent?.files).toEqual([expect.objectContaining({ sha256: sha(patch) })]);
  const token = new URLSearchParams(vendorLinkIn(c.mail)?.hash.slice(1)).get('token') ?? '';
  expect((await suite.e.call('GET', `/vendor/cases/${caseId}/attachments/${elsewhere}`, { token })).status).toBe(404);
});

it('CSAF: before publication the vendor downloads its own part as a CSAF 2.0 document, marked with the TLP the coordinators set', async () => {
  const c = await vendorCase('Umbrella', 'psirt@umbrella.example');
  const set = await suite.e.call('PUT', `/cases/${encodeURIComponent(c.caseId)}/vendor-csaf`, {
    token: suite.e.coordinator,
    body: { tlp: 'RED' },
  });
  expect(set.status, set.text).toBe(202);

  await onVendorPage(c, 'csaf', async (page) => {
    await shots.take(page, 'csaf-case');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSAF (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${c.caseId}-vendor-1.csaf.json`);
    const doc = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      document: { distribution: { tlp: { label: string }; text: string }; tracking: { id: string; status: string } };
      vulnerabilities: { title: string }[];
    };
    expect(doc.document.distribution.tlp.label).toBe('RED');
    expect(doc.document.distribution.text).toContain('TLP:RED');
    expect(doc.document.tracking).toMatchObject({ id: `${c.caseId}-vendor-1`, status: 'interim' });
    expect(doc.vulnerabilities.map((v) => v.title)).toEqual(c.titles);
    expect((await validateCsaf(doc)).errors).toEqual([]);
  });
});
