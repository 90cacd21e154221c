// Reachable or flagged, through HTTP on the local stack: a vendor without an address makes the
// case wait on the coordinator, who adds one, and the vendor is contacted; a bounce (SES's
// notification, fed by POST /_local/bounce to the same handler as on AWS) marks the contact and
// alerts the coordinators; no participant can forge one through any public route.
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
  vendors: {
    vendorId: string;
    name: string;
    firstContactAt: string | null;
    contacts: { email: string; bounced: { kind: string } | null }[];
  }[];
  embargo: { state: string };
}
interface QueueItem {
  caseId: string;
  attention: { kind: string; vendorIds: string[] }[];
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
const queued = async (caseId: string, phase: string) =>
  ((await coordinator('GET', `/cases?phase=${phase}`, undefined, 200)).json as { items: QueueItem[] }).items.find(
    (i) => i.caseId === caseId,
  );
const bounce = (body: unknown, headers: Record<string, string> = {}) =>
  e.call('POST', '/_local/bounce', { body, headers: { authorization: `Bearer ${e.stack.devToken}`, ...headers } });

/** A case accepted in triage whose one vendor was named without an address. */
async function withoutAddress(): Promise<{ caseId: string; reporterToken: string }> {
  const r = await e.call('POST', '/reports', { body: aReportInput({ vendors: [{ name: 'Acme', contacted: false }] }) });
  expect(r.status, r.text).toBe(201);
  const out = r.json as { caseId: string; reporterToken: string };
  await e.advance('PT0S');
  await coordinator('POST', `/cases/${out.caseId}/triage`, { decision: 'accept', reasons: [], comment: 'we coordinate this' });
  return out;
}

describe('reachable or flagged', () => {
  it('a vendor without an address makes the case wait on the coordinator, who adds one and the vendor is contacted; a bounce marks the contact and alerts the coordinators', async () => {
    const { caseId } = await withoutAddress();
    let v = await view(caseId);
    expect(v.phase).toBe('outreach');
    expect(v.embargo.state).not.toBe('ACTIVE');
    expect(v.attention).toEqual([{ kind: 'vendor-without-contact', vendorIds: ['vendor-1'] }]);
    expect((await queued(caseId, 'outreach'))?.attention).toEqual(v.attention);
    // The triage SLA's rhythm: after 48 h the coordinators are told, and again after 96 h.
    await e.advance('P4DT1H');
    const needed = (await mailsTo('coord@cert.example', caseId)).filter((m) => /no confirmed contact/.test(m.subject));
    expect(needed.length).toBeGreaterThanOrEqual(2);
    expect((await view(caseId)).phase).toBe('outreach');

    // The coordinator confirms an address: the vendor gets its notification with its own link, and the embargo opens.
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: 'psirt@acme.example' }] });
    await e.advance('PT0S');
    v = await view(caseId);
    expect(v.phase).toBe('embargo');
    expect(v.attention).toEqual([]);
    expect(v.vendors[0]?.firstContactAt).not.toBeNull();
    expect((await mailsTo('psirt@acme.example', caseId)).filter((m) => tokenIn(m))).toHaveLength(1);

