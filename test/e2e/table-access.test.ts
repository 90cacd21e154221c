// The local runtime does not enforce IAM, so this test does it after the fact: it records every
// DynamoDB call the handlers make while cases go through their paths over HTTP, and checks each
// against the statements the synthesized template gives that function's role. A handler that
// starts touching a new kind of item fails here before it fails on AWS with AccessDenied.
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BY_PHASE_DEADLINE_INDEX,
  BY_PHASE_DEADLINE_PARTITION_KEY,
  BY_PUBLISHED_DATE_INDEX,
  BY_PUBLISHED_DATE_PARTITION_KEY,
  PARTITION_KEY,
} from '../../functions/adapters/table-layout.js';
import { templateFunctions } from '../../lib/asl.js';
import { currentFunction } from '../../lib/local/invocation.js';
import { synthesizeTemplate } from '../../lib/local/template.js';
import { tableAccess, type HandlerName } from '../../lib/table-access.js';
import { aReportInput } from '../builders/case.js';
import { type E2E, bootStack } from '../builders/local-stack.js';
import { rfc5322, sendSmtp } from '../builders/smtp.js';
import { permits, tableStatementsOf, type TemplateTableStatement } from '../builders/table-permissions.js';

interface Call {
  readonly handler: string;
  readonly action: string;
  readonly index: string | null;
  readonly partitionKey: string | null;
}

const calls: Call[] = [];
const unattributed: Array<Omit<Call, 'handler'>> = [];
let booted = false;
const INDEX_PARTITION_KEYS: Record<string, string> = {
  [BY_PHASE_DEADLINE_INDEX]: BY_PHASE_DEADLINE_PARTITION_KEY,
  [BY_PUBLISHED_DATE_INDEX]: BY_PUBLISHED_DATE_PARTITION_KEY,
};

const stringOf = (v: AttributeValue | undefined): string | null => (v !== undefined && 'S' in v && typeof v.S === 'string' ? v.S : null);

/** The partition key value a Query's key condition names: `<name> = <:value>` for the table's or index's key. */
function queriedPartition(input: QueryCommand['input']): string | null {
  const attribute = input.IndexName === undefined ? PARTITION_KEY : INDEX_PARTITION_KEYS[input.IndexName];
  for (const part of (input.KeyConditionExpression ?? '').split(/\s+AND\s+/i)) {
    const m = /^\s*(\S+)\s*=\s*(:\S+)\s*$/.exec(part);
    if (!m?.[1] || !m[2]) continue;
    const name = m[1].startsWith('#') ? input.ExpressionAttributeNames?.[m[1]] : m[1];
    if (name === attribute) return stringOf(input.ExpressionAttributeValues?.[m[2]]);
  }
  return null;
}

/** What IAM would evaluate for this command: its action, the index it names, and its leading key. */
function describeCommand(command: unknown): Omit<Call, 'handler'> {
  if (command instanceof GetItemCommand || command instanceof DeleteItemCommand || command instanceof UpdateItemCommand) {
    const action = command instanceof GetItemCommand ? 'GetItem' : command instanceof DeleteItemCommand ? 'DeleteItem' : 'UpdateItem';
    return { action, index: null, partitionKey: stringOf(command.input.Key?.[PARTITION_KEY]) };
  }
  if (command instanceof PutItemCommand)
    return { action: 'PutItem', index: null, partitionKey: stringOf(command.input.Item?.[PARTITION_KEY]) };
  if (command instanceof QueryCommand)
    return { action: 'Query', index: command.input.IndexName ?? null, partitionKey: queriedPartition(command.input) };
  if (command instanceof ScanCommand) return { action: 'Scan', index: command.input.IndexName ?? null, partitionKey: null };
  const name = typeof command === 'object' && command !== null ? command.constructor.name : typeof command;
  return { action: name, index: null, partitionKey: null };
}

// Every handler's client is a DynamoDBClient of this one SDK module (node_modules is not
// transformed), so wrapping its send sees them all; the runtime's own calls run outside any function.
type Send = (this: DynamoDBClient, command: unknown, ...rest: unknown[]) => unknown;
const proto = DynamoDBClient.prototype as unknown as { send: Send };
const ownSend = Object.hasOwn(proto, 'send');
const originalSend = proto.send;

let e: E2E;
let handlerOf: Map<string, string>;
let statements: (handler: string) => TemplateTableStatement[];

