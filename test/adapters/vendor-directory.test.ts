// The vendor directory, DynamoDB (dynalite) and the in-memory twin, held to one contract: a name
// or alias belongs to one organisation (compared case-insensitively), an edit lands only on the
// version it was read at, a renamed organisation frees its old names, and case links are kept once.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DirectoryNameTakenError,
  DirectoryVersionError,
  DynamoDbVendorDirectory,
  MemoryVendorDirectory,
  type VendorDirectory,
  vendorNameKey,
} from '../../functions/adapters/vendor-directory.js';
import { type DirectoryEntry, nameKey } from '../../functions/domain/directory.js';
import { toAttributes } from '../../functions/adapters/attribute-values.js';
import { type LocalDynamo, startDynalite } from './dynalite.js';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
}, 60_000);
afterAll(async () => {
  await dynamo.close();
});

const REF_A = 'v-01JAAAAAAAAAAAAAAAAAAAAAAA';
const REF_B = 'v-01JBBBBBBBBBBBBBBBBBBBBBBB';
const entry = (vendorRef: string, name: string, aliases: string[] = [], version = 1): DirectoryEntry => ({
  vendorRef,
  name,
  aliases,
  contacts: [{ email: `psirt@${name.toLowerCase().replace(/\W/g, '')}.example` }],
  isCna: false,
  version,
  createdAt: '2026-11-01T00:00:00Z',
  updatedAt: '2026-11-01T00:00:00Z',
  updatedBy: 'alice',
});

describe.each([
  ['DynamoDB', async (): Promise<VendorDirectory> => new DynamoDbVendorDirectory(dynamo.client, await dynamo.createTable())],
  ['in memory', async (): Promise<VendorDirectory> => new MemoryVendorDirectory()],
])('vendor directory (%s)', (_name, make) => {
  it('keeps an organisation, and lists its summary', async () => {
    const d = await make();
    await d.create(entry(REF_A, 'Acme Corp', ['ACME']));
    expect(await d.get(REF_A)).toEqual(entry(REF_A, 'Acme Corp', ['ACME']));
    expect(await d.get(REF_B)).toBeNull();
    expect(await d.summaries()).toEqual([
      { vendorRef: REF_A, name: 'Acme Corp', aliases: ['ACME'], isCna: false, contacts: 1, version: 1 },
    ]);
  });

  it('refuses a second organisation with a name or alias another goes by, whatever its case and spacing', async () => {
    const d = await make();
    await d.create(entry(REF_A, 'Acme Corp', ['ACME']));
    await expect(d.create(entry(REF_B, 'acme  CORP'))).rejects.toBeInstanceOf(DirectoryNameTakenError);
    // An alias of the newcomer that is the other's alias: refused, and the newcomer's own name stays free.
    await expect(d.create(entry(REF_B, 'Roadrunner', ['acme']))).rejects.toBeInstanceOf(DirectoryNameTakenError);
    expect(await d.get(REF_B)).toBeNull();
    await d.create(entry(REF_B, 'Roadrunner'));
    expect((await d.summaries()).map((s) => s.name).sort()).toEqual(['Acme Corp', 'Roadrunner']);
  });

  it('edits only the version read, and an alias cannot take another organisation’s name', async () => {
    const d = await make();
    await d.create(entry(REF_A, 'Acme Corp', ['ACME']));
    await d.create(entry(REF_B, 'Roadrunner'));
    await expect(d.update(entry(REF_B, 'Roadrunner', ['Acme Corp'], 2), 1)).rejects.toBeInstanceOf(DirectoryNameTakenError);
    expect((await d.get(REF_B))?.version).toBe(1);
    await d.update(entry(REF_B, 'Roadrunner Inc', ['RR'], 2), 1);
    await expect(d.update(entry(REF_B, 'Roadrunner', [], 2), 1)).rejects.toBeInstanceOf(DirectoryVersionError);
    expect(await d.get(REF_B)).toMatchObject({ name: 'Roadrunner Inc', aliases: ['RR'], version: 2 });
    // The old name is free again: another organisation may take it.
    await d.update(entry(REF_A, 'Acme Corp', ['ACME', 'roadrunner'], 2), 1);
    expect((await d.get(REF_A))?.aliases).toEqual(['ACME', 'roadrunner']);
    expect((await d.summaries()).find((s) => s.vendorRef === REF_B)).toMatchObject({ name: 'Roadrunner Inc', version: 2 });
  });

  it('links an organisation to each case once, newest first', async () => {
    const d = await make();
    await d.linkCase(REF_A, { caseId: 'VU-AAAAAAAA', at: '2026-11-01T00:00:00Z' });
    await d.linkCase(REF_A, { caseId: 'VU-BBBBBBBB', at: '2026-11-02T00:00:00Z' });
    await d.linkCase(REF_A, { caseId: 'VU-AAAAAAAA', at: '2026-11-03T00:00:00Z' });
    expect(await d.casesOf(REF_A, 10)).toEqual([
      { caseId: 'VU-BBBBBBBB', at: '2026-11-02T00:00:00Z' },
      { caseId: 'VU-AAAAAAAA', at: '2026-11-01T00:00:00Z' },
    ]);
    expect(await d.casesOf(REF_A, 1)).toHaveLength(1);
    expect(await d.casesOf(REF_B, 10)).toEqual([]);
  });
});

describe('vendor directory (DynamoDB): a claim left behind', () => {
  it('frees a name whose holder does not list it, once the grace period is over', async () => {
    let now = '2026-11-01T00:00:00Z';
    const table = await dynamo.createTable();
    const d = new DynamoDbVendorDirectory(dynamo.client, table, () => now);
    // A create that stopped after its claim: REF_A holds "Roadrunner" but its entry never landed.
    await dynamo.client.send(
      new PutItemCommand({ TableName: table, Item: toAttributes({ ...vendorNameKey(nameKey('Roadrunner')), vendorRef: REF_A, at: now }) }),
    );
    await expect(d.create(entry(REF_B, 'Roadrunner'))).rejects.toBeInstanceOf(DirectoryNameTakenError);
    now = '2026-11-01T00:05:00Z';
    await d.create(entry(REF_B, 'Roadrunner'));
    expect((await d.summaries()).map((s) => s.vendorRef)).toEqual([REF_B]);
  });
});
