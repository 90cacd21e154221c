// The console after publication, in a real browser against the whole local stack: the note's
// revisions and a vendor's update request beside what the note shows (a hostile statement stays
// text), an over-long change line refused with a clear error and nothing written, then the next
// revision published through the form. Every page state is saved to
// test-results/screenshots/note-update/ and checked against WCAG 2.2 AA.
import { expect, it } from 'vitest';
import { acceptedCase, browserSuite, confirm, flash, mailsAbout, vendorLinkIn } from './page-helpers.js';

const suite = browserSuite('note-update');
const { shots, log } = suite;
const ACME = 'psirt@acme.example';
const HOSTILE = '<img src=x onerror=alert(1)>Fixed in 4.2.3';

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

interface CaseView {
  phase: string;
  embargo: { endsAt: string | null };
  noteRevisions: { number: number; summary: string }[];
  updateRequests: { vendorId: string }[];
  version: number;
}
const caseView = async (caseId: string) =>
  (await suite.e.call('GET', `/cases/${encodeURIComponent(caseId)}`, { token: suite.e.coordinator })).json as CaseView;

it('update form: shows the vendor update request as text, refuses an over-long change line, publishes revision 2', async () => {
  const e = suite.e;
  const caseId = await acceptedCase(e);
  const id = encodeURIComponent(caseId);
  const mail = (await mailsAbout(e, caseId)).find((m) => m.destination.to.includes(ACME) && vendorLinkIn(m));
  const token = decodeURIComponent(/#token=([^&\s]+)/.exec(vendorLinkIn(mail!)!.hash)?.[1] ?? '');
  const vendor = (method: string, tail: string, body: unknown) => e.call(method, `/vendor/cases/${id}${tail}`, { token, body });
  expect(
    (await vendor('PUT', '/status', { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], statement: 'A fix is coming.' })).status,
  ).toBe(202);
  const endsAt = (await caseView(caseId)).embargo.endsAt!;
  await e.to(addDays(endsAt, -14));
  expect((await e.call('POST', `/cases/${id}/publication`, { token: e.coordinator, body: { decision: 'approve' } })).status).toBe(202);
  await e.to(endsAt);
  expect((await caseView(caseId)).phase).toBe('published');
  expect((await vendor('PUT', '/status', { vulnerabilities: [], fixReady: true, statement: HOSTILE })).status).toBe(202);

  const page = await suite.newPage();
  await suite.runIn(page, 'note-update', async () => {
    await page.goto(`${e.stack.apiUrl}/console/#/cases/${id}`);
    await page.getByLabel('Coordinator token').fill(e.coordinator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#case-id').textContent()).toBe(caseId);
    // Open at once: a request is waiting.
    const form = page.locator('form#note-update');
    await form.waitFor();
    expect(await form.textContent()).toContain(HOSTILE);
    expect(await page.locator('form#note-update img').count()).toBe(0);
    await shots.take(page, 'update-request');

    const line = form.getByLabel('Change line', { exact: false });
    await line.fill('x'.repeat(201));
    await form.getByRole('button', { name: 'Publish the next revision' }).click();
    await confirm(page, 'Publish');
    await expect
      .poll(() => form.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/changeSummary must be at most 200 characters/);
    await log.expectProblem(/status of 400/);
    expect((await caseView(caseId)).noteRevisions).toHaveLength(1);
    await shots.take(page, 'change-line-refused');

    await line.fill('Acme released a fix.');
    await form.getByLabel("Accept Acme's update").check();
    await form.getByRole('button', { name: 'Publish the next revision' }).click();
    await confirm(page, 'Publish');
    await flash(page, /next revision is going out/);
    await e.stack.settle();
    await shots.take(page, 'revision-2');
  });
  const v = await caseView(caseId);
  expect(v.noteRevisions.map((x) => x.summary)).toEqual(['Initial public release.', 'Acme released a fix.']);
  expect(v.updateRequests).toEqual([]);
  const html = (await e.call('GET', `/notes/${id}.html`)).text;
  expect(html).toContain('(revision 2): Acme released a fix.');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;Fixed in 4.2.3');
});
