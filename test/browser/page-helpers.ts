// Shared by the browser tests: collecting page and console errors, numbered screenshots in one
// folder per test file, the confirmation dialog, the "Done" flash, opening a vendor link from an
// e-mail, and a case set up through the API (report, accepted triage) for the forms to act on.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { ReportInput } from '../../functions/domain/report.js';
import { aReportInput } from '../builders/case.js';
import { type E2E, type Mail, bootStack } from '../builders/local-stack.js';
import { launchChromium } from './chromium.js';

// ---- one browser test file ------------------------------------------------------------------------

export interface BrowserSuite {
  readonly shots: Screenshots;
  readonly log: ProblemLog;
  /** The local stack; there once the file's beforeAll has run. */
  readonly e: E2E;
  readonly context: BrowserContext;
  /** A new tab whose page and console errors go to `log`. */
  newPage(): Promise<Page>;
  /** A new tab on the console at `hash` (e.g. `#/held`), signed in with the dev token. */
  signedIn(hash: string): Promise<Page>;
  /** Runs a scenario in a tab and closes it; a failure leaves a screenshot, and no page or console error may remain. */
  runIn(page: Page, name: string, scenario: (page: Page) => Promise<void>): Promise<void>;
}

/**
 * The hooks every browser test file needs: the local stack (or `boot`'s) and chromium started once,
 * the problem log emptied before each test, each test's accessibility findings asserted after it,
 * and everything closed at the end (`close` first, for what `boot` started besides the stack).
 * `ignore`: console errors the file expects throughout (see ProblemLog).
 */
export function browserSuite(
  folder: string,
  opts: { boot?: () => Promise<E2E>; close?: () => Promise<void>; ignore?: RegExp } = {},
): BrowserSuite {
  const shots = new Screenshots(folder);
  const log = new ProblemLog(opts.ignore);
  let e: E2E | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const ready = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('the browser suite is not started yet (used outside a test?)');
    return x;
  };

  beforeAll(async () => {
    shots.reset();
    [e, browser] = await Promise.all([(opts.boot ?? bootStack)(), launchChromium()]);
  }, 300_000);
  beforeEach(() => {
    log.problems.length = 0;
  });
  // WCAG 2.2 A and AA on every page state each test photographed.
  afterEach(() => {
    expect(shots.inaccessible.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await opts.close?.();
    await e?.stop();
  });

  return {
    shots,
    log,
    get e() {
      return ready(e);
    },
    get context() {
      return ready(browser).context;
    },
    newPage: async () => log.watch(await ready(browser).context.newPage()),
    async signedIn(hash) {
      const page = log.watch(await ready(browser).context.newPage());
      await page.goto(`${ready(e).stack.apiUrl}/console/${hash}`);
      await page.getByLabel('Coordinator token').fill(ready(e).coordinator);
      await page.getByRole('button', { name: 'Sign in' }).click();
      return page;
    },
    async runIn(page, name, scenario) {
      try {
        await scenario(page);
      } catch (err) {
        await shots.take(page, `${name}-FAILED`).catch(() => undefined);
        throw err;
      } finally {
        await page.close();
      }
      expect(log.problems).toEqual([]);
    },
  };
}

// ---- page errors and console errors ---------------------------------------------------------

/**
 * Collects every page error and console error of the pages it watches. `ignore` drops console
 * errors matching it; `expectProblem` takes out one expected error (e.g. the browser's "status of
 * 400" line for a request a test makes fail on purpose), so that `problems` ends empty.
 */
export class ProblemLog {
  readonly problems: string[] = [];
  constructor(private readonly ignore?: RegExp) {}

