// The file records, DynamoDB (dynalite) and the in-memory twin, held to one contract: the
// uploader's room on a case is counted all or nothing, in bytes and in files, so neither large
// files nor a flood of tiny ones get past it; grants only grow, once per message; retention is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttachmentRecords, DynamoDbAttachmentRecords, MemoryAttachmentRecords } from '../../functions/adapters/attachment-records.js';
import type { AttachmentRecord } from '../../functions/domain/attachments.js';
import { type LocalDynamo, startDynalite } from './dynalite.js';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
}, 60_000);
afterAll(async () => {
  await dynamo.close();
});

const record = (id: string): AttachmentRecord => ({
  caseId: 'VU-1',
  attachmentId: id,
  owner: 'vendor:vendor-1',
  filename: 'poc.py',
  contentType: 'text/x-python',
  size: 5,
  sha256: 'a'.repeat(64),
  createdAt: '2026-11-01T00:00:00Z',
  verified: false,
  grants: [],
});

describe.each([
  ['DynamoDB', async (): Promise<AttachmentRecords> => new DynamoDbAttachmentRecords(dynamo.client, await dynamo.createTable())],
  ['in memory', async (): Promise<AttachmentRecords> => new MemoryAttachmentRecords()],
])('file records (%s)', (_name, make) => {
  it('counts an uploader’s bytes and files on a case, all or nothing, naming the limit passed', async () => {
    const r = await make();
    const max = { bytes: 100, files: 3 };
    expect(await r.reserveBytes('VU-1', 'reporter', 101, max)).toBe('bytes');
    expect(await r.reserveBytes('VU-1', 'reporter', 60, max)).toBeNull();
    expect(await r.reserveBytes('VU-1', 'reporter', 41, max)).toBe('bytes');
    expect(await r.reserveBytes('VU-1', 'reporter', 1, max)).toBeNull();
    expect(await r.reserveBytes('VU-1', 'reporter', 1, max)).toBeNull();
    // Room in bytes is left, but not in files: tiny files cannot flood the case either.
    expect(await r.reserveBytes('VU-1', 'reporter', 1, max)).toBe('files');
    // Another uploader, or another case, has room of its own.
    expect(await r.reserveBytes('VU-1', 'vendor:vendor-1', 100, max)).toBeNull();
    expect(await r.reserveBytes('VU-2', 'reporter', 100, max)).toBeNull();
  });

  it('adds each message’s grant once, keeps the records of removed files, and keeps the retention choice', async () => {
    const r = await make();
    await r.create(record('f1'));
    await expect(r.create(record('f1'))).rejects.toThrow();
    const grant = { messageId: 'm1', by: { role: 'coordinator' }, audience: 'internal' as const };
    await r.addGrant('VU-1', 'f1', grant);
    await r.addGrant('VU-1', 'f1', grant);
    await r.addGrant('VU-1', 'f1', { ...grant, messageId: 'm2' });
    expect((await r.get('VU-1', 'f1'))?.grants.map((g) => g.messageId)).toEqual(['m1', 'm2']);
    await r.markVerified('VU-1', 'f1');
    await r.markRemoved('VU-1', 'f1', '2026-12-01T00:00:00Z');
    expect(await r.get('VU-1', 'f1')).toMatchObject({ verified: true, removedAt: '2026-12-01T00:00:00Z' });
    expect((await r.listForCase('VU-1')).map((f) => f.attachmentId)).toEqual(['f1']);
    expect(await r.retentionOf('VU-1')).toBeNull();
    await r.setRetention('VU-1', { keep: true, by: 'coordinator', at: '2026-11-02T00:00:00Z' });
    expect(await r.retentionOf('VU-1')).toEqual({ keep: true, by: 'coordinator', at: '2026-11-02T00:00:00Z' });
    expect(await r.get('VU-1', 'nope')).toBeNull();
  });
});
