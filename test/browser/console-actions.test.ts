// The coordinator console's action forms in a real browser (Debian's chromium through
// playwright-core) against the whole local stack: vulnerabilities, vendors, the embargo, the draft,
// signals and closing. Each form is filled and sent through the page (click, fill, keyboard, the
// confirmation dialog); its effect is checked through the API and the e-mails sent, and an invalid
// submission must show a clear error and change nothing. Every page state is saved to
// test-results/screenshots/console-actions/.
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { acceptedCase, browserSuite, confirm, flash, mailsAbout, reportedCase, vendorLinkIn } from './page-helpers.js';

const suite = browserSuite('console-actions');
const { shots, log } = suite;
const REPORTER = 'ada@example.org';
const ACME = 'psirt@acme.example';

interface Vulnerability {
  vulnerabilityId: string;
  title: string;
  description?: string;
  cwe?: string;
  cveId: string | null;
  cvss?: Record<string, string>;
  affected?: { vendor: string; product: string; versions: { version: string; status: string; lessThan?: string }[] }[];
}
interface CaseView {
  phase: string;
  version: number;
  em: string;
  vendors: {
    vendorId: string;
    name: string;
    contacts: { email: string; link: { state: string } }[];
    isCna: boolean;
    cnaShortName?: string;
    downstream: boolean;
    firstContactAt: string | null;
  }[];
  embargo: { state: string; endsAt: string | null; revisions: { from: string; to: string; reason?: string }[] };
  vulnerabilities: Vulnerability[];
  signals: { kind: string; evidence: string }[];
  draft: { revisions: { revision: number; markdown: string; by: { role: string } }[] };
  closed: { closure: string; reason?: string } | null;
  timeline: { type: string; reason?: string }[];
}

async function caseView(caseId: string): Promise<CaseView> {
  const r = await suite.e.call('GET', `/cases/${encodeURIComponent(caseId)}`, { token: suite.e.coordinator });
  expect(r.status, r.text).toBe(200);
  return r.json as CaseView;
}

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();
/** The value of a datetime-local input for an instant, read as UTC by the console. */
const utcInput = (iso: string) => iso.slice(0, 16);

/** A fresh tab on the case in the console, signed in with the dev token. */
async function openCase(caseId: string): Promise<Page> {
  const page = await suite.signedIn(`#/cases/${encodeURIComponent(caseId)}`);
  await expect.poll(() => page.locator('#case-id').textContent()).toBe(caseId);
  return page;
}

/** Opens one of the action panels (collapsed <details>) and returns its form. */
async function panel(page: Page, id: string, formId: string): Promise<Locator> {
  const details = page.locator(`#panel-${id}`);
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  const form = page.locator(`form#${formId}`);
  await form.waitFor();
  return form;
}

/** The inline error under a field, shown before anything is sent. */
async function inlineError(form: Locator, label: string, message: string): Promise<void> {
  const control = form.getByLabel(label, { exact: false }).first();
  await expect.poll(() => control.getAttribute('aria-invalid')).toBe('true');
  const errorId = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').find((id) => id.endsWith('-err')) ?? '';
  const error = form.page().locator(`[id="${errorId}"]`);
  expect(await error.isVisible()).toBe(true);
  expect(await error.textContent()).toBe(message);
}

