// The product in a real browser (Debian's chromium through playwright-core) against the whole
// local stack: a reporter submits the form, a coordinator triages in the console, the vendor
// follows the link from the e-mail and answers, the coordinator approves publication, and the
// published note opens. Every page visited is saved to test-results/screenshots/journey/.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Mail } from '../builders/local-stack.js';
import { PHONE, browserSuite, confirm, expectFitsPhone, flash, openVendorLink } from './page-helpers.js';

const suite = browserSuite('journey', { ignore: /status of 40[49]/ });
const { shots } = suite;
const problems = suite.log.problems;
const VENDOR = 'psirt@acme.example';

const shot = (page: Page, name: string, fullPage = true): Promise<void> => shots.take(page, name, fullPage);

/** The browser drives the API on its own; let the workflow run until it waits again. */
const settle = () => suite.e.stack.settle();

interface CaseView {
  phase: string;
  embargo: { endsAt: string | null };
  noteId: string | null;
}
const caseView = async (caseId: string) => (await suite.e.call('GET', `/cases/${caseId}`, { token: suite.e.coordinator })).json as CaseView;
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

it('reporter, coordinator and vendor take a case from the form to the published note', async () => {
  const page = await suite.newPage();
  try {
    await journey(page);
  } catch (err) {
    await shot(page, 'FAILED').catch(() => undefined);
    throw err;
  }
});

