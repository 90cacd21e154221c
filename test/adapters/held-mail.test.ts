// The held-mail store, in memory and on DynamoDB (dynalite): what is put comes back whole, newest
// first, within the limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbHeldMail, type HeldMail, type HeldMailStore, MemoryHeldMail } from '../../functions/adapters/inbound-mail-store.js';
import { type LocalDynamo, startDynalite } from './dynalite.js';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

const item = (n: number): HeldMail => ({
  heldId: `h-${n}`,
  at: `2026-11-0${n}T10:00:00.000Z`,
  reason: 'wrong-sender',
  from: 'attacker@evil.example',
  to: 'case+vu-1.abc@cert.example',
  subject: '<script>x</script> **hi**',
  text: 'line 1\nline 2',
  caseId: n % 2 ? 'VU-1' : null,
  verdicts: { spf: 'PASS', dkim: 'FAIL', dmarc: 'FAIL' },
  attachments: [{ filename: 'a.pdf', size: 3 }],
  objectKey: `mail/m-${n}`,
});

describe.each([
  ['in-memory', async (): Promise<HeldMailStore> => new MemoryHeldMail()],
  ['DynamoDB', async (): Promise<HeldMailStore> => new DynamoDbHeldMail(dynamo.client, await dynamo.createTable())],
])('held mail (%s)', (_name, make) => {
  it('keeps each message whole and lists the newest first', async () => {
    const store = await make();
    for (const n of [2, 1, 3]) await store.put(item(n));
    expect(await store.list()).toEqual([item(3), item(2), item(1)]);
    expect(await store.list({ limit: 1 })).toEqual([item(3)]);
  });
});