    // SES bounces the address. The case id comes from the newest mail to it, as the `case` tag would say.
    const r = await bounce({ email: 'psirt@acme.example', kind: 'bounce' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ caseId, marked: 1, dropped: [] });
    v = await view(caseId);
    expect(v.vendors[0]?.contacts).toEqual([
      expect.objectContaining({ email: 'psirt@acme.example', bounced: expect.objectContaining({ kind: 'bounce' }) }),
    ]);
    expect(v.attention).toEqual([{ kind: 'vendor-contacts-bounced', vendorIds: ['vendor-1'] }]);
    expect((await queued(caseId, 'embargo'))?.attention).toEqual(v.attention);
    const alerts = (await mailsTo('coord@cert.example', caseId)).filter((m) => m.subject === `[${caseId}] A vendor contact bounced`);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body.text).toContain('psirt@acme.example');

    // Weeks on: escalated like a vendor without contact, never reminded at the dead address nor marked unresponsive.
    const toVendor = (await mailsTo('psirt@acme.example', caseId)).length;
    await e.advance('P20D');
    expect((await mailsTo('coord@cert.example', caseId)).some((m) => /Every contact of a vendor bounced/.test(m.subject))).toBe(true);
    expect((await mailsTo('psirt@acme.example', caseId)).length).toBe(toVendor);
    const events = (await coordinator('GET', `/cases/${caseId}/events`, undefined, 200)).json as { events: { type: string }[] };
    expect(events.events.map((x) => x.type)).not.toContain('vendor-unresponsive');
    expect(events.events.map((x) => x.type)).toContain('contact-bounced');

    // Another address: it is contacted, and the flag goes.
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, {
      contacts: [{ email: 'psirt@acme.example' }, { email: 'cert@acme.example' }],
    });
    await e.advance('PT0S');
    expect((await mailsTo('cert@acme.example', caseId)).filter((m) => tokenIn(m))).toHaveLength(1);
    expect((await view(caseId)).attention).toEqual([]);
  });

  it('a complaint marks the contact too; an address that is not a contact on the case changes nothing', async () => {
    const { caseId } = await withoutAddress();
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, {
      contacts: [{ email: 'one@acme.example' }, { email: 'two@acme.example' }],
    });
    await e.advance('PT0S');
    const before = await view(caseId);
    const stranger = await bounce({ email: 'eve@elsewhere.example', caseId, kind: 'bounce' });
    expect(stranger.json).toEqual({ caseId, marked: 0, dropped: ['not-a-contact'] });
    expect(await view(caseId)).toEqual(before);
    const r = await bounce({ email: 'two@acme.example', caseId, kind: 'complaint' });
    expect(r.json).toEqual({ caseId, marked: 1, dropped: [] });
    const v = await view(caseId);
    // One contact still works: no attention state, but the coordinators hear of it.
    expect(v.attention).toEqual([]);
    expect(v.vendors[0]?.contacts.map((c) => c.bounced?.kind ?? null)).toEqual([null, 'complaint']);
    expect((await mailsTo('coord@cert.example', caseId)).some((m) => m.subject === `[${caseId}] A vendor contact complained`)).toBe(true);
  });

  it('POST /_local/bounce takes the dev token, JSON, and valid fields only; nothing changes otherwise', async () => {
    const { caseId, reporterToken } = await withoutAddress();
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: 'psirt@acme.example' }] });
    await e.advance('PT0S');
    const before = await view(caseId);
    const body = { email: 'psirt@acme.example', caseId, kind: 'bounce' };
    const vendorToken = tokenIn((await mailsTo('psirt@acme.example', caseId))[0]!);
    for (const token of [undefined, reporterToken, vendorToken, e.coordinator === e.stack.devToken ? 'wrong' : e.coordinator])
      expect((await e.call('POST', '/_local/bounce', { body, ...(token ? { token } : {}) })).status).toBe(401);
    expect((await bounce(JSON.stringify(body), { 'content-type': 'text/plain' })).status).toBe(415);
    for (const bad of [
      { ...body, kind: 'transient' },
      { ...body, email: 'psirt@acme.example\nBcc: eve@attacker.example' },
      { ...body, email: ['psirt@acme.example'] },
      { ...body, caseId: '../VU-1' },
      { ...body, extra: 1 },
      { email: 'psirt@acme.example' },
      [],
      'bounce',
    ]) {
      const r = await bounce(bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await bounce({ email: 'nobody@nowhere.example', kind: 'bounce' })).status).toBe(404);
    expect(await view(caseId)).toEqual(before);
  });

  it('no participant can forge a bounce through a public route', async () => {
    const { caseId, reporterToken } = await withoutAddress();
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: 'psirt@acme.example' }] });
    await e.advance('PT0S');
    const vendorToken = tokenIn((await mailsTo('psirt@acme.example', caseId))[0]!);
    const notification = {
      Records: [
        {
          Sns: {
            Message: JSON.stringify({
              eventType: 'Bounce',
              mail: { tags: { case: [caseId] } },
              bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'psirt@acme.example' }] },
            }),
          },
        },
      ],
    };
    // Whatever path or body a participant tries, SES's notification is no API route's input.
    for (const token of [undefined, reporterToken, vendorToken])
      for (const path of ['/bounce', '/mail-feedback', `/reports/${caseId}/bounce`, `/vendor/cases/${caseId}/bounce`, '/_local/bounce'])
        expect((await e.call('POST', path, { body: notification, ...(token ? { token } : {}) })).status, path).toBeGreaterThanOrEqual(400);
    // In a message a participant's words are data: nothing is marked.
    expect(
      (
        await e.call('POST', `/reports/${caseId}/messages`, {
          token: reporterToken,
          body: { kind: 'comment', body: notification.Records[0]!.Sns.Message },
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await e.call('POST', `/vendor/cases/${caseId}/messages`, {
          token: vendorToken,
          body: { body: notification.Records[0]!.Sns.Message },
        })
      ).status,
    ).toBe(202);
    await e.advance('PT0S');
    const v = await view(caseId);
    expect(v.vendors[0]?.contacts[0]?.bounced).toBeNull();
    expect(v.attention).toEqual([]);
  });
});