async function journey(page: Page): Promise<void> {
  const started = performance.now();
  const base = suite.e.stack.apiUrl;

  // 1. The reporter's form: inline validation first, then a complete report.
  await page.goto(`${base}/`);
  await expect.poll(() => page.getByRole('button', { name: 'Send the report' }).isVisible()).toBe(true);
  await shot(page, 'report-form');
  await page.getByRole('button', { name: 'Send the report' }).click();
  await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/problems?/);
  await page.getByLabel('Your e-mail address').fill('not-an-address');
  await page.getByLabel('Your e-mail address').blur();
  await expect.poll(() => page.getByText('Enter an e-mail address such as').first().isVisible()).toBe(true);
  await shot(page, 'report-form-errors');

  await page.getByLabel('Your name').fill('Ada L.');
  await page.getByLabel('Your e-mail address').fill('ada@example.org');
  await page.getByLabel('Share my contact details with the vendors').check();
  await page.getByLabel('Product', { exact: false }).first().fill('Widget Server');
  await page.getByLabel('Version(s)').fill('4.2.1');
  await page.getByLabel('Vendor name').fill('Acme');
  await page.getByLabel('Vendor security contact e-mail').fill(VENDOR);
  await page.getByLabel('Title').fill('Unauthenticated RCE in the upload handler');
  await page.getByLabel('Description').fill('A crafted multipart upload writes outside the upload directory.');
  await page.getByLabel('How it can be exploited').fill('POST a file named ../../etc/cron.d/x');
  await page.getByLabel('Impact').fill('Remote code execution as the service user');
  await page.getByLabel('Proof of concept').fill('curl -F "f=@x;filename=../../x" http://host/upload');
  await page.getByLabel('CVSS v3 vector').fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
  await page.getByLabel('Coordinate disclosure with the vendor(s)').check();
  // The terms come first on the form (try the vendor, NDAs, the policy, our authority) and must be accepted.
  await expect.poll(() => page.locator('#terms').textContent()).toMatch(/Non-Disclosure Agreement[\s\S]*final decision authority/);
  await page.getByRole('button', { name: 'Send the report' }).click();
  await expect.poll(() => page.getByText('Accept the terms to send the report').first().isVisible()).toBe(true);
  await page.getByLabel('I have read these terms and accept the disclosure policy').check();
  await page.getByRole('button', { name: 'Send the report' }).click();
  const caseIdEl = page.locator('#case-id');
  await caseIdEl.waitFor({ timeout: 30_000 });
  const caseId = (await caseIdEl.textContent()) ?? '';
  expect(caseId).toMatch(/\S/);
  await settle();
  await shot(page, 'report-sent');

  // 2. The reporter's status page, through the link shown after sending.
  await page.getByRole('link', { name: 'Open your status page' }).click();
  await expect.poll(() => page.locator('#case-id').textContent()).toBe(caseId);
  await shot(page, 'reporter-status');

  // 3. The console: sign in, the queue, the case, triage (accept, confirmed).
  await page.goto(`${base}/console/`);
  await page.getByLabel('Coordinator token').fill(suite.e.coordinator);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: caseId }).waitFor();
  await shot(page, 'console-queue');
  await page.getByRole('link', { name: caseId }).click();
  await page.locator('#recommendation').waitFor();
  await shot(page, 'console-case-triage');
  await page.locator('#triage select[name="decision"]').selectOption('accept');
  await page.getByRole('button', { name: 'Record the triage decision' }).click();
  // Overriding the SSVC recommendation needs a reason, asked for inline before anything is sent.
  const recommendation = await page.locator('#recommendation').textContent();
  if (recommendation === 'decline') {
    await expect.poll(() => page.getByText('say why you decide otherwise').isVisible()).toBe(true);
    await page.getByLabel('Comment').fill('A credible proof of concept against a widely deployed server: we coordinate.');
    await page.getByRole('button', { name: 'Record the triage decision' }).click();
  }
  await shot(page, 'console-confirm-accept');
  await confirm(page, 'Accept');
  await flash(page, /Done/);
  await settle();
  // The reporter's address for the vendor is only a suggestion: the case waits, flagged, until confirmed.
  expect((await caseView(caseId)).phase).toBe('outreach');
  await page.reload();
  await page.locator('#attention').waitFor();
  await shot(page, 'console-case-unconfirmed-contact');
  await page.getByRole('button', { name: 'Confirm this contact' }).click();
  await confirm(page, 'Confirm this contact');
  await flash(page, /Done/);
  await settle();
  expect((await caseView(caseId)).phase).toBe('embargo');
  await page.reload();
  await page.locator('#embargo-utc').waitFor();
  await shot(page, 'console-case-embargo');

  // 4. The vendor: the link from the e-mail, acknowledge, status, statement, a comment.
  const mails: Mail[] = await suite.e.mail();
  const toVendor = mails.find((m) => m.destination.to.includes(VENDOR) && /\/vendor#token=/.test(m.body.text ?? ''));
  if (!toVendor) throw new Error(`no vendor link mailed to ${VENDOR}`);
  // The e-mail link carries only the token: the page asks for the case id from the subject.
  await openVendorLink(page, base, toVendor, caseId, () => shot(page, 'vendor-which-case'));
  await shot(page, 'vendor-case');
  await page.getByRole('button', { name: 'Acknowledge receipt' }).click();
  await flash(page, /acknowledged/);
  await page.locator('#vendor-status select').first().selectOption('affected');
  await page.getByLabel('A fix is ready').check();
  await page.getByLabel('Statement for the published note').fill('Fixed in Widget Server 4.2.2. Upgrade now.');
  await page.getByRole('button', { name: 'Save our answer' }).click();
  await flash(page, /Saved/);
  await page.getByLabel('Message to the coordinators').fill('Thanks: we will ship 4.2.2 before the embargo ends.');
  await page.getByRole('button', { name: 'Send' }).click();
  await flash(page, /Sent/);
  await settle();
  await shot(page, 'vendor-answered');

  // 5. The draft date: the console shows the draft; approve publication (confirmed).
  const endsAt = (await caseView(caseId)).embargo.endsAt;
  expect(endsAt).toBeTruthy();
  await suite.e.to(addDays(endsAt!, -14));
  expect((await caseView(caseId)).phase).toBe('draft-review');
  await page.goto(`${base}/console/#/cases/${encodeURIComponent(caseId)}`);
  await page.getByRole('button', { name: 'Record the publication decision' }).waitFor();
  await shot(page, 'console-draft-review');
  await page.getByRole('button', { name: 'Record the publication decision' }).click();
  await confirm(page, 'Approve');
  await flash(page, /Done/);
  await settle();
  await shot(page, 'console-approved');

  // 6. The publication date: the note is out; the console, the reporter and the note itself.
  await suite.e.to(endsAt!);
  const published = await caseView(caseId);
  expect(published.phase).toBe('published');
  await page.goto(`${base}/console/#/?phase=published`);
  await page.getByRole('link', { name: caseId }).waitFor();
  await shot(page, 'console-published-queue');
  await page.getByRole('link', { name: caseId }).click();
  const noteLink = page.getByRole('link', { name: published.noteId ?? caseId, exact: true });
  await noteLink.waitFor();
  await shot(page, 'console-published-case');
  await noteLink.click();
  await page.waitForURL(/\/notes\/.+\.html$/);
  await expect.poll(() => page.locator('h1').first().textContent()).toMatch(/upload handler/i);
  await shot(page, 'published-note');
  const noteUrl = page.url();

  // 7. The same pages on a phone: none may scroll sideways as a whole.
  const phone = await suite.newPage();
  await phone.setViewportSize(PHONE);
  await phone.goto(`${base}/`);
  await phone.getByRole('button', { name: 'Send the report' }).waitFor();
  await expectFitsPhone(phone);
  await shot(phone, 'phone-report-form');
  await phone.goto(`${base}/console/#/cases/${encodeURIComponent(caseId)}`);
  await phone.getByLabel('Coordinator token').fill(suite.e.coordinator);
  await phone.getByRole('button', { name: 'Sign in' }).click();
  await phone.locator('#case-id').waitFor();
  await expectFitsPhone(phone);
  await shot(phone, 'phone-console-case-top', false);
  await shot(phone, 'phone-console-case');
  await phone.goto(noteUrl);
  await expectFitsPhone(phone);
  await shot(phone, 'phone-published-note');
  await phone.close();

  expect(problems).toEqual([]);
  expect(shots.inaccessible).toEqual([]); // WCAG 2.2 A and AA on every page shown
  console.log(`browser journey: ${shots.count} screenshots in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
