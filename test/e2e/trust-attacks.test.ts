// The four attacks on participant isolation, replayed through the HTTP API of the running stack as
// a hostile reporter and a hostile vendor would: each now ends safely with a clear status. The
// stack's log of the whole run (everything the handlers and the runtime print) holds no canary and
// no token.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type E2E, type Mail, bootStack } from '../builders/local-stack.js';
import { aReportInput } from '../builders/case.js';

let e: E2E;
const logged: string[] = [];
const SECRETS: string[] = [];
const CANARY = 'canaryZq7Wx';

beforeAll(async () => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, level).mockImplementation(
      (...args: unknown[]) =>
        void logged.push(
          args
            .map((a) => (a instanceof Error ? `${a.name}: ${a.message}\n${a.stack ?? ''}` : typeof a === 'string' ? a : JSON.stringify(a)))
            .join(' '),
        ),
    );
  // The handlers' Powertools logger writes to the streams itself, not through console: every line
  // of it, at DEBUG, is read too.
  process.env.CVD_LOG_LEVEL = 'DEBUG';
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
  e = await bootStack();
});
afterAll(async () => {
  await e.stop();
  vi.restoreAllMocks();
  delete process.env.CVD_LOG_LEVEL;
});

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();
const tokenIn = (m: Mail) => decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(m.body.text ?? '')?.[1] ?? '');
const mailsTo = async (to: string, caseId: string) =>
  (await e.mail()).filter((m) => m.destination.to.includes(to) && m.subject.includes(`[${caseId}]`));
async function coordinator(method: string, path: string, body?: unknown, expected = 202) {
  const r = await e.call(method, path, { token: e.coordinator, ...(body === undefined ? {} : { body }) });
  expect(r.status, `${method} ${path}: ${r.text}`).toBe(expected);
  return r;
}
interface View {
  phase: string;
  attention: { kind: string; vendorIds: string[] }[];
  vendors: {
    vendorId: string;
    name: string;
    contacts: { email: string; link: { state: string; generation: number } }[];
    suggestedContacts: { email: string }[];
    isCna: boolean;
    proposals: { isCna: boolean | null; cveIds: Record<string, string> };
  }[];
  vulnerabilities: { vulnerabilityId: string; cveId: string | null }[];
  embargo: { endsAt: string | null };
  noteId: string | null;
}
const view = async (caseId: string) => (await coordinator('GET', `/cases/${caseId}`, undefined, 200)).json as View;
async function report(overrides: Parameters<typeof aReportInput>[0] = {}) {
  const r = await e.call('POST', '/reports', { body: aReportInput(overrides) });
  expect(r.status, r.text).toBe(201);
  const out = r.json as { caseId: string; reporterToken: string };
  SECRETS.push(out.reporterToken);
  return out;
}
async function accepted(caseId: string) {
  await coordinator('POST', `/cases/${caseId}/triage`, { decision: 'accept', reasons: [], comment: 'we coordinate this' });
}
async function vendorToken(caseId: string, to: string): Promise<string> {
  const m = (await mailsTo(to, caseId)).find((x) => tokenIn(x));
  if (!m) throw new Error(`no link mailed to ${to}`);
  const t = tokenIn(m);
  SECRETS.push(t);
  return t;
}