beforeAll(async () => {
  const template = await synthesizeTemplate();
  handlerOf = new Map(templateFunctions(template).map((f) => [f.logicalId, f.handlerName]));
  const cache = new Map<string, TemplateTableStatement[]>();
  statements = (handler) => {
    const hit = cache.get(handler) ?? tableStatementsOf(template, handler);
    cache.set(handler, hit);
    return hit;
  };
  proto.send = function (this: DynamoDBClient, command: unknown, ...rest: unknown[]) {
    const logicalId = currentFunction.getStore();
    if (logicalId !== undefined) calls.push({ handler: handlerOf.get(logicalId) ?? logicalId, ...describeCommand(command) });
    // Once the stack is up, only handlers call DynamoDB; anything else would escape the check.
    else if (booted) unattributed.push(describeCommand(command));
    return originalSend.call(this, command, ...rest);
  };
  e = await bootStack();
  // The runtime's own calls (creating the table, a local CVE block, resuming open cases) are done.
  booted = true;
});

afterAll(async () => {
  await e?.stop();
  if (ownSend) proto.send = originalSend;
  else Reflect.deleteProperty(proto, 'send');
});

const REPORTER_MAIL = 'ada@example.org';
const ACME = 'psirt@acme.example';
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

async function ok(method: string, path: string, opts: Parameters<E2E['call']>[2] = {}) {
  const r = await e.call(method, path, opts);
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r;
}
const report = async (headers: Record<string, string> = {}) =>
  (await ok('POST', '/reports', { body: aReportInput(), headers })).json as { caseId: string; reporterToken: string };
const asCoordinator = (method: string, path: string, body?: unknown) =>
  ok(method, path, { token: e.coordinator, ...(body === undefined ? {} : { body }) });
const caseView = async (caseId: string) =>
  (await asCoordinator('GET', `/cases/${caseId}`)).json as { phase: string; embargo: { endsAt: string | null } };
