// The terms a reporter accepts (seed 000: the coordinator's final authority and default policy;
// seed 002: try the vendor first, check any NDA): on the form, in the API description, behind
// security.txt's Policy line, and recorded with the report, as the server's version, never the client's text.
import { describe, expect, it } from 'vitest';
import { CoordinatorCaseViewSchema } from '../../functions/app/api/response-schemas.js';
import { handler as serviceInfo } from '../../functions/handlers/api/service-info.js';
import { renderSecurityTxt } from '../../functions/domain/publication/security-txt.js';
import { parseReport } from '../../functions/domain/report.js';
import { REPORTER_TERMS, TERMS_VERSION } from '../../functions/domain/terms.js';
import { type TestApp, aTestApp } from '../builders/app.js';
import { aReportInput } from '../builders/case.js';
import { COORDINATOR_CALLER, anEvent, call } from '../builders/http.js';

const submit = (app: TestApp, body: unknown) => call(app.deps, 'POST', '/reports', { body });
const coordinatorView = async (app: TestApp, caseId: string) =>
  CoordinatorCaseViewSchema.parse(
    (await call(app.deps, 'GET', '/cases/{caseId}', { params: { caseId }, caller: COORDINATOR_CALLER })).body,
  );

describe('the terms shown to the reporter', () => {
  it("say the seeds' four things: try the vendor first, NDAs, the default policy, the coordinator's final authority", () => {
    const all = REPORTER_TERMS.map((t) => `${t.heading} ${t.text}`).join(' ');
    expect(all).toMatch(/report the vulnerability to the vendor directly/);
    expect(all).toMatch(/Non-Disclosure Agreement/);
    expect(all).toMatch(/45 days after our first attempt to reach a vendor/);
    expect(all).toMatch(/final decision authority/i);
    expect(all).toMatch(/may decide not to publish/);
  });

  it('are in the API description of POST /reports, with acceptsTerms an optional field of the report', async () => {
    const doc = JSON.parse((await serviceInfo(anEvent('GET', '/openapi.json'))).body) as {
      paths: Record<string, Record<string, { description?: string }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    const description = doc.paths['/reports']?.post?.description ?? '';
    for (const t of REPORTER_TERMS) expect(description).toContain(t.text);
    expect(doc.components.schemas.Report?.properties).toHaveProperty('acceptsTerms');
    expect(doc.components.schemas.Report?.required).not.toContain('acceptsTerms');
  });

  it("name the policy in security.txt: the deployment's page when configured, else the form's terms", () => {
    const base = { publicBaseUrl: 'https://cvd.example', contacts: ['cert@cvd.example'], now: '2026-11-30T00:00:00Z' };
    expect(renderSecurityTxt(base)).toMatch(/^Policy: https:\/\/cvd\.example\/#terms$/m);
    expect(renderSecurityTxt({ ...base, policyUrl: 'https://cvd.example/policy' })).toMatch(/^Policy: https:\/\/cvd\.example\/policy$/m);
  });
});

describe("recording the reporter's agreement", () => {
  it('records the current terms when the report accepts them, and shows it to coordinators', async () => {
    const app = aTestApp();
    const r = await submit(app, { ...aReportInput(), acceptsTerms: true });
    expect(r.status).toBe(201);
    const view = await coordinatorView(app, (r.body as { caseId: string }).caseId);
    expect(view.terms).toEqual({ agreement: 'accepted', version: TERMS_VERSION });
  });

  it('keeps existing clients working: a report without the field is accepted and shown as not recorded', async () => {
    const app = aTestApp();
    const r = await submit(app, aReportInput());
    expect(r.status).toBe(201);
    expect((await coordinatorView(app, (r.body as { caseId: string }).caseId)).terms).toEqual({ agreement: 'not-recorded', version: null });
  });

  it('hostile reporter: the field takes only true, never text, a version or markup, and the version recorded is the server’s', async () => {
    for (const bad of [false, 'yes', '<script>alert(1)</script>', { version: '1999-01-01' }, 1]) {
      const parsed = parseReport({ ...aReportInput(), acceptsTerms: bad });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).toContain('acceptsTerms');
    }
    const app = aTestApp();
    expect((await submit(app, { ...aReportInput(), acceptsTerms: '<img src=x onerror=alert(1)>' })).status).toBe(400);
    // A version sent beside it is not part of the report: only the server's is recorded.
    const r = await submit(app, { ...aReportInput(), acceptsTerms: true, termsVersion: 'forged' });
    if (r.status === 201) {
      const view = await coordinatorView(app, (r.body as { caseId: string }).caseId);
      expect(view.terms.version).toBe(TERMS_VERSION);
      expect(JSON.stringify(view)).not.toContain('forged');
    } else expect(r.status).toBe(400);
  });
});
