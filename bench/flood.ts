// A vendor floods a case (30 messages of 16,000 CJK characters a day, for a week) while the case
// runs to publication on the local stack: what the flooder gets back, and how large the case's
// item grows, beside a quiet case on the same path.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type E2E, bootStack } from '../test/builders/local-stack.js';
import { aReportInput } from '../test/builders/case.js';

export interface FloodFigures {
  messagesSent: number;
  accepted: number;
  refused429: number;
  refused413: number;
  /** The case item's state (stored, deflated when large) after publication, flooded and quiet. */
  snapshotBytes: number;
  quietSnapshotBytes: number;
  published: boolean;
}

const CJK = '脆弱性'.repeat(5334).slice(0, 16_000);
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

async function snapshotBytes(caseId: string): Promise<number> {
  const client = new DynamoDBClient({
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { Item } = await client.send(
    new GetItemCommand({ TableName: 'cvd-cases', Key: { PK: { S: `CASE#${caseId}` }, SK: { S: 'CASE' } }, ConsistentRead: true }),
  );
  client.destroy();
  return Item?.stateZ?.B?.byteLength ?? (Item?.state?.S ?? Item?.stateDeflated?.S ?? '').length;
}

async function runCase(e: E2E, flood: boolean) {
  const { caseId } = (await e.call('POST', '/reports', { body: aReportInput() })).json as { caseId: string };
  await e.call('POST', `/cases/${caseId}/triage`, {
    token: e.coordinator,
    body: { decision: 'accept', reasons: [], comment: 'we coordinate' },
  });
  await e.call('PUT', `/cases/${caseId}/vendors/vendor-1`, { token: e.coordinator, body: { contacts: [{ email: 'psirt@acme.example' }] } });
  // The vendor's own link (the reporter's acknowledgement carries a link too).
  const mail = (await e.mail()).find(
    (m) => m.subject.includes(caseId) && m.destination.to.includes('psirt@acme.example') && /#token=/.test(m.body.text ?? ''),
  );
  const token = decodeURIComponent(/#token=([A-Za-z0-9_%-]+)/.exec(mail?.body.text ?? '')?.[1] ?? '');
  if (!token) throw new Error('flood: no vendor link was mailed');
  const statuses: number[] = [];
  const endsAt = ((await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as { embargo: { endsAt: string } }).embargo
    .endsAt;
  for (let day = 0; day < 7; day++) {
    if (flood)
      for (let i = 0; i < 30; i++)
        statuses.push((await e.call('POST', `/vendor/cases/${caseId}/messages`, { token, body: { body: `${day}.${i} ${CJK}` } })).status);
    await e.advance('P1D');
  }
  await e.to(addDays(endsAt, -14));
  await e.call('POST', `/cases/${caseId}/publication`, { token: e.coordinator, body: { decision: 'approve' } });
  await e.to(endsAt);
  const phase = ((await e.call('GET', `/cases/${caseId}`, { token: e.coordinator })).json as { phase: string }).phase;
  return { statuses, bytes: await snapshotBytes(caseId), published: phase === 'published' };
}

export async function measureFlood(): Promise<FloodFigures> {
  const flooded = await bootStack();
  let figures: Awaited<ReturnType<typeof runCase>>;
  try {
    figures = await runCase(flooded, true);
  } finally {
    await flooded.stop();
  }
  const calm = await bootStack();
  let quiet: Awaited<ReturnType<typeof runCase>>;
  try {
    quiet = await runCase(calm, false);
  } finally {
    await calm.stop();
  }
  return {
    messagesSent: figures.statuses.length,
    accepted: figures.statuses.filter((s) => s === 202).length,
    refused429: figures.statuses.filter((s) => s === 429).length,
    refused413: figures.statuses.filter((s) => s === 413).length,
    snapshotBytes: figures.bytes,
    quietSnapshotBytes: quiet.bytes,
    published: figures.published && quiet.published,
  };
}