const vendorToken = async (caseId: string) => {
  const mails = (await e.mail()).filter((m) => m.destination.to.includes(ACME) && m.subject.includes(caseId));
  const link = mails.map((m) => /#token=([A-Za-z0-9_%-]+)/.exec(m.body.text ?? '')?.[1]).find((t) => t !== undefined);
  if (link === undefined) throw new Error(`no vendor link for ${caseId}`);
  return decodeURIComponent(link);
};

describe('what each function touches in the case table, end to end', () => {
  it('runs cases through intake, triage, outreach, reminders, draft review and publication', async () => {
    // The main case: an idempotent report and its replay, the reporter, the vendor, the coordinator.
    const main = await report({ 'Idempotency-Key': 'table-access-main' });
    expect((await e.call('POST', '/reports', { body: aReportInput(), headers: { 'Idempotency-Key': 'table-access-main' } })).status).toBe(
      201,
    );
    await ok('GET', `/reports/${main.caseId}`, { token: main.reporterToken });
    await ok('POST', `/reports/${main.caseId}/messages`, { token: main.reporterToken, body: { kind: 'comment', body: 'one more detail' } });
    await asCoordinator('GET', '/cases');
    await asCoordinator('GET', `/cases/${main.caseId}/events`);
    await asCoordinator('POST', `/cases/${main.caseId}/triage`, { decision: 'accept', reasons: [], comment: 'we coordinate this' });
    await asCoordinator('PUT', `/cases/${main.caseId}/vendors/vendor-1`, { contacts: [{ email: ACME }] });
    await asCoordinator('POST', `/cases/${main.caseId}/reporter/links`, { action: 'reissue' });
    await asCoordinator('PUT', `/cases/${main.caseId}/vulnerabilities/vul-1/cve`, { cveId: 'CVE-2026-4242424' });
    const vt = await vendorToken(main.caseId);
    await ok('POST', `/vendor/cases/${main.caseId}/acknowledge`, { token: vt, body: {} });
    await ok('PUT', `/vendor/cases/${main.caseId}/status`, {
      token: vt,
      body: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], fixReady: true, statement: 'Fixed in 4.2.2.' },
    });
    await ok('POST', `/vendor/cases/${main.caseId}/messages`, { token: vt, body: { body: 'thanks' } });
    await asCoordinator('POST', `/cases/${main.caseId}/vendors`, {
      vendors: [{ name: 'Distro', contacts: ['sec@distro.example'], isCna: false, downstream: true }],
    });
    // The vendor directory: an organisation made, searched, added to the case by vendorRef, read with its history, renamed.
    const org = (
      await asCoordinator('POST', '/directory/vendors', { name: 'Globex', aliases: ['GBX'], contacts: [{ email: 'sec@globex.example' }] })
    ).json as { vendorRef: string };
    await asCoordinator('GET', '/directory/vendors?q=gbx');
    await asCoordinator('POST', `/cases/${main.caseId}/vendors`, { vendors: [{ vendorRef: org.vendorRef }] });
    await asCoordinator('GET', `/directory/vendors/${org.vendorRef}`);
    await asCoordinator('PUT', `/directory/vendors/${org.vendorRef}`, { name: 'Globex Corporation', aliases: ['Globex'], version: 1 });

    // Other paths: an information request left unanswered, a decline, a triage left waiting, a silent vendor.
    const unanswered = await report();
    await asCoordinator('POST', `/cases/${unanswered.caseId}/triage`, { decision: 'request-info', reasons: [] });
    const declined = await report();
    await asCoordinator('POST', `/cases/${declined.caseId}/triage`, {
      decision: 'decline',
      reasons: ['resources'],
      comment: 'declined with regret',
    });
    await report();
    const silentVendor = await report();
    // A vendor a coordinator adds during triage has a confirmed contact: outreach (notify-vendor) mails it.
    await asCoordinator('POST', `/cases/${silentVendor.caseId}/vendors`, {
      vendors: [{ name: 'Initech', contacts: ['psirt@initech.example'] }],
    });
    await asCoordinator('POST', `/cases/${silentVendor.caseId}/triage`, { decision: 'accept', reasons: [], comment: 'ok' });
    await asCoordinator('PUT', `/cases/${silentVendor.caseId}/vendors/vendor-2`, { contacts: [{ email: ACME }] });

    // A bounce: SES's notification goes to mail-feedback, as the configuration set's topic would send it.
    const bouncing = await report();
    await asCoordinator('POST', `/cases/${bouncing.caseId}/triage`, { decision: 'accept', reasons: [], comment: 'ok' });
    await asCoordinator('PUT', `/cases/${bouncing.caseId}/vendors/vendor-1`, { contacts: [{ email: 'gone@acme.example' }] });
    await e.advance('PT0S');
    await ok('POST', '/_local/bounce', {
      token: e.stack.devToken,
      body: { email: 'gone@acme.example', caseId: bouncing.caseId, kind: 'bounce' },
    });

    // Mail in (SMTP to the local listener, the inbound function): a report with a file opens a case;
    // the vendor's reply with a file becomes its message; a reply from another sender is held; the
    // coordinators list what was held.
    const smtp = e.stack.smtp?.port ?? 0;
    const pdf = [{ filename: 'poc.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4') }];
    const mailIn = (from: string, to: string, text: string) =>
      sendSmtp(smtp, { from, to: [to], data: rfc5322({ from, to, subject: 'By mail', text, attachments: pdf }) });
    expect(await mailIn('eve@finder.example', 'security@localhost.test', 'details')).toMatch(/^250/);
    const replyTo = (
      (await e.mail()).find((m) => m.destination.to.includes(ACME) && m.subject.includes(main.caseId)) as { replyTo?: string[] } | undefined
    )?.replyTo?.[0];
    expect(await mailIn(ACME, replyTo ?? '', 'our answer')).toMatch(/^250/);
    expect(await mailIn('attacker@evil.example', replyTo ?? '', 'forged')).toMatch(/^250/);
    await asCoordinator('GET', '/inbound/held');

    await e.advance('P3D');
    await e.advance('P7D');
    await e.advance('P7D');
    await e.advance('P14D');
    const endsAt = (await caseView(main.caseId)).embargo.endsAt;
    expect(endsAt).toBeTruthy();
    await e.to(addDays(endsAt ?? '', -14));
    expect((await caseView(main.caseId)).phase).toBe('draft-review');
    await asCoordinator('POST', `/cases/${main.caseId}/publication`, { decision: 'approve' });
    // The silent vendor's case reaches draft review too, and no decision comes: coordinators are reminded.
    await e.to(addDays(endsAt ?? '', -2));
    await e.to(endsAt ?? '');
    expect((await caseView(main.caseId)).phase).toBe('published');

    await ok('GET', '/notes');
    await ok('GET', `/notes/${main.caseId}`);
    await ok('GET', '/feed.json');
    await ok('GET', '/health');
    expect((await e.mail()).some((m) => m.destination.to.includes(REPORTER_MAIL))).toBe(true);
  });

  it("made every call within the calling function's role, and only item calls", () => {
    const refused = calls
      .filter((c) => !permits(statements(c.handler), c))
      .map((c) => `${c.handler}: ${c.action} ${c.index ?? 'table'} ${c.partitionKey?.replace(/#.*$/, '#…') ?? '(no key)'}`);
    expect([...new Set(refused)]).toEqual([]);
    expect(unattributed).toEqual([]);
    expect(calls.length).toBeGreaterThan(100);
  });

  it('exercised every function that has table access, but report-blocked (no blocking error on this path)', () => {
    const seen = new Set(calls.map((c) => c.handler));
    const granted = (Object.keys(tableAccess) as HandlerName[]).filter((name) => tableAccess[name].length > 0);
    expect(granted.filter((name) => !seen.has(name))).toEqual(['report-blocked']);
  });
});
