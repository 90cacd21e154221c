// The vendor directory, through HTTP on the local stack: a vendor named without an address makes
// the case wait on the coordinator, who finds the organisation in the directory by an alias, links
// the case's vendor to it, and the vendor is contacted at the directory's address with its own
// link; a second organisation is added by vendorRef alone; each one's history shows the case and
// how fast it acknowledged. A participant's token opens none of the directory routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, type Mail, bootStack } from '../builders/local-stack.js';
import { aReportInput } from '../builders/case.js';

let e: E2E;
beforeAll(async () => {
  e = await bootStack();
});
afterAll(async () => {
  await e.stop();
});

interface View {
  phase: string;
  attention: { kind: string; vendorIds: string[] }[];
  vendors: { vendorId: string; name: string; vendorRef?: string; firstContactAt: string | null; contacts: { email: string }[] }[];
}
interface History {
  name: string;
  history: {
    cases: { caseId: string; title: string; phase: string; hoursToAcknowledge: number | null; unresponsive: boolean }[];
    acknowledged: number;
    timesUnresponsive: number;
  };
}

const tokenIn = (m: Mail) => decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(m.body.text ?? '')?.[1] ?? '');
const mailsTo = async (to: string, caseId: string) =>
  (await e.mail()).filter((m) => m.destination.to.includes(to) && m.subject.includes(`[${caseId}]`));
async function coordinator(method: string, path: string, body?: unknown, expected = 202) {
  const r = await e.call(method, path, { token: e.coordinator, ...(body === undefined ? {} : { body }) });
  expect(r.status, `${method} ${path}: ${r.text}`).toBe(expected);
  return r;
}
const view = async (caseId: string) => (await coordinator('GET', `/cases/${caseId}`, undefined, 200)).json as View;

describe('the vendor directory', () => {
  it('a vendor without an address waits on the coordinator, who links it to the directory’s organisation, and the vendor is contacted there', async () => {
    const report = await e.call('POST', '/reports', {
      body: aReportInput({ title: 'Directory e2e flaw', vendors: [{ name: 'Acme', contacted: false }] }),
    });
    expect(report.status, report.text).toBe(201);
    const { caseId, reporterToken } = report.json as { caseId: string; reporterToken: string };
    await e.advance('PT0S');
    await coordinator('POST', `/cases/${caseId}/triage`, { decision: 'accept', reasons: [], comment: 'we coordinate this' });
    expect((await view(caseId)).attention).toEqual([{ kind: 'vendor-without-contact', vendorIds: ['vendor-1'] }]);

    // The organisation goes into the directory once, with the address its PSIRT publishes.
    const created = await coordinator(
      'POST',
      '/directory/vendors',
      {
        name: 'Acme Corporation',
        aliases: ['ACME', 'Road Runner Labs'],
        contacts: [{ email: 'psirt@acme-corp.example', name: 'Acme PSIRT' }],
      },
      201,
    );
    const acmeRef = (created.json as { vendorRef: string }).vendorRef;
    // Found as typed, by a piece of an alias.
    const found = (await coordinator('GET', '/directory/vendors?q=runner', undefined, 200)).json as { vendors: { vendorRef: string }[] };
    expect(found.vendors.map((v) => v.vendorRef)).toEqual([acmeRef]);

    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, { vendorRef: acmeRef });
    await e.advance('PT0S');
    const v = await view(caseId);
    expect(v.phase).toBe('embargo');
    expect(v.attention).toEqual([]);
    expect(v.vendors[0]).toMatchObject({ name: 'Acme Corporation', vendorRef: acmeRef, contacts: [{ email: 'psirt@acme-corp.example' }] });
    expect(v.vendors[0]?.firstContactAt).not.toBeNull();
    const mails = (await mailsTo('psirt@acme-corp.example', caseId)).filter((m) => tokenIn(m));
    expect(mails).toHaveLength(1);
    const vendorToken = tokenIn(mails[0]!);
    expect((await e.call('GET', `/vendor/cases/${caseId}`, { token: vendorToken })).status).toBe(200);

    // A second organisation, added by its ref alone, is contacted at once too.
    const globex = await coordinator(
      'POST',
      '/directory/vendors',
      { name: 'Globex', contacts: [{ email: 'security@globex.example' }] },
      201,
    );
    const globexRef = (globex.json as { vendorRef: string }).vendorRef;
    await coordinator('POST', `/cases/${caseId}/vendors`, { vendors: [{ vendorRef: globexRef }] });
    await e.advance('PT0S');
    expect((await mailsTo('security@globex.example', caseId)).filter((m) => tokenIn(m))).toHaveLength(1);
    // The same organisation twice on one case: refused.
    await coordinator('POST', `/cases/${caseId}/vendors`, { vendors: [{ vendorRef: globexRef }] }, 409);

    // Acme acknowledges a few hours later; its history shows the case and how long it took.
    await e.advance('PT3H');
    expect((await e.call('POST', `/vendor/cases/${caseId}/acknowledge`, { token: vendorToken, body: {} })).status).toBe(202);
    await e.advance('PT0S');
    const history = (await coordinator('GET', `/directory/vendors/${acmeRef}`, undefined, 200)).json as History;
    expect(history.history.cases).toEqual([
      expect.objectContaining({ caseId, title: 'Directory e2e flaw', phase: 'embargo', unresponsive: false }),
    ]);
    expect(history.history.cases[0]?.hoursToAcknowledge).toBeGreaterThanOrEqual(3);
    expect(history.history.acknowledged).toBe(1);

    // Neither the vendor nor the reporter opens the directory.
    for (const token of [vendorToken, reporterToken]) {
      expect((await e.call('GET', '/directory/vendors', { token })).status).toBe(401);
      expect((await e.call('GET', `/directory/vendors/${acmeRef}`, { token })).status).toBe(401);
      expect((await e.call('POST', '/directory/vendors', { token, body: { name: 'Evil' } })).status).toBe(401);
      expect(
        (await e.call('PUT', `/directory/vendors/${acmeRef}`, { token, body: { name: 'Evil', isCna: true, version: 1 } })).status,
      ).toBe(401);
    }
  });
});