describe('attacks on participant isolation, over HTTP', () => {
  it('1. a reporter cannot break the vendor sections open with a CVSS vector, and short or nested names do not leak', async () => {
    const injected = await e.call('POST', '/reports', {
      body: aReportInput({ cvss: { v3: 'CVSS:3.1/AV:N\n\n## Vendor information\n\nx\n\n## Notes\n\n' } }),
    });
    expect(injected.status).toBe(400);
    expect((injected.json as { errors: { path: string }[] }).errors.map((x) => x.path)).toEqual(['cvss.v3']);

    // No injection at all: vendors "HP", "Globex" and "Globex Corporation", each with a statement and a fix.
    const { caseId } = await report({ vendors: [{ name: 'HP', contactEmail: 'psirt@hp.example', contacted: false }] });
    await accepted(caseId);
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: 'psirt@hp.example' }] });
    await coordinator('POST', `/cases/${caseId}/vendors`, {
      vendors: [
        { name: 'Globex', contacts: ['psirt@globex.example'] },
        { name: 'Globex Corporation', contacts: ['psirt@globexcorp.example'] },
      ],
    });
    const tokens = {
      hp: await vendorToken(caseId, 'psirt@hp.example'),
      globex: await vendorToken(caseId, 'psirt@globex.example'),
      corp: await vendorToken(caseId, 'psirt@globexcorp.example'),
    };
    for (const [who, t] of Object.entries(tokens))
      expect(
        (
          await e.call('PUT', `/vendor/cases/${caseId}/status`, {
            token: t,
            body: {
              vulnerabilities: [{ id: 'vul-1', status: 'affected' }],
              fixReady: true,
              statement: `${who} statement ${CANARY}-${who}`,
            },
          })
        ).status,
      ).toBe(202);
    await e.to(addDays((await view(caseId)).embargo.endsAt!, -14));
    expect((await view(caseId)).phase).toBe('draft-review');

    const readBy = async (t: string) => (await e.call('GET', `/vendor/cases/${caseId}`, { token: t })).text;
    const hp = await readBy(tokens.hp);
    expect(hp).toContain(`hp statement ${CANARY}-hp`);
    expect(hp).not.toMatch(/Globex|globex|statement canaryZq7Wx-(globex|corp)/);
    const globex = await readBy(tokens.globex);
    expect(globex).not.toMatch(/Globex Corporation|HP\b|canaryZq7Wx-(hp|corp)/);
    // The reporter sees no vendor's statement, and no vendor the coordinator added.
    const reporter = (await e.call('GET', `/reports/${caseId}`, { token: SECRETS.at(-4)! })).text;
    expect(reporter).not.toMatch(/Globex|canaryZq7Wx/);
  });

  it('2. a reporter who names their own address for a vendor gets no link; the case waits for a coordinator, who confirms the real one', async () => {
    const { caseId } = await report({ vendors: [{ name: 'Acme', contactEmail: 'eve@attacker.example', contacted: false }] });
    await accepted(caseId);
    let v = await view(caseId);
    expect(v.phase).toBe('outreach');
    expect(v.attention).toEqual([{ kind: 'vendor-without-contact', vendorIds: ['vendor-1'] }]);
    expect(v.vendors[0]).toMatchObject({ contacts: [], suggestedContacts: [{ email: 'eve@attacker.example' }] });
    expect(await mailsTo('eve@attacker.example', caseId)).toEqual([]);
    // Two days on, the coordinators are told again; still nothing to the suggested address.
    await e.advance('P2DT1H');
    expect((await mailsTo('coord@cert.example', caseId)).some((m) => /no confirmed contact/.test(m.subject))).toBe(true);
    expect(await mailsTo('eve@attacker.example', caseId)).toEqual([]);
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: 'psirt@acme.example' }] });
    v = await view(caseId);
    expect(v.phase).toBe('embargo');
    expect(v.attention).toEqual([]);
    expect((await mailsTo('psirt@acme.example', caseId)).some((m) => tokenIn(m))).toBe(true);
    expect(await mailsTo('eve@attacker.example', caseId)).toEqual([]);
  });

  it('3. a vendor cannot make itself a CNA or put a CVE ID on the case; a coordinator decides, and what was approved is what is published', async () => {
    const { caseId } = await report();
    await accepted(caseId);
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: 'psirt@acme.example' }] });
    const vt = await vendorToken(caseId, 'psirt@acme.example');
    const forged = await e.call('PUT', `/vendor/cases/${caseId}/status`, {
      token: vt,
      body: {
        vulnerabilities: [{ id: 'vul-1', status: 'not-affected' }],
        isCna: true,
        cveIds: [{ vulnerabilityId: 'vul-1', cveId: 'CVE-2021-44228' }],
      },
    });
    expect(forged.status).toBe(400);
    expect((forged.json as { detail: string }).detail).toMatch(/affected by/);
    const proposed = await e.call('PUT', `/vendor/cases/${caseId}/status`, {
      token: vt,
      body: {
        vulnerabilities: [{ id: 'vul-1', status: 'affected' }],
        isCna: true,
        cveIds: [{ vulnerabilityId: 'vul-1', cveId: 'CVE-2021-44228' }],
        statement: 'Approved words.',
      },
    });
    expect(proposed.status).toBe(202);
    let v = await view(caseId);
    expect(v.vulnerabilities[0]?.cveId).toBeNull();
    expect(v.vendors[0]).toMatchObject({ isCna: false, proposals: { isCna: true, cveIds: { 'vul-1': 'CVE-2021-44228' } } });
    // The coordinator checks it, refuses it and sets the right one instead.
    await coordinator('PUT', `/cases/${caseId}/vulnerabilities/vul-1/cve`, { cveId: 'CVE-2026-7000001' });
    v = await view(caseId);
    expect(v.vulnerabilities[0]?.cveId).toBe('CVE-2026-7000001');
    await e.to(addDays(v.embargo.endsAt!, -14));
    await coordinator('POST', `/cases/${caseId}/publication`, { decision: 'approve' });
    // After the approval the vendor changes its statement: kept, but not published until approved again.
    expect(
      (
        await e.call('PUT', `/vendor/cases/${caseId}/status`, {
          token: vt,
          body: { vulnerabilities: [{ id: 'vul-1', status: 'not-affected' }], statement: 'Changed after approval.' },
        })
      ).status,
    ).toBe(202);
    await e.to(v.embargo.endsAt!);
    v = await view(caseId);
    expect(v.phase).toBe('published');
    const note = await e.call('GET', `/notes/${encodeURIComponent(v.noteId!)}`);
    expect(note.text).toContain('Approved words');
    expect(note.text).not.toContain('Changed after approval');
    const csaf = await e.call('GET', `/notes/${encodeURIComponent(v.noteId!)}/csaf.json`);
    expect(csaf.text).toContain('known_affected');
    expect(csaf.text).toContain('CVE-2026-7000001');
    expect(csaf.text).not.toContain('CVE-2021-44228');
  });

  it('4. every contact has its own link; reminders re-send it; a revoked or removed contact’s link answers 404 at once; a reissued one works', async () => {
    const { caseId } = await report();
    await accepted(caseId);
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, {
      contacts: [{ email: 'psirt@acme.example' }, { email: 'oncall@acme.example' }],
    });
    const psirt = await vendorToken(caseId, 'psirt@acme.example');
    const oncall = await vendorToken(caseId, 'oncall@acme.example');
    expect(psirt).not.toBe(oncall);
    const open = async (t: string) => (await e.call('GET', `/vendor/cases/${caseId}`, { token: t })).status;
    expect([await open(psirt), await open(oncall)]).toEqual([200, 200]);
    // A week of silence: the reminder carries the same live link, not a new one.
    await e.advance('P7DT1H');
    const reminder = (await mailsTo('psirt@acme.example', caseId)).find((m) => /Reminder/.test(m.subject));
    expect(reminder && tokenIn(reminder)).toBe(psirt);
    // The on-call address forwarded its link: revoke it.
    await coordinator('POST', `/cases/${caseId}/vendors/vendor-1/links`, { action: 'revoke', email: 'oncall@acme.example' });
    expect([await open(psirt), await open(oncall)]).toEqual([200, 404]);
    const outsider = await e.call('GET', `/vendor/cases/${caseId}`, { token: 'x'.repeat(43) });
    expect((await e.call('GET', `/vendor/cases/${caseId}`, { token: oncall })).text).toBe(outsider.text);
    // Reissue: a new link to that contact, and the old one stays dead.
    await coordinator('POST', `/cases/${caseId}/vendors/vendor-1/links`, { action: 'reissue', email: 'oncall@acme.example' });
    const fresh = tokenIn((await mailsTo('oncall@acme.example', caseId)).find((m) => /new private link/.test(m.subject))!);
    SECRETS.push(fresh);
    expect([await open(fresh), await open(oncall)]).toEqual([200, 404]);
    // Removing a contact ends its link in the same write.
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: 'oncall@acme.example' }] });
    expect([await open(psirt), await open(fresh)]).toEqual([404, 200]);
    const v = await view(caseId);
    expect(v.vendors[0]?.contacts.map((c) => [c.email, c.link.state, c.link.generation])).toEqual([['oncall@acme.example', 'live', 2]]);
  });

  it('5. a message reaches its audience only: one vendor’s never reaches the other or the reporter, an internal note no participant, in views, lists or e-mails; nobody else can address, or reply into, what they cannot read', async () => {
    const { caseId, reporterToken } = await report({
      vendors: [
        { name: 'Acme', contactEmail: 'psirt@acme.example', contacted: false },
        { name: 'Beta', contactEmail: 'psirt@beta.example', contacted: false },
      ],
    });
    await accepted(caseId);
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-1`, { contacts: [{ email: 'psirt@acme.example' }] });
    await coordinator('PUT', `/cases/${caseId}/vendors/vendor-2`, { contacts: [{ email: 'psirt@beta.example' }] });
    const acme = await vendorToken(caseId, 'psirt@acme.example');
    const beta = await vendorToken(caseId, 'psirt@beta.example');
    const toAcme = (
      await coordinator('POST', `/cases/${caseId}/messages`, { to: { vendorIds: ['vendor-1'] }, body: `patch for Acme ${CANARY}-msg` })
    ).json as { messageId: string };
    const note = (await coordinator('POST', `/cases/${caseId}/messages`, { to: 'internal', body: `internal ${CANARY}-note` })).json as {
      messageId: string;
    };
    await e.advance('PT0S');
    const readAll = async (token: string, prefix: string, to: string) =>
      [
        (await e.call('GET', `${prefix}/${caseId}`, { token })).text,
        (await e.call('GET', `${prefix}/${caseId}/messages`, { token })).text,
        JSON.stringify(await mailsTo(to, caseId)),
      ].join('\n');
    expect(await readAll(acme, '/vendor/cases', 'psirt@acme.example')).toContain(`${CANARY}-msg`);
    for (const [token, prefix, to] of [
      [beta, '/vendor/cases', 'psirt@beta.example'],
      [reporterToken, '/reports', 'ada@example.org'],
    ] as const) {
      const text = await readAll(token, prefix, to);
      expect(text).not.toContain(`${CANARY}-msg`);
      expect(text).not.toContain(`${CANARY}-note`);
      expect(text).not.toContain(toAcme.messageId);
    }
    expect(await readAll(acme, '/vendor/cases', 'psirt@acme.example')).not.toContain(`${CANARY}-note`);
    // Acme's e-mail says there is a message, with Acme's link, and not its words (no details asked).
    const mail = (await mailsTo('psirt@acme.example', caseId)).find((m) => /New message/.test(m.subject));
    expect(mail && tokenIn(mail)).toBe(acme);
    // Beta tries to address Acme, and to reply into Acme's message and the internal note.
    const addressed = await e.call('POST', `/vendor/cases/${caseId}/messages`, {
      token: beta,
      body: { body: 'hi Acme', to: { vendorIds: ['vendor-1'] } },
    });
    expect(addressed.status).toBe(400);
    const unknown = await e.call('POST', `/vendor/cases/${caseId}/messages`, {
      token: beta,
      body: { body: 'reply', inReplyTo: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.status).toBe(404);
    for (const id of [toAcme.messageId, note.messageId]) {
      const r = await e.call('POST', `/vendor/cases/${caseId}/messages`, { token: beta, body: { body: 'reply', inReplyTo: id } });
      expect(r.text).toBe(unknown.text);
    }
    const reporterReply = await e.call('POST', `/reports/${caseId}/messages`, {
      token: reporterToken,
      body: { kind: 'comment', body: 'reply', inReplyTo: note.messageId },
    });
    expect(reporterReply.text).toBe(unknown.text);
    // Acme answers in the thread; the coordinators read it there.
    const reply = await e.call('POST', `/vendor/cases/${caseId}/messages`, {
      token: acme,
      body: { body: 'thanks', inReplyTo: toAcme.messageId },
    });
    expect(reply.status, reply.text).toBe(202);
    const all = (await coordinator('GET', `/cases/${caseId}/messages`, undefined, 200)).json as {
      messages: { body: string; inReplyTo: string | null; audience: string }[];
    };
    // Sorted: on a stopped clock, messages of one instant have no order of their own.
    expect(all.messages.map((m) => [m.body, m.inReplyTo, m.audience]).sort()).toEqual(
      [
        ['thanks', toAcme.messageId, 'coordinators'],
        [`internal ${CANARY}-note`, null, 'internal'],
        [`patch for Acme ${CANARY}-msg`, null, 'selected'],
      ].sort(),
    );
  });

  it('left no canary and no token in anything the stack logged', () => {
    expect(SECRETS.length).toBeGreaterThan(5);
    const all = logged.join('\n');
    // The handlers' own lines are among what was read.
    expect(all).toContain('"step":"vendor-case"');
    expect(all).not.toContain(CANARY);
    for (const t of SECRETS) expect(all).not.toContain(t);
    expect(all).not.toMatch(/#token=/);
  });
});
