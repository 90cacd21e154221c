// Embargo negotiation through the HTTP API of the running stack: a vendor proposes a later end, the
// reporter an earlier one, the coordinator accepts one and every view shows the agreed date; each
// participant reads only its own proposals, and nobody reads another's reason.
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

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();
const tokenIn = (m: Mail) => decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(m.body.text ?? '')?.[1] ?? '');

interface Proposal {
  proposalId: string;
  endsAt: string;
  reason: string;
  answer: string;
}
interface ParticipantView {
  embargo: { state: string; endsAt: string | null };
  embargoProposals: Proposal[];
}
interface CoordinatorView {
  phase: string;
  embargo: { state: string; endsAt: string | null; requests: (Proposal & { by: { role: string } })[] };
}

describe('embargo negotiation, over HTTP', () => {
  it('a vendor proposes later, the reporter earlier; the coordinator accepts one and every view shows the agreed date', async () => {
    const submitted = await e.call('POST', '/reports', {
      body: aReportInput({ vendors: [{ name: 'Acme', contactEmail: 'psirt@acme.example', contacted: false }] }),
    });
    expect(submitted.status, submitted.text).toBe(201);
    const { caseId, reporterToken } = submitted.json as { caseId: string; reporterToken: string };
    const asCoordinator = async (method: string, path: string, body?: unknown, status = 202) => {
      const r = await e.call(method, `/cases/${caseId}${path}`, { token: e.coordinator, ...(body === undefined ? {} : { body }) });
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(status);
      return r;
    };
    await asCoordinator('POST', '/triage', { decision: 'accept', reasons: [], comment: 'we coordinate this' });
    await asCoordinator('PUT', '/vendors/vendor-1', { contacts: [{ email: 'psirt@acme.example' }] });
    const coordinatorView = async () => (await asCoordinator('GET', '', undefined, 200)).json as CoordinatorView;
    const original = (await coordinatorView()).embargo;
    expect(original.state).toBe('ACTIVE');

    const mail = (await e.mail()).find((m) => m.destination.to.includes('psirt@acme.example') && tokenIn(m));
    const vendorToken = mail ? tokenIn(mail) : '';
    expect(vendorToken).not.toBe('');
    const later = addDays(original.endsAt!, 30);
    const earlier = addDays(original.endsAt!, -10);
    const proposal = async (path: string, token: string, endsAt: string, reason: string) => {
      const r = await e.call('PUT', path, { token, body: { endsAt, reason } });
      expect(r.status, r.text).toBe(202);
    };
    await proposal(`/vendor/cases/${caseId}/embargo`, vendorToken, later, 'VENDOR-ONLY: our Q1 release train');
    await proposal(`/reports/${caseId}/embargo`, reporterToken, earlier, 'REPORTER-ONLY: my talk is then');

    // Proposals move nothing: the date stands and the embargo is under revision.
    let c = await coordinatorView();
    expect(c.embargo).toMatchObject({ state: 'REVISE', endsAt: original.endsAt });
    expect(c.embargo.requests.map((r) => [r.by.role, r.answer])).toEqual([
      ['vendor', 'open'],
      ['reporter', 'open'],
    ]);
    const vendorView = async () => (await e.call('GET', `/vendor/cases/${caseId}`, { token: vendorToken })).json as ParticipantView;
    const reporterView = async () => (await e.call('GET', `/reports/${caseId}`, { token: reporterToken })).json as ParticipantView;
    expect((await vendorView()).embargoProposals.map((p) => p.endsAt)).toEqual([later]);
    expect((await reporterView()).embargoProposals.map((p) => p.endsAt)).toEqual([earlier]);
    // The coordinators are told of both, with neither reason.
    const toCoordinators = (await e.mail()).filter(
      (m) => m.destination.to.includes('coord@cert.example') && /Embargo end proposed/.test(m.subject),
    );
    expect(toCoordinators).toHaveLength(2);

    // A participant cannot answer, and an unknown proposal is 404.
    const refused = await e.call('PUT', `/cases/${caseId}/embargo`, {
      token: vendorToken,
      body: { acceptProposal: c.embargo.requests[0]?.proposalId },
    });
    expect(refused.status).toBe(401);
    await asCoordinator('PUT', '/embargo', { acceptProposal: 'EP-999999' }, 404);
    await asCoordinator('PUT', '/embargo', { acceptProposal: 'EP-1', endsAt: later, reason: 'both' }, 400);

    // The coordinator accepts the vendor's later date.
    await asCoordinator('PUT', '/embargo', { acceptProposal: c.embargo.requests[0]?.proposalId, reason: 'agreed with the vendor' });
    c = await coordinatorView();
    expect(c.embargo).toMatchObject({ state: 'ACTIVE', endsAt: later });
    expect(c.embargo.requests.map((r) => r.answer)).toEqual(['accepted', 'declined']);
    const v = await vendorView();
    const r = await reporterView();
    expect(v.embargo.endsAt).toBe(later);
    expect(r.embargo.endsAt).toBe(later);
    expect(v.embargoProposals.map((p) => p.answer)).toEqual(['accepted']);
    expect(r.embargoProposals.map((p) => p.answer)).toEqual(['declined']);

    // Nobody reads another participant's reason: not in views, not in any e-mail.
    expect(JSON.stringify(v)).not.toContain('REPORTER-ONLY');
    expect(JSON.stringify(r)).not.toContain('VENDOR-ONLY');
    for (const m of await e.mail()) {
      const text = `${m.subject}\n${m.body.text ?? ''}\n${m.body.html ?? ''}`;
      expect(text).not.toContain('VENDOR-ONLY');
      expect(text).not.toContain('REPORTER-ONLY');
    }
  });
});
