// The console's vendor directory in a real browser (chromium through playwright-core) against the
// whole local stack: an organisation added with a refused input first (its error shown on the
// field, nothing written), found as the coordinator types a piece of its alias, added to a case
// from the case page's typeahead (its contact is e-mailed the report), and its history shown on
// its own page. Names are shown as text. Every page state is photographed and checked against
// WCAG 2.2 AA (test-results/screenshots/directory/).
import { expect, it } from 'vitest';
import { acceptedCase, browserSuite, confirm, flash, mailsAbout, reportedCase, vendorLinkIn } from './page-helpers.js';

const suite = browserSuite('directory');
const { shots, log } = suite;
const HOSTILE = 'Acme <img src=x onerror=alert(1)> **Corp**';

const directory = async () =>
  (await suite.e.call('GET', '/directory/vendors', { token: suite.e.coordinator })).json as {
    vendors: { vendorRef: string; name: string }[];
  };

it('directory: refuses an http advisory page on its field, adds the organisation, finds it by a piece of its alias as you type', async () => {
  await suite.runIn(await suite.signedIn('#/directory'), 'directory-add', async (page) => {
    await page.getByRole('heading', { name: 'Vendor directory' }).waitFor();
    await page.locator('#panel-directory-add summary').click();
    const form = page.locator('form#directory-add');
    await form.getByLabel(/^Name/).fill(HOSTILE);
    await form.getByLabel('Aliases (one per line)').fill('Road Runner Labs\nACME-RR');
    await form.getByLabel('Contact 1: e-mail').fill('psirt@acme-dir.example');
    await form.getByLabel('Contact 1: name').fill('Acme PSIRT');
    await form.getByLabel('Advisory page (https)').fill('http://acme.example/advisories');
    await shots.take(page, 'directory-form');
    await form.getByRole('button', { name: 'Add the organisation' }).click();

    // The API's refusal, on the field it names and in the form's alert; nothing written.
    const url = form.getByLabel('Advisory page (https)');
    await expect.poll(() => url.getAttribute('aria-invalid'), { timeout: 30_000 }).toBe('true');
    const errId = ((await url.getAttribute('aria-describedby')) ?? '').split(' ').find((id) => id.endsWith('-err')) ?? '';
    expect(await page.locator(`[id="${errId}"]`).textContent()).toMatch(/advisoryUrl must be an https:\/\/ URL/);
    expect(await form.getByRole('alert').textContent()).toMatch(/invalid field/);
    await log.expectProblem(/status of 400/);
    await shots.take(page, 'directory-refused');
    expect((await directory()).vendors).toEqual([]);

    await url.fill('https://acme.example/advisories');
    await form.getByRole('button', { name: 'Add the organisation' }).click();
    await flash(page, /Added/);
    // Its page, the name shown as the text it is.
    await expect.poll(() => page.locator('#directory-name').textContent()).toBe(HOSTILE);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await shots.take(page, 'directory-entry');

    await page.getByRole('link', { name: 'All organisations' }).click();
    const search = page.getByLabel('Find an organisation');
    await search.pressSequentially('runner', { delay: 20 });
    await expect.poll(() => page.locator('#directory-list tbody tr').count()).toBe(1);
    expect(await page.locator('#directory-list tbody').textContent()).toContain('Road Runner Labs');
    await shots.take(page, 'directory-search');
    await search.fill('');
    await search.pressSequentially('nothing-like-it');
    await expect.poll(() => page.locator('#directory-count').textContent()).toBe('No organisation matches.');
  });
});

