// The console's hosted sign-in (OAuth 2.0 code flow with PKCE, as Cognito offers it on AWS) in a
// real browser against the local stack, with a stand-in sign-in service (fake-sign-in.ts): the
// console sends the coordinator there and back, trades the code, and uses the ID token for the
// API; a return it did not start is refused before any code is traded; an ended session asks to
// sign in again; signing out ends the service's session too. The draft renders as the note will.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { bootStack } from '../builders/local-stack.js';
import { type FakeSignIn, startFakeSignIn } from './fake-sign-in.js';
import { acceptedCase, browserSuite, flash } from './page-helpers.js';

const DEV_TOKEN = 'e2e-dev-token'; // what bootStack gives the local API as the coordinator's token

let fake: FakeSignIn;
const suite = browserSuite('console-sign-in', {
  boot: async () => {
    fake = await startFakeSignIn({ idToken: DEV_TOKEN, redirectUri: () => `${suite.e.stack.apiUrl}/console/` });
    return bootStack({ consoleSignIn: fake.settings });
  },
  close: async () => fake?.close(),
});
const { shots, log } = suite;

// Page scripts as strings: the tests are compiled without the DOM types.
const storedToken = (page: Page) => page.evaluate<string | null>("sessionStorage.getItem('cvd-coordinator-token')");
const storeToken = (page: Page, t: string) => page.evaluate(`sessionStorage.setItem('cvd-coordinator-token', ${JSON.stringify(t)})`);

it('signs a coordinator in through the sign-in service and back, and out again', async () => {
  const caseId = await acceptedCase(suite.e);
  const page = await suite.newPage();
  try {
    await page.goto(`${suite.e.stack.apiUrl}/console/`);
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    expect(await page.getByLabel('Coordinator token').count()).toBe(0); // no token prompt when there is a sign-in service
    await shots.take(page, 'console-sign-in');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Fake hosted sign-in' }).waitFor();
    await shots.take(page, 'sign-in-service');
    const authorize = new URL(page.url());
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${suite.e.stack.apiUrl}/console/`);

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: caseId }).waitFor();
    await shots.take(page, 'console-signed-in');
    expect(fake.log).toEqual(['authorize', 'sign-in', 'token']);
    expect(new URL(page.url()).search).toBe(''); // code and state leave the address bar
    expect(await storedToken(page)).toBe(DEV_TOKEN);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    expect(fake.log.at(-1)).toBe('logout');
    expect(await storedToken(page)).toBeNull();
    expect(log.problems).toEqual([]);
  } finally {
    await page.close();
  }
});

it('refuses a return it did not start, without trading the code', async () => {
  const page = await suite.newPage();
  try {
    const before = fake.log.length;
    await page.goto(`${suite.e.stack.apiUrl}/console/?code=stolen-code&state=forged-state`);
    await page.getByText('This sign-in was not started from this tab').waitFor();
    await shots.take(page, 'console-forged-return');
    expect(fake.log.slice(before)).toEqual([]);
    expect(await storedToken(page)).toBeNull();
    expect(new URL(page.url()).search).toBe('');

    await page.goto(`${suite.e.stack.apiUrl}/console/?error=access_denied&error_description=User+is+disabled`);
    await page.getByText('Sign-in failed: User is disabled').waitFor();
    expect(log.problems).toEqual([]);
  } finally {
    await page.close();
  }
});

it('asks to sign in again when the API no longer takes the token', async () => {
  const page = await suite.newPage();
  try {
    await page.goto(`${suite.e.stack.apiUrl}/console/`);
    await storeToken(page, 'an-expired-token');
    await page.reload();
    await page.getByText('Your session has ended. Sign in again.').waitFor();
    await log.expectProblem(/status of 401/);
    expect(await storedToken(page)).toBeNull();
    expect(log.problems).toEqual([]);
  } finally {
    await page.close();
  }
});

it('shows a draft as the note will read, with its Markdown a click away, and previews an edit', async () => {
  const caseId = await acceptedCase(suite.e);
  const markdown = '## Overview\n\nA **heap overflow** in `parse()`; see <https://example.org/advisory>.\n\n<script>alert(1)</script>';
  const r = await suite.e.call('PUT', `/cases/${encodeURIComponent(caseId)}/draft`, { token: DEV_TOKEN, body: { markdown } });
  expect(r.status, r.text).toBe(202);
  const page = await suite.newPage();
  try {
    await page.goto(`${suite.e.stack.apiUrl}/console/`);
    await storeToken(page, DEV_TOKEN);
    await page.goto(`${suite.e.stack.apiUrl}/console/#/cases/${encodeURIComponent(caseId)}`);
    await page.reload(); // the console reads the stored token when it loads
    const note = page.locator('.draft-view .note-preview').first();
    await note.waitFor();
    expect(await note.locator('h2').textContent()).toBe('Overview');
    expect(await note.locator('strong').textContent()).toBe('heap overflow');
    expect(await note.locator('a').getAttribute('href')).toBe('https://example.org/advisory');
    expect(await note.locator('script').count()).toBe(0); // raw HTML stays text
    expect(await note.textContent()).toContain('<script>alert(1)</script>');
    await shots.take(page, 'console-draft-rendered');

    await page.locator('summary', { hasText: 'Edit the draft' }).click();
    const editor = page.getByLabel('Note (Markdown)');
    await editor.fill('## New title\n\nSecond revision.');
    const preview = page.locator('.live-preview .note-preview');
    await expect.poll(() => preview.locator('h2').textContent()).toBe('New title');
    await shots.take(page, 'console-draft-preview');
    await page.getByRole('button', { name: 'Save a new revision' }).click();
    await flash(page, /./);
    await expect
      .poll(
        async () =>
          (
            (await suite.e.call('GET', `/cases/${encodeURIComponent(caseId)}`, { token: DEV_TOKEN })).json as {
              draft: { revisions: { markdown: string }[] };
            }
          ).draft.revisions.at(-1)?.markdown,
      )
      .toBe('## New title\n\nSecond revision.');
    expect(log.problems).toEqual([]);
  } finally {
    await page.close();
  }
});