  watch(page: Page): Page {
    page.on('pageerror', (err) => this.problems.push(`page error on ${page.url()}: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !this.ignore?.test(m.text())) this.problems.push(`console error on ${page.url()}: ${m.text()}`);
    });
    return page;
  }

  /** Waits for one problem matching `pattern` and removes it; fails when none comes. */
  async expectProblem(pattern: RegExp): Promise<void> {
    await expect
      .poll(() => this.problems.some((p) => pattern.test(p)), {
        timeout: 10_000,
        message: `expected a console error matching ${pattern}; got ${JSON.stringify(this.problems)}`,
      })
      .toBe(true);
    this.problems.splice(
      this.problems.findIndex((p) => pattern.test(p)),
      1,
    );
  }
}

// ---- screenshots ------------------------------------------------------------------------------

export const SCREENSHOTS = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/**
 * Numbered screenshots in test-results/screenshots/<folder>/, one folder per test file. Every page
 * state photographed is also checked against WCAG 2.2 A and AA (axe-core); what fails collects in
 * `inaccessible`, which each test file asserts empty.
 */
export class Screenshots {
  readonly dir: string;
  readonly inaccessible: string[] = [];
  count = 0;
  constructor(folder: string) {
    this.dir = path.join(SCREENSHOTS, folder);
  }

  /** Empties this file's folder (and only it: the other browser files may be running). */
  reset(): void {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    this.count = 0;
  }

  async take(page: Page, name: string, fullPage = true): Promise<void> {
    this.count += 1;
    await page.screenshot({ path: path.join(this.dir, `${String(this.count).padStart(2, '0')}-${name}.png`), fullPage });
    for (const v of await accessibilityViolations(page)) this.inaccessible.push(`${name}: ${v}`);
  }
}

// ---- accessibility ----------------------------------------------------------------------------

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe-core's WCAG 2.2 A and AA rules (labels, names, contrast, landmarks, keyboard traps…) on the
 * page as it is now, one line per violation. axe goes in through DevTools, which the page's CSP
 * does not govern, so the page under test runs with its real policy.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Once per document (the console changes state without reloading): the source is half a megabyte.
  if (await page.evaluate<boolean>(`typeof axe === 'undefined'`)) await page.evaluate(AXE_SOURCE);
  // resultTypes: only the violations get their node details; every rule still runs.
  const script = `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA)} }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`;
  return page.evaluate<string[]>(script);
}

// ---- phones ------------------------------------------------------------------------------------

export const PHONE = { width: 390, height: 844 };

/**
 * Shows the page at a phone's width and checks that the page as a whole does not scroll sideways
 * (wide tables scroll inside their own regions).
 */
export async function expectFitsPhone(page: Page): Promise<void> {
  await page.setViewportSize(PHONE);
  const widths = await page.evaluate<{ scroll: number; client: number }>(
    '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
  );
  expect(widths.scroll, `the page is ${widths.scroll}px wide on a ${widths.client}px screen`).toBeLessThanOrEqual(widths.client);
}

// ---- common page interactions -----------------------------------------------------------------

/** Confirms the modal dialog with the named button. */
export async function confirm(page: Page, button: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.isVisible()).toBe(true);
  await dialog.getByRole('button', { name: button }).click();
}

/**
 * Waits for the success notice shown after an action, one not seen before: a second action on the
 * same page must not pass on the notice of the first while its own request is still under way.
 */
export async function flash(page: Page, text: RegExp): Promise<void> {
  const fresh = page.locator('.notice.ok:not([data-seen])', { hasText: text }).first();
  await fresh.waitFor({ timeout: 30_000 });
  await fresh.evaluate((el) => el.setAttribute('data-seen', ''));
}

/** The vendor link (`/vendor#token=…`) in an e-mail, or undefined. */
export function vendorLinkIn(mail: Mail): URL | undefined {
  const m = /https?:\/\/\S+\/vendor#token=[^\s)>\]]+/.exec(mail.body.text ?? '');
  return m ? new URL(m[0]) : undefined;
}

/**
 * Opens the vendor link of an e-mail on this stack and waits for the case. The link carries only
 * the token: when the page asks for the case id, it is typed in from the e-mail's subject
 * (`onAsk` runs first, e.g. for a screenshot of the question).
 */
export async function openVendorLink(page: Page, base: string, mail: Mail, caseId: string, onAsk?: () => Promise<void>): Promise<void> {
  const link = vendorLinkIn(mail);
  if (!link) throw new Error(`no vendor link in "${mail.subject}"`);
  await page.goto(`${base}${link.pathname}${link.hash}`);
  const askCase = page.getByLabel('Case id');
  // One locator for either outcome: a race of two waits would leave the loser to time out later.
  await page.locator('#case-id').or(askCase).first().waitFor();
  if (await askCase.isVisible()) {
    await onAsk?.();
    await askCase.fill(/\[([^\]]+)\]/.exec(mail.subject)?.[1] ?? '');
    await page.getByRole('button', { name: 'Open the case' }).click();
  }
  await expect.poll(() => page.locator('#case-id').textContent()).toBe(caseId);
}

// ---- a case to act on, set up through the API ------------------------------------------------------

/** A report through `POST /reports` (phase `triage` once the workflow has run). Returns the case id. */
export async function reportedCase(e: E2E, overrides: Partial<ReportInput> = {}): Promise<string> {
  const r = await e.call('POST', '/reports', { body: aReportInput(overrides) });
  expect(r.status, r.text).toBe(201);
  return (r.json as { caseId: string }).caseId;
}

/**
 * A report through `POST /reports`, an accepted triage and the reporter's suggested vendor address
 * confirmed by the coordinator: the vendor is e-mailed and the embargo runs (phase `embargo`).
 * Returns the case id.
 */
export async function acceptedCase(e: E2E, overrides: Partial<ReportInput> = {}): Promise<string> {
  const caseId = await reportedCase(e, overrides);
  const id = encodeURIComponent(caseId);
  const t = await e.call('POST', `/cases/${id}/triage`, {
    token: e.coordinator,
    body: { decision: 'accept', reasons: [], comment: 'A credible report: we coordinate.' },
  });
  expect(t.status, t.text).toBe(202);
  const view = (await e.call('GET', `/cases/${id}`, { token: e.coordinator })).json as {
    vendors: { vendorId: string; suggestedContacts: { email: string }[] }[];
  };
  for (const v of view.vendors) {
    if (!v.suggestedContacts.length) continue;
    const c = await e.call('PUT', `/cases/${id}/vendors/${v.vendorId}`, {
      token: e.coordinator,
      body: { contacts: v.suggestedContacts.map((x) => ({ email: x.email })) },
    });
    expect(c.status, c.text).toBe(202);
  }
  await e.stack.settle();
  return caseId;
}

/** The e-mails about one case (its id is in every subject), newest first. */
export async function mailsAbout(e: E2E, caseId: string): Promise<Mail[]> {
  return (await e.mail()).filter((m) => m.subject.includes(`[${caseId}]`));
}