it('case page: finds a directory organisation by alias in "Add a vendor", adds it by its reference, and it is contacted; its page shows the case', async () => {
  const created = await suite.e.call('POST', '/directory/vendors', {
    token: suite.e.coordinator,
    body: { name: 'Globex Corporation', aliases: ['Hank Scorpio Industries'], contacts: [{ email: 'security@globex-dir.example' }] },
  });
  expect(created.status, created.text).toBe(201);
  const ref = (created.json as { vendorRef: string }).vendorRef;
  const caseId = await acceptedCase(suite.e);

  await suite.runIn(await suite.signedIn(`#/cases/${encodeURIComponent(caseId)}`), 'directory-case', async (page) => {
    await expect.poll(() => page.locator('#case-id').textContent()).toBe(caseId);
    const details = page.locator('#panel-vendors');
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    await page.getByLabel('Find in the vendor directory').pressSequentially('scorpio', { delay: 20 });
    const add = page.getByRole('button', { name: 'Add to the case: Globex Corporation' });
    await add.waitFor();
    await shots.take(page, 'case-directory-match');
    await add.click();
    await confirm(page, 'Add the vendor');
    await flash(page, /Done/);
    await suite.e.stack.settle();

    const view = (await suite.e.call('GET', `/cases/${encodeURIComponent(caseId)}`, { token: suite.e.coordinator })).json as {
      vendors: { name: string; vendorRef?: string; contacts: { email: string }[]; firstContactAt: string | null }[];
    };
    const globex = view.vendors.find((v) => v.vendorRef === ref);
    expect(globex).toMatchObject({ name: 'Globex Corporation', contacts: [{ email: 'security@globex-dir.example' }] });
    expect(globex?.firstContactAt).not.toBeNull();
    const mail = (await mailsAbout(suite.e, caseId)).find((m) => m.destination.to.includes('security@globex-dir.example'));
    expect(mail && vendorLinkIn(mail)).toBeTruthy();
    await shots.take(page, 'case-directory-added');

    // Now on the case: the typeahead says so instead of offering it again.
    const details2 = page.locator('#panel-vendors');
    if ((await details2.getAttribute('open')) === null) await details2.locator('summary').click();
    await page.getByLabel('Find in the vendor directory').pressSequentially('globex', { delay: 20 });
    await page.getByRole('button', { name: 'On the case: Globex Corporation' }).waitFor();

    await page.goto(`${suite.e.stack.apiUrl}/console/#/directory/${ref}`);
    await page.locator('#history').getByRole('link', { name: caseId }).waitFor();
    await shots.take(page, 'directory-history');
  });
});

it('case page: a vendor named without an address (flagged) is linked to its directory organisation and contacted at its address', async () => {
  const created = await suite.e.call('POST', '/directory/vendors', {
    token: suite.e.coordinator,
    body: { name: 'Initech', aliases: ['Initrode'], contacts: [{ email: 'security@initech-dir.example' }] },
  });
  expect(created.status, created.text).toBe(201);
  const ref = (created.json as { vendorRef: string }).vendorRef;
  const caseId = await reportedCase(suite.e, { vendors: [{ name: 'initech', contacted: false }] });
  const t = await suite.e.call('POST', `/cases/${encodeURIComponent(caseId)}/triage`, {
    token: suite.e.coordinator,
    body: { decision: 'accept', reasons: [], comment: 'we coordinate this' },
  });
  expect(t.status, t.text).toBe(202);
  await suite.e.stack.settle();

  await suite.runIn(await suite.signedIn(`#/cases/${encodeURIComponent(caseId)}`), 'directory-link', async (page) => {
    await expect.poll(() => page.locator('#case-id').textContent()).toBe(caseId);
    // The vendor nobody can reach keeps the edit panel open.
    expect(await page.locator('#panel-edit-vendor').getAttribute('open')).not.toBeNull();
    await page.getByLabel('Link the vendor to a directory organisation').pressSequentially('initro', { delay: 20 });
    const link = page.getByRole('button', { name: 'Link: Initech' });
    await link.waitFor();
    await shots.take(page, 'case-directory-link');
    await link.click();
    await confirm(page, 'Link the vendor');
    await flash(page, /Done/);
    await suite.e.stack.settle();
    const view = (await suite.e.call('GET', `/cases/${encodeURIComponent(caseId)}`, { token: suite.e.coordinator })).json as {
      attention: unknown[];
      vendors: { name: string; vendorRef?: string; contacts: { email: string }[]; firstContactAt: string | null }[];
    };
    expect(view.vendors[0]).toMatchObject({ name: 'Initech', vendorRef: ref, contacts: [{ email: 'security@initech-dir.example' }] });
    expect(view.vendors[0]?.firstContactAt).not.toBeNull();
    expect(view.attention).toEqual([]);
    expect(
      (await mailsAbout(suite.e, caseId)).some((m) => m.destination.to.includes('security@initech-dir.example') && vendorLinkIn(m)),
    ).toBe(true);
    await page.reload();
    await page.getByRole('link', { name: 'In the directory' }).waitFor();
    await shots.take(page, 'case-directory-linked');
  });
});