/** The form's error line after the API refused the request (role=alert), and the browser's 4xx console line. */
async function refused(form: Locator, status: number, text: RegExp): Promise<void> {
  // Polled: an earlier refusal's line stays until this request's answer replaces it.
  await expect.poll(() => form.getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(text);
  await log.expectProblem(new RegExp(`status of ${status}`));
}

const noDialog = async (page: Page) => expect(await page.getByRole('dialog').count()).toBe(0);

/** Runs one scenario in its own tab; a failure leaves a screenshot, and no page or console error may remain. */
async function inConsole(caseId: string, name: string, scenario: (page: Page) => Promise<void>): Promise<void> {
  await suite.runIn(await openCase(caseId), name, scenario);
}

it('vulnerability form: adds one with CWE, CVSS v3/v4 and an affected product, edits the first, refuses a missing title and a bad CWE', async () => {
  const caseId = await acceptedCase(suite.e);
  const before = await caseView(caseId);
  expect(before.vulnerabilities.map((v) => v.vulnerabilityId)).toEqual(['vul-1']);
  const reported = before.vulnerabilities[0]!;

  await inConsole(caseId, 'vulnerability', async (page) => {
    const form = await panel(page, 'vulnerability', 'vulnerability');
    await shots.take(page, 'vulnerability-form');

    // A new one without a title: stopped in the page.
    expect(await form.getByLabel('Vulnerability').inputValue()).toBe('');
    await form.getByRole('button', { name: 'Save the vulnerability' }).click();
    await inlineError(form, 'Title', 'A new vulnerability needs a title');
    expect(await form.getByLabel('Title').evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
    await shots.take(page, 'vulnerability-no-title');
    expect((await caseView(caseId)).version).toBe(before.version);

    // A CWE without its prefix: the API refuses it and says what it wants.
    await form.getByLabel('Title').fill('Symlink following in the upload cleanup');
    await form.getByLabel('Description').fill('The nightly cleanup follows symbolic links out of the upload directory.');
    await form.getByLabel('CWE').fill('59');
    await form.getByLabel('CVSS v3 vector').fill('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H');
    await form.getByLabel('CVSS v4 vector').fill('CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    await form.getByLabel('Affected: vendor').fill('Acme');
    await form.getByLabel('Affected: product').fill('Widget Server');
    await form.getByLabel('Affected: version', { exact: true }).fill('4.2.1');
    await form.getByLabel('Affected: versions before (lessThan)').fill('4.2.2');
    await form.getByRole('button', { name: 'Save the vulnerability' }).click();
    await refused(form, 400, /cwe must look like CWE-79/);
    await shots.take(page, 'vulnerability-bad-cwe');
    expect((await caseView(caseId)).version).toBe(before.version);

    // Corrected, and sent with the keyboard (Enter in a text field submits the form).
    await form.getByLabel('CWE').fill('CWE-59');
    await form.getByLabel('CWE').press('Enter');
    await flash(page, /Done/);
    await suite.e.stack.settle();
    await page.getByRole('cell', { name: 'CWE-59' }).waitFor();
    await shots.take(page, 'vulnerability-added');
    const added = await caseView(caseId);
    expect(added.vulnerabilities).toHaveLength(2);
    expect(added.vulnerabilities[1]).toMatchObject({
      vulnerabilityId: 'vul-2',
      title: 'Symlink following in the upload cleanup',
      description: 'The nightly cleanup follows symbolic links out of the upload directory.',
      cwe: 'CWE-59',
      cvss: { v3: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', v4: 'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
      affected: [{ vendor: 'Acme', product: 'Widget Server', versions: [{ version: '4.2.1', status: 'affected', lessThan: '4.2.2' }] }],
    });
    expect(added.vulnerabilities[0]).toEqual(reported);

    // Edit the first: choosing it fills the form with what it has; change the CWE and the v3 vector.
    const edit = await panel(page, 'vulnerability', 'vulnerability');
    await edit.getByLabel('Vulnerability').selectOption('vul-1');
    expect(await edit.getByLabel('Title').inputValue()).toBe(reported.title);
    expect(await edit.getByLabel('CVSS v3 vector').inputValue()).toBe(reported.cvss?.v3);
    await edit.getByLabel('CWE').fill('CWE-22');
    await edit.getByLabel('CVSS v3 vector').fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N');
    await shots.take(page, 'vulnerability-edit');
    await edit.getByRole('button', { name: 'Save the vulnerability' }).click();
    await flash(page, /Done/);
    await suite.e.stack.settle();
    await page.getByRole('cell', { name: 'CWE-22' }).waitFor();
    await shots.take(page, 'vulnerability-edited');
    const edited = await caseView(caseId);
    expect(edited.vulnerabilities).toHaveLength(2);
    expect(edited.vulnerabilities[1]).toEqual(added.vulnerabilities[1]);
    // Only what was changed changes: the reported v2 vector (the form has no field for it) stays.
    expect(edited.vulnerabilities[0]).toMatchObject({
      ...reported,
      cwe: 'CWE-22',
      cvss: { ...reported.cvss, v3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N' },
    });
    expect(edited.vulnerabilities[0]?.cvss).toEqual({
      v2: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
      v3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N',
    });

    // Emptying fields clears them: the second one's description and its v4 vector.
    const clear = await panel(page, 'vulnerability', 'vulnerability');
    await clear.getByLabel('Vulnerability').selectOption('vul-2');
    await clear.getByLabel('Description').fill('');
    await clear.getByLabel('CVSS v4 vector').fill('');
    await clear.getByRole('button', { name: 'Save the vulnerability' }).click();
    await flash(page, /Done/);
    await suite.e.stack.settle();
    const cleared = (await caseView(caseId)).vulnerabilities[1];
    expect(cleared).toMatchObject({
      vulnerabilityId: 'vul-2',
      title: 'Symlink following in the upload cleanup',
      description: '',
      cwe: 'CWE-59',
    });
    expect(cleared?.cvss).toEqual({ v3: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' });
    await shots.take(page, 'vulnerability-cleared');
  });
});

it('vendor form: adds a CNA vendor with two contacts after confirming (it is e-mailed at once), refuses a missing name, a bad address and a duplicate', async () => {
  const caseId = await acceptedCase(suite.e);
  const before = await caseView(caseId);
  expect(before.vendors.map((v) => v.name)).toEqual(['Acme']);

  await inConsole(caseId, 'vendor', async (page) => {
    const form = await panel(page, 'vendors', 'add-vendor');
    await shots.take(page, 'vendor-form');

    await form.getByRole('button', { name: 'Add the vendor' }).click();
    await inlineError(form, 'Vendor name', 'Enter the vendor name');
    await noDialog(page);
    await shots.take(page, 'vendor-no-name');

    // A contact that is not an e-mail address: confirmed, then refused by the API.
    await form.getByLabel('Vendor name').fill('Globex');
    await form.getByLabel('Contact e-mails').fill('security at globex');
    await form.getByRole('button', { name: 'Add the vendor' }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('heading').textContent()).toBe('Add Globex?');
    await confirm(page, 'Add the vendor');
    await refused(form, 400, /must be an e-mail address/);
    await shots.take(page, 'vendor-bad-contact');

    // A vendor already on the case.
    await form.getByLabel('Vendor name').fill('acme');
    await form.getByLabel('Contact e-mails').fill('security@acme.example');
    await form.getByRole('button', { name: 'Add the vendor' }).click();
    await confirm(page, 'Add the vendor');
    await refused(form, 400, /already on the case/);
    await shots.take(page, 'vendor-duplicate');
    expect((await caseView(caseId)).version).toBe(before.version);

    // Globex, a CNA, two contacts on two lines.
    await form.getByLabel('Vendor name').fill('Globex');
    const contacts = form.getByLabel('Contact e-mails');
    await contacts.fill('security@globex.example');
    await contacts.press('Enter');
    await contacts.pressSequentially('psirt@globex.example');
    await form.getByLabel('The vendor is a CNA').check();
    await form.getByLabel('CNA short name').fill('globex');
    await form.getByRole('button', { name: 'Add the vendor' }).click();
    await page.getByRole('dialog').waitFor();
    await shots.take(page, 'vendor-confirm', false);
    await confirm(page, 'Add the vendor');
    await flash(page, /Done/);
    await suite.e.stack.settle();
    await page.getByRole('cell', { name: /Globex \(CNA\)/ }).waitFor();
    await shots.take(page, 'vendor-added');
  });

  const after = await caseView(caseId);
  expect(after.vendors).toHaveLength(2);
  expect(after.vendors[1]).toMatchObject({ name: 'Globex', isCna: true, cnaShortName: 'globex', downstream: false });
  // Typed by a coordinator: confirmed at once, each with a live link of its own.
  expect(after.vendors[1]?.contacts.map((c) => [c.email, c.link.state])).toEqual([
    ['security@globex.example', 'live'],
    ['psirt@globex.example', 'live'],
  ]);
  expect(after.vendors[1]?.firstContactAt).toBeTruthy();
  // One e-mail per contact, each with the vendor link.
  const toGlobex = (await mailsAbout(suite.e, caseId)).filter((m) => m.destination.to.some((to) => to.endsWith('@globex.example')));
  expect(toGlobex.flatMap((m) => m.destination.to).sort()).toEqual(['psirt@globex.example', 'security@globex.example']);
  for (const m of toGlobex) {
    // No report text in a subject, nothing embargoed in the body by default.
    expect(m.subject).toBe(`[${caseId}] Vulnerability report for your organization`);
    expect(m.body.text).not.toContain(before.vulnerabilities[0]?.title ?? '(none)');
    expect(m.body.text).toMatch(/\/vendor#token=/);
  }
});

it('embargo form: moves the end a week later (shown in UTC and the local zone, participants e-mailed), refuses no date, no reason and a date in the past', async () => {
  const caseId = await acceptedCase(suite.e);
  const before = await caseView(caseId);
  expect(before.embargo.state).toBe('ACTIVE');
  const endsAt = before.embargo.endsAt!;
  const later = addDays(endsAt, 7);

  await inConsole(caseId, 'embargo', async (page) => {
    const form = await panel(page, 'embargo', 'embargo');
    const ends = form.getByLabel('Embargo ends (UTC)');
    expect(await ends.inputValue()).toBe(utcInput(endsAt));
    await shots.take(page, 'embargo-form');

    await ends.fill('');
    await form.getByRole('button', { name: 'Set the embargo end' }).click();
    await inlineError(form, 'Embargo ends (UTC)', 'Choose a date and time (UTC)');

    await ends.fill(utcInput(later));
    await form.getByRole('button', { name: 'Set the embargo end' }).click();
    await inlineError(form, 'Reason', 'Give a reason');
    await shots.take(page, 'embargo-no-reason');

    // A date already past (the stack's clock stands at 1 November 2026).
    await ends.fill('2026-10-15T12:00');
    await form.getByLabel('Reason').fill('Acme asked for a different date.');
    await form.getByRole('button', { name: 'Set the embargo end' }).click();
    await refused(form, 400, /endsAt must be in the future/);
    await shots.take(page, 'embargo-in-the-past');
    expect((await caseView(caseId)).version).toBe(before.version);

    // A week later: the page shows the instant in the viewer's zone (Europe/Berlin: UTC+1 in winter).
    await ends.fill(utcInput(later));
    await expect.poll(() => form.locator('p.hint[aria-live]').textContent()).toMatch(/^In your zone: .*13:00.*\(Europe\/Berlin\)$/);
    await form.getByLabel('Reason').fill('Acme needs another week to ship 4.2.2.');
    await form.getByRole('button', { name: 'Set the embargo end' }).click();
    await flash(page, /Done/);
    await suite.e.stack.settle();
    await expect.poll(() => page.locator('#embargo-utc').textContent()).toBe(`${later.slice(0, 10)} 12:00 UTC`);
    expect(await page.locator('#embargo-local').textContent()).toMatch(/13:00 \(Europe\/Berlin\)/);
    await shots.take(page, 'embargo-changed');
  });

  const after = await caseView(caseId);
  expect(after.embargo.state).toBe('ACTIVE');
  expect(Date.parse(after.embargo.endsAt!)).toBe(Date.parse(later));
  expect(after.embargo.revisions.at(-1)).toMatchObject({ reason: 'Acme needs another week to ship 4.2.2.' });
  expect(Date.parse(after.embargo.revisions.at(-1)!.from)).toBe(Date.parse(endsAt));
  const changed = (await mailsAbout(suite.e, caseId)).filter((m) => m.subject === `[${caseId}] The planned publication date changed`);
  expect(changed.flatMap((m) => m.destination.to).sort()).toEqual([REPORTER, ACME].sort());
  // The reason is the coordinators' text about an embargoed case: the page shows it, the mail does not.
  for (const m of changed) expect(m.body.text).not.toContain('Acme needs another week');
});

it('draft form: writes a first draft and a revision typed on to it, refuses an empty draft, and a draft for a case still in triage', async () => {
  const caseId = await acceptedCase(suite.e);
  const before = await caseView(caseId);
  expect(before.draft.revisions).toEqual([]);
  const first = '# Path traversal in Widget Server\n\n## Overview\n\nA crafted multipart upload writes outside the upload directory.';
  const addition = '\n\n## Solution\n\nUpgrade to Widget Server 4.2.2.';

  await inConsole(caseId, 'draft', async (page) => {
    const form = await panel(page, 'draft', 'draft');
    const markdown = form.getByLabel('Note (Markdown)');
    expect(await markdown.inputValue()).toBe('');
    await shots.take(page, 'draft-form');

    await markdown.fill('   \n  ');
    await form.getByRole('button', { name: 'Save a new revision' }).click();
    await inlineError(form, 'Note (Markdown)', 'The draft cannot be empty');
    await shots.take(page, 'draft-empty');
    expect((await caseView(caseId)).version).toBe(before.version);

    await markdown.fill(first);
    await form.getByLabel('What changed').fill('First draft');
    await form.getByRole('button', { name: 'Save a new revision' }).click();
    await flash(page, /Done/);
    await suite.e.stack.settle();
    await page.getByText('Revision 1 ·').waitFor();
    await shots.take(page, 'draft-revision-1');

    // The form starts from the latest revision; type on at its end.
    const revise = await panel(page, 'draft', 'draft');
    const text = revise.getByLabel('Note (Markdown)');
    expect(await text.inputValue()).toBe(first);
    await text.focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(addition);
    await revise.getByLabel('What changed').fill('Solution added');
    await revise.getByRole('button', { name: 'Save a new revision' }).click();
    await flash(page, /Done/);
    await suite.e.stack.settle();
    await page.getByText('Revision 2 ·').waitFor();
    expect(await page.locator('pre.draft').first().textContent()).toBe(first + addition);
    await shots.take(page, 'draft-revision-2');

    // A text naming a vendor: every participant would read that name. The console asks first.
    const naming = await panel(page, 'draft', 'draft');
    await naming.getByLabel('Note (Markdown)').fill(`${first}\n\nAcme has confirmed the issue.`);
    await naming.getByRole('button', { name: 'Save a new revision' }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('heading').textContent()).toBe('This text names vendors');
    await shots.take(page, 'draft-names-vendor');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect((await caseView(caseId)).draft.revisions).toHaveLength(2);
  });

  const after = await caseView(caseId);
  expect(after.draft.revisions.map((r) => [r.revision, r.markdown, r.by.role])).toEqual([
    [1, first, 'coordinator'],
    [2, first + addition, 'coordinator'],
  ]);
  expect(after.timeline.filter((t) => t.type === 'draft-revised').map((t) => t.reason)).toEqual(['First draft', 'Solution added']);

  // A case still in triage has no draft to write: the API answers 409 and the page says why.
  const inTriage = await reportedCase(suite.e, { title: 'Stored XSS in the Widget admin console' });
  const triageBefore = await caseView(inTriage);
  expect(triageBefore.phase).toBe('triage');
  await inConsole(inTriage, 'draft-triage', async (page) => {
    const form = await panel(page, 'draft', 'draft');
    await form.getByLabel('Note (Markdown)').fill('# Stored XSS in the Widget admin console');
    await form.getByRole('button', { name: 'Save a new revision' }).click();
    await refused(form, 409, /Conflict: revising the draft is possible only in phase .*"embargo"/);
    await shots.take(page, 'draft-in-triage');
  });
  expect((await caseView(inTriage)).version).toBe(triageBefore.version);
});

it('signal form: an exploit made public ends the embargo after confirmation; no evidence and a dismissed dialog change nothing', async () => {
  const caseId = await acceptedCase(suite.e);
  const before = await caseView(caseId);
  expect(before.embargo.state).toBe('ACTIVE');
  const evidence = 'https://exploits.example/widget-upload-traversal';

  await inConsole(caseId, 'signal', async (page) => {
    const form = await panel(page, 'signal', 'signal');
    await shots.take(page, 'signal-form');

    await form.getByRole('button', { name: 'Record the signal' }).click();
    await inlineError(form, 'Evidence', 'Give the evidence');
    await noDialog(page);
    await shots.take(page, 'signal-no-evidence');

    await form.getByLabel('What happened').selectOption('exploit-public');
    await form.getByLabel('Evidence').fill(evidence);
    await form.getByRole('button', { name: 'Record the signal' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe('Record this signal?');
    expect(await dialog.textContent()).toMatch(/end the embargo early/);
    await shots.take(page, 'signal-confirm', false);
    // Escape dismisses the dialog: nothing is sent.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await caseView(caseId)).version).toBe(before.version);
    expect(await form.getByLabel('Evidence').inputValue()).toBe(evidence);

    await form.getByRole('button', { name: 'Record the signal' }).click();
    await confirm(page, 'Record and end the embargo');
    await flash(page, /Done/);
    await suite.e.stack.settle();
    await page.getByText(`exploit-public: ${evidence}`).waitFor();
    await shots.take(page, 'signal-recorded');
  });

  const after = await caseView(caseId);
  expect(after.signals).toMatchObject([{ kind: 'exploit-public', evidence }]);
  expect(after.embargo.state).toBe('EXITED');
  expect(after.phase).toBe('draft-review');
  const ended = (await mailsAbout(suite.e, caseId)).filter((m) => m.subject === `[${caseId}] The embargo has ended early`);
  expect(ended.flatMap((m) => m.destination.to)).toEqual(expect.arrayContaining([ACME, REPORTER]));
});

it('close form: needs a reason, cancelling the dialog changes nothing, confirming closes the case and tells the participants; a closed case refuses another close', async () => {
  const caseId = await acceptedCase(suite.e);
  const before = await caseView(caseId);
  expect(before.phase).toBe('embargo');
  const reason = 'The reporter withdrew the report: the upload handler is not reachable in any shipped configuration.';

  await inConsole(caseId, 'close', async (page) => {
    const form = await panel(page, 'close', 'close');
    await shots.take(page, 'close-form');

    await form.getByRole('button', { name: 'Close the case' }).click();
    await inlineError(form, 'Reason', 'Give a reason');
    await noDialog(page);
    await shots.take(page, 'close-no-reason');

    await form.getByLabel('Reason').fill(reason);
    await form.getByLabel('Closure').selectOption('other');
    await form.getByRole('button', { name: 'Close the case' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe('Close this case?');
    await shots.take(page, 'close-confirm', false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const cancelled = await caseView(caseId);
    expect(cancelled.version).toBe(before.version);
    expect([cancelled.phase, cancelled.closed]).toEqual(['embargo', null]);
    expect((await mailsAbout(suite.e, caseId)).filter((m) => /Case closed/.test(m.subject))).toEqual([]);
    await shots.take(page, 'close-cancelled');

    await form.getByRole('button', { name: 'Close the case' }).click();
    await confirm(page, 'Close the case');
    await flash(page, /Done: the case is now Closed/);
    await suite.e.stack.settle();
    await shots.take(page, 'close-closed');

    // Closing again: the API answers 409 and the page shows it.
    const again = await panel(page, 'close', 'close');
    await again.getByLabel('Reason').fill('Closing twice');
    await again.getByRole('button', { name: 'Close the case' }).click();
    await confirm(page, 'Close the case');
    await refused(again, 409, /Conflict: closing is not possible on a finished case/);
    await shots.take(page, 'close-again');
  });

  const after = await caseView(caseId);
  expect(after.phase).toBe('closed');
  expect(after.closed).toMatchObject({ closure: 'other', reason });
  expect(after.embargo.state).toBe('EXITED');
  expect(after.timeline.filter((t) => t.type === 'case-closed')).toHaveLength(1);
  const closed = (await mailsAbout(suite.e, caseId)).filter((m) => m.subject === `[${caseId}] Case closed`);
  expect(closed.flatMap((m) => m.destination.to).sort()).toEqual([REPORTER, ACME].sort());
  // Minimal mail by default: the reason stays on the case page.
  for (const m of closed) expect(m.body.text).not.toContain(reason);
});

it('vendor CSAF form: the coordinator moves the vendors’ documents to TLP:RED, and a vendor’s document carries it', async () => {
  const caseId = await acceptedCase(suite.e);
  await inConsole(caseId, 'vendor-csaf', async (page) => {
    const form = await panel(page, 'vendor-csaf', 'vendor-csaf');
    const control = form.getByLabel('TLP of the vendors’ CSAF documents');
    expect(await control.inputValue()).toBe('AMBER+STRICT');
    await control.selectOption('RED');
    await form.getByRole('button', { name: 'Set the TLP' }).click();
    await flash(page, /Done/);
    await shots.take(page, 'vendor-csaf-red');
  });
  const view = (await caseView(caseId)) as CaseView & { vendorCsaf: { tlp: string } };
  expect(view.vendorCsaf.tlp).toBe('RED');
  expect(view.timeline.filter((t) => t.type === 'vendor-csaf-tlp-set')).toHaveLength(1);
});

it('contacts, links and CVE IDs: a reporter-suggested address waits for the coordinator (a cancelled confirmation changes nothing), a revoked link ends the vendor page at once, a new link works, and a vendor’s proposed CVE ID is accepted', async () => {
  // The reporter names their own address for Acme: a reporter posing as the vendor.
  const caseId = await reportedCase(suite.e, { vendors: [{ name: 'Acme', contactEmail: 'eve@attacker.example', contacted: false }] });
  const id = encodeURIComponent(caseId);
  expect(
    (
      await suite.e.call('POST', `/cases/${id}/triage`, {
        token: suite.e.coordinator,
        body: { decision: 'accept', reasons: [], comment: 'we coordinate' },
      })
    ).status,
  ).toBe(202);
  await suite.e.stack.settle();
  expect((await mailsAbout(suite.e, caseId)).filter((m) => m.destination.to.includes('eve@attacker.example'))).toEqual([]);

  await inConsole(caseId, 'contacts', async (page) => {
    await page.locator('#attention').waitFor();
    await shots.take(page, 'contacts-suggested');
    // Cancelling the confirmation sends nothing.
    await page.getByRole('button', { name: 'Confirm this contact' }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('heading').textContent()).toBe('Confirm eve@attacker.example for Acme?');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await noDialog(page);
    expect((await caseView(caseId)).phase).toBe('outreach');

    // The coordinator enters the vendor's real address instead, through the vendor edit form.
    const form = await panel(page, 'edit-vendor', 'edit-vendor');
    await form.getByLabel('Vendor', { exact: true }).selectOption('vendor-1');
    await form.getByLabel('Confirmed contacts (one e-mail per line)').fill('not an address');
    await form.getByRole('button', { name: 'Save the vendor' }).click();
    await inlineError(form, 'Confirmed contacts (one e-mail per line)', 'Enter e-mail addresses, one per line');
    await form.getByLabel('Confirmed contacts (one e-mail per line)').fill('psirt@acme.example');
    await form.getByRole('button', { name: 'Save the vendor' }).click();
    await confirm(page, 'Save the vendor');
    await flash(page, /Done/);
    await suite.e.stack.settle();
    await shots.take(page, 'contacts-confirmed');
  });
  const confirmed = await caseView(caseId);
  expect(confirmed.phase).toBe('embargo');
  expect(confirmed.vendors[0]?.contacts.map((c) => c.email)).toEqual(['psirt@acme.example']);
  expect((await mailsAbout(suite.e, caseId)).filter((m) => m.destination.to.includes('eve@attacker.example'))).toEqual([]);
  const first = (await mailsAbout(suite.e, caseId)).find((m) => m.destination.to.includes('psirt@acme.example') && vendorLinkIn(m));
  if (!first) throw new Error('no link mailed to the confirmed contact');
  const token = new URLSearchParams(vendorLinkIn(first)?.hash.slice(1)).get('token') ?? '';
  const vendorGet = (t: string) => suite.e.call('GET', `/vendor/cases/${id}`, { token: t });
  expect((await vendorGet(token)).status).toBe(200);

  // The vendor proposes a CVE ID; the coordinator revokes the link, then sends a new one and accepts the ID.
  expect(
    (
      await suite.e.call('PUT', `/vendor/cases/${id}/status`, {
        token,
        body: {
          vulnerabilities: [{ id: 'vul-1', status: 'affected' }],
          isCna: true,
          cveIds: [{ vulnerabilityId: 'vul-1', cveId: 'CVE-2026-55555' }],
        },
      })
    ).status,
  ).toBe(202);
  await inConsole(caseId, 'links', async (page) => {
    await page.getByRole('region', { name: 'Vendors' }).getByRole('button', { name: 'Revoke the link' }).click();
    await confirm(page, 'Revoke the link');
    await flash(page, /Done/);
    await shots.take(page, 'links-revoked');
  });
  expect((await vendorGet(token)).status).toBe(404);
  await inConsole(caseId, 'links-reissue', async (page) => {
    await page.getByRole('region', { name: 'Vendors' }).getByRole('button', { name: 'Send a new link' }).click();
    await confirm(page, 'Send a new link');
    await flash(page, /Done/);
    await suite.e.stack.settle();
    // A CVE ID typed by hand that is not one: stopped in the page.
    const cveForm = await panel(page, 'set-cve', 'set-cve');
    await cveForm.getByLabel('CVE ID').fill('CVE-26-1');
    await cveForm.getByRole('button', { name: 'Set the CVE ID' }).click();
    await inlineError(cveForm, 'CVE ID', 'A CVE ID looks like CVE-2026-12345');
    await page.getByRole('button', { name: 'Accept CVE-2026-55555' }).click();
    await confirm(page, 'Accept CVE-2026-55555');
    await flash(page, /Done/);
    await shots.take(page, 'cve-accepted');
  });
  const reissued = (await mailsAbout(suite.e, caseId)).find((m) => m.subject === `[${caseId}] Your new private link`);
  const fresh = new URLSearchParams(vendorLinkIn(reissued!)?.hash.slice(1)).get('token') ?? '';
  expect(fresh).not.toBe(token);
  expect((await vendorGet(fresh)).status).toBe(200);
  expect((await vendorGet(token)).status).toBe(404);
  expect((await caseView(caseId)).vulnerabilities[0]?.cveId).toBe('CVE-2026-55555');
});

it('message form: an internal note is marked and mails nobody; "vendors ticked" needs a tick; a message to Acme reaches Acme alone', async () => {
  const caseId = await acceptedCase(suite.e);
  const mailsBefore = (await mailsAbout(suite.e, caseId)).length;
  await inConsole(caseId, 'message', async (page) => {
    const form = await panel(page, 'message', 'message');
    await shots.take(page, 'message-form');

    // Empty: stopped in the page.
    await form.getByRole('button', { name: 'Send' }).click();
    await inlineError(form, 'Message', 'The message cannot be empty');

    // An internal note, with markup that stays text.
    await form.getByLabel('To', { exact: true }).selectOption('internal');
    await form.getByLabel('Message').fill('Internal: <b>check</b> the patch first');
    await form.getByRole('button', { name: 'Send' }).click();
    await flash(page, /Message sent/);
    await page.getByText('internal note (coordinators only)').first().waitFor();
    await page.getByText('Internal: <b>check</b> the patch first').waitFor();
    await shots.take(page, 'message-internal');

    // "The vendors ticked below" with nothing ticked: stopped in the page, nothing sent.
    const again = await panel(page, 'message', 'message');
    await again.getByLabel('To', { exact: true }).selectOption('selected');
    await again.getByLabel('Message').fill('For Acme only');
    await again.getByRole('button', { name: 'Send' }).click();
    await inlineError(again, 'To', 'Tick at least one vendor');
    await again.getByLabel('Acme').check();
    await again.getByRole('button', { name: 'Send' }).click();
    await flash(page, /Message sent/);
    await suite.e.stack.settle();
    await page.getByText('to Acme').first().waitFor();
    await shots.take(page, 'message-to-acme');
  });
  const all = (await suite.e.call('GET', `/cases/${encodeURIComponent(caseId)}/messages`, { token: suite.e.coordinator })).json as {
    messages: { audience: string; to: { reporter: boolean; vendorIds: string[] } | null; body: string }[];
  };
  expect(all.messages.map((m) => [m.audience, m.body]).sort()).toEqual(
    [
      ['internal', 'Internal: <b>check</b> the patch first'],
      ['selected', 'For Acme only'],
    ].sort(),
  );
  const mails = await mailsAbout(suite.e, caseId);
  expect(mails.length).toBeGreaterThan(mailsBefore);
  // One e-mail, to Acme's contact; none for the internal note, and no words of either message.
  expect(mails.filter((m) => /New message/.test(m.subject)).map((m) => m.destination.to)).toEqual([[ACME]]);
  expect(JSON.stringify(mails)).not.toContain('the patch first');
  expect(JSON.stringify(mails)).not.toContain('For Acme only');
});

it('a bounce: the banner names the vendor whose every contact bounced, the contact is badged, and the queue flags the case', async () => {
  const caseId = await acceptedCase(suite.e);
  expect((await caseView(caseId)).phase).toBe('embargo');
  // What SES would publish for the vendor's address, fed to the same handler (POST /_local/bounce).
  const r = await suite.e.call('POST', '/_local/bounce', {
    token: suite.e.stack.devToken,
    body: { email: 'psirt@acme.example', caseId, kind: 'bounce' },
  });
  expect(r.status, r.text).toBe(200);
  await inConsole(caseId, 'bounce', async (page) => {
    await expect.poll(() => page.locator('#attention').textContent()).toMatch(/Every contact of Acme bounced or complained/);
    await page.getByRole('region', { name: 'Vendors' }).getByText('bouncing').waitFor();
    await shots.take(page, 'contact-bouncing');
    // The queue: the case's row says why it needs a coordinator.
    await page.evaluate("location.hash = '#/'");
    await page.getByRole('row').filter({ hasText: caseId }).getByText('contacts bouncing').waitFor();
    await shots.take(page, 'queue-bouncing');
  });
});

it('a large case: the case view carries the first 50 vendors, and the console reads the rest page by page and shows every one', async () => {
  const caseId = await acceptedCase(suite.e);
  const id = encodeURIComponent(caseId);
  // 60 vendors named without an address: nobody is mailed, each waits for a contact.
  const names = Array.from({ length: 60 }, (_, i) => `Vendor ${String(i + 1).padStart(2, '0')}`);
  const r = await suite.e.call('POST', `/cases/${id}/vendors`, {
    token: suite.e.coordinator,
    body: { vendors: names.map((name) => ({ name })) },
  });
  expect(r.status, r.text).toBe(202);
  await suite.e.stack.settle();
  const view = (await suite.e.call('GET', `/cases/${id}`, { token: suite.e.coordinator })).json as {
    vendors: unknown[];
    vendorsTotal: number;
    vendorsNext: string | null;
  };
  expect(view.vendors).toHaveLength(50);
  expect(view.vendorsTotal).toBe(61);
  expect(view.vendorsNext).not.toBeNull();
  await inConsole(caseId, 'large-case', async (page) => {
    const vendors = page.getByRole('region', { name: 'Vendors' });
    // The last vendor is past the view's first page: only the paging brings it.
    await vendors.getByText('Vendor 60', { exact: true }).waitFor();
    // A header row, Acme, and the 60 added.
    expect(await vendors.locator('table').first().getByRole('row').count()).toBe(62);
    // The vendor editor offers every vendor too, the one past the first page included.
    const form = await panel(page, 'edit-vendor', 'edit-vendor');
    const options = await form.getByLabel('Vendor', { exact: true }).locator('option').allTextContents();
    expect(options).toHaveLength(61);
    expect(options).toContain('Vendor 60 (vendor-61)');
    await shots.take(page, 'large-case-vendors');
  });
});
