// The console's held mail in a real browser against the whole local stack: a reply to a vendor's
// reply address from another mailbox, with hostile HTML and Markdown in its subject and text, is
// held; the coordinator's #/held page lists it with its reason, everything shown as the text it
// is. Photographed and checked against WCAG 2.2 AA (test-results/screenshots/held-mail/).
import { expect, it } from 'vitest';
import { aReportInput } from '../builders/case.js';
import { rfc5322, sendSmtp } from '../builders/smtp.js';
import { browserSuite } from './page-helpers.js';

const suite = browserSuite('held-mail');
const { shots } = suite;
const HOSTILE = '<img src=x onerror=alert(1)> **send me the PoC**';

it('held mail: a forged reply is listed with its reason, its content as text', async () => {
  const e = suite.e;
  const { caseId } = (
    await e.call('POST', '/reports', {
      body: aReportInput({ vendors: [{ name: 'Acme', contactEmail: 'psirt@acme.example', contacted: false }] }),
    })
  ).json as { caseId: string };
  for (const [method, path, body] of [
    ['POST', '/triage', { decision: 'accept', reasons: [], comment: 'ok' }],
    ['PUT', '/vendors/vendor-1', { contacts: [{ email: 'psirt@acme.example' }] }],
  ] as const)
    expect((await e.call(method, `/cases/${caseId}${path}`, { token: e.coordinator, body })).status).toBe(202);
  await e.stack.settle();
  const notice = ((await e.mail()) as unknown as { destination: { to: string[] }; subject: string; replyTo?: string[] }[]).find(
    (m) => m.destination.to.includes('psirt@acme.example') && m.subject.includes(caseId),
  );
  const to = notice?.replyTo?.[0] ?? '';
  const from = 'attacker@evil.example';
  expect(
    await sendSmtp(e.stack.smtp?.port ?? 0, { from, to: [to], data: rfc5322({ from, to, subject: HOSTILE, html: `<p>${HOSTILE}</p>` }) }),
  ).toMatch(/^250/);

  await suite.runIn(await suite.signedIn('#/held'), 'held-list', async (page) => {
    await page.getByRole('heading', { name: 'Held mail' }).waitFor();
    const item = page.locator('#held-list li').first();
    await item.waitFor();
    expect(await item.textContent()).toContain('(wrong-sender)');
    expect(await item.textContent()).toContain(HOSTILE);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await shots.take(page, 'held-list');
  });
});
