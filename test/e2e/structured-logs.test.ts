// The handlers' log lines from a whole case, as the local runtime runs them in-process with the
// Powertools logger at DEBUG: every line is JSON, names its step and request, carries the case id
// where there is a case, and holds no private-link token, no dev token, no task token and none of
// the text the reporter, the vendor or the coordinators wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowHandler } from '../../lib/workflow-states.js';
import { type E2E, type Mail, bootStack } from '../builders/local-stack.js';
import { aReportInput } from '../builders/case.js';

const ACME = 'psirt@acme.example';
// Words that appear nowhere else, so a leak of any submitted text is unmistakable.
const SECRET = {
  title: 'Quokka overflow in the lantern parser',
  description: 'The lantern parser trusts the quokka length field and writes past its buffer.',
  statement: 'Zebrafish statement: fixed in lantern 9.9.9, upgrade now.',
  message: 'Narwhal follow-up: the proof of concept also works on the beta.',
  comment: 'Axolotl note from the coordinators.',
};

// Node's own process warnings (the SDK's about Node versions) go to stderr too, each in one write:
// they are not handlers' lines.
const NODE_WARNING = /^\(node:\d+\) /;
const lines: string[] = [];
const tokens: string[] = [];
let caseId = '';
let e: E2E | undefined;

const tokenIn = (m: Mail) => decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(m.body.text ?? '')?.[1] ?? '');
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

/** Runs a case from report to publication while everything written to stdout and stderr is kept. */
async function runCase(stack: E2E): Promise<void> {
  const ok = async (method: string, path: string, opts: Parameters<E2E['call']>[2]) => {
    const r = await stack.call(method, path, opts);
    expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
    return r;
  };
  const submitted = await ok('POST', '/reports', {
    body: aReportInput({ title: SECRET.title, description: SECRET.description }),
  });
  const { caseId: id, reporterToken } = submitted.json as { caseId: string; reporterToken: string };
  caseId = id;
  tokens.push(reporterToken, stack.coordinator);
  const coordinator = { token: stack.coordinator };
  await ok('POST', `/reports/${id}/messages`, { token: reporterToken, body: { kind: 'comment', body: SECRET.message } });
  await ok('POST', `/cases/${id}/triage`, { ...coordinator, body: { decision: 'accept', reasons: [], comment: SECRET.comment } });
  await ok('PUT', `/cases/${id}/vendors/vendor-1`, { ...coordinator, body: { contacts: [{ email: ACME }] } });
  const link = (await stack.mail()).find((m) => m.destination.to.includes(ACME) && tokenIn(m));
  const vendorToken = link ? tokenIn(link) : '';
  expect(vendorToken).not.toBe('');
  tokens.push(vendorToken);
  await ok('POST', `/vendor/cases/${id}/acknowledge`, { token: vendorToken, body: {} });
  await ok('PUT', `/vendor/cases/${id}/status`, {
    token: vendorToken,
    body: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], fixReady: true, statement: SECRET.statement },
  });
  const view = (await ok('GET', `/cases/${id}`, coordinator)).json as { embargo: { endsAt: string } };
  await stack.to(addDays(view.embargo.endsAt, -14));
  await ok('POST', `/cases/${id}/publication`, { ...coordinator, body: { decision: 'approve' } });
  await stack.to(view.embargo.endsAt);
  expect(((await ok('GET', `/cases/${id}`, coordinator)).json as { phase: string }).phase).toBe('published');
}

beforeAll(async () => {
  process.env.CVD_LOG_LEVEL = 'DEBUG';
  const out = process.stdout.write;
  const err = process.stderr.write;
  let partial = '';
  const keep = (chunk: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (NODE_WARNING.test(text)) return true;
    partial += text;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((l) => l.trim() !== ''));
    return true;
  };
  process.stdout.write = keep as typeof process.stdout.write;
  process.stderr.write = keep as typeof process.stderr.write;
  try {
    e = await bootStack();
    await runCase(e);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    if (partial.trim() !== '') lines.push(partial);
  }
}, 240_000);

afterAll(async () => {
  await e?.stop();
  delete process.env.CVD_LOG_LEVEL;
});

describe('the handlers’ logs of a whole case', () => {
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  it('are JSON lines, each with its level, step and request id', () => {
    expect(lines.length).toBeGreaterThan(50);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    for (const l of parsed()) {
      expect(l, JSON.stringify(l)).toMatchObject({ level: expect.any(String), service: 'cvd-coordinator' });
      expect(typeof l.step, JSON.stringify(l)).toBe('string');
      expect(typeof l.requestId, JSON.stringify(l)).toBe('string');
    }
  });

  it('carry the case id wherever there is a case: every workflow step, every case route, every change', () => {
    const workflow = new Set<string>(Object.values(WorkflowHandler));
    const all = parsed();
    const withCase = all.filter(
      (l) => workflow.has(String(l.step)) || String(l.resource ?? '').includes('{caseId}') || l.message === 'case changed',
    );
    expect(withCase.length).toBeGreaterThan(20);
    for (const l of withCase) expect(l.caseId, JSON.stringify(l)).toBe(caseId);
    // The submission's own lines: the id is known once the case is made, and named from then on.
    expect(all.some((l) => l.step === 'submit-report' && l.message === 'done' && l.caseId === caseId)).toBe(true);
    expect(all.filter((l) => l.step === 'notify-published').length).toBeGreaterThan(0);
  });

  it('hold no token and none of the text the participants wrote', () => {
    const text = lines.join('\n');
    expect(tokens.length).toBe(3);
    for (const t of tokens) expect(text).not.toContain(t);
    expect(text).not.toMatch(/local-[A-Za-z0-9_-]{20,}/);
    expect(text).not.toMatch(/#token=/);
    for (const [what, value] of Object.entries(SECRET)) {
      expect(text, what).not.toContain(value);
      // Nor a fragment of it.
      expect(text, what).not.toContain(value.split(' ').slice(0, 2).join(' '));
    }
    expect(text).not.toContain('lantern');
  });
});
