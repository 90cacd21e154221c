import { PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-event-store.js';
import { SliceTooNarrowError } from '../../functions/adapters/store-errors.js';
import { caseCommitKey, casePartKey, caseSnapshotKey, caseSummaryKey } from '../../functions/adapters/table-layout.js';
import { caseStoreContract, foldLog, readWholeLog, toyPartsProjection, toyProjection } from './event-store.contract.js';
import { startDynalite, type LocalDynamo } from './dynalite.js';

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => {
  await dynamo.close();
});

async function rawItem(tableName: string, key: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamo.client.send(
    new GetItemCommand({ TableName: tableName, Key: { PK: { S: key.PK }, SK: { S: key.SK } }, ConsistentRead: true }),
  );
  return Item === undefined ? undefined : unmarshall(Item);
}

/** Runs `write` with the first put of the item under `sortKey` throttled (every other request goes through). */
async function throttlingOnce<T>(sortKey: string, write: () => Promise<T>): Promise<T> {
  let throttled = 0;
  dynamo.client.middlewareStack.add(
    (next) => async (args) => {
      if ((args.input as { Item?: { SK?: { S?: string } } }).Item?.SK?.S === sortKey && throttled++ === 0)
        throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
      return next(args);
    },
    { step: 'initialize', name: 'throttleOnce' },
  );
  let result: T;
  try {
    result = await write();
  } finally {
    dynamo.client.middlewareStack.remove('throttleOnce');
  }
  expect(throttled).toBe(1);
  return result;
}

// A table per test keeps the queue tests from seeing each other's cases.
caseStoreContract('DynamoDB', async ({ projection, faults }) => {
  const tableName = await dynamo.createTable();
  const store = new DynamoDbCaseStore({ client: dynamo.client, tableName, projection, faults });
  return {
    store,
    rawItem: (key) => rawItem(tableName, key),
    putRawItem: async (item) => {
      await dynamo.client.send(new PutItemCommand({ TableName: tableName, Item: marshall(item, { removeUndefinedValues: true }) }));
    },
  };
});

describe('DynamoDB case store: wire-level failures', () => {
  it('repairs a case from a commit item written straight into the table', async () => {
    const tableName = await dynamo.createTable();
    const store = new DynamoDbCaseStore({ client: dynamo.client, tableName, projection: toyProjection });
    await store.append('case-1', 0, [{ type: 'opened', phase: 'triage' }]);
    const key = caseCommitKey('case-1', 2);
    await dynamo.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          PK: { S: key.PK },
          SK: { S: key.SK },
          caseId: { S: 'case-1' },
          firstSeq: { N: '2' },
          lastSeq: { N: '3' },
          commitId: { S: 'written-by-hand' },
          events: {
            S: JSON.stringify([
              { type: 'moved', phase: 'embargo', seq: 2 },
              { type: 'noted', text: 'x', seq: 3 },
            ]),
          },
        },
      }),
    );

    const loaded = await store.load('case-1');

    expect(loaded).toMatchObject({ version: 3, state: { phase: 'embargo', notes: ['x'] } });
    expect(await rawItem(tableName, caseSnapshotKey('case-1'))).toMatchObject({ version: 3 });
    expect(await rawItem(tableName, caseSummaryKey('case-1'))).toMatchObject({ version: 3, GSI1PK: 'PHASE#embargo' });
  });

  it('reads a snapshot deflated as base64 (written before binary), in the queue too, and writes the next one as binary', async () => {
    const tableName = await dynamo.createTable();
    const store = new DynamoDbCaseStore({ client: dynamo.client, tableName, projection: toyProjection });
    const notes = Array.from({ length: 400 }, (_, i) => `note ${i}: the upload handler writes the file name into the path`);
    const events = [{ type: 'opened' as const, phase: 'triage' }, ...notes.map((text) => ({ type: 'noted' as const, text }))];
    await store.append('case-1', 0, events);
    const written = (await rawItem(tableName, caseSnapshotKey('case-1'))) as Record<string, unknown>;
    const { stateZ, ...rest } = written;
    expect(stateZ).toBeInstanceOf(Uint8Array);
    // The same snapshot as an earlier release stored it.
    const old = marshall({ ...rest, stateDeflated: Buffer.from(stateZ as Uint8Array).toString('base64') });
    await dynamo.client.send(new PutItemCommand({ TableName: tableName, Item: old }));

    expect((await store.load('case-1'))?.state.notes).toEqual(notes);
    expect((await store.queue('triage')).items.map((i) => i.entry.notes)).toEqual([400]);
    await store.append('case-1', events.length, [{ type: 'noted', text: 'one more' }]);
    const next = await rawItem(tableName, caseSnapshotKey('case-1'));
    expect(next?.stateDeflated).toBeUndefined();
    const nextZ = next?.stateZ;
    expect(nextZ instanceof Uint8Array ? nextZ.byteLength : Number.POSITIVE_INFINITY).toBeLessThan((old.stateDeflated?.S ?? '').length);
    expect((await store.load('case-1'))?.state.notes).toEqual([...notes, 'one more']);
  });

  it('lists a snapshot that carries the index keys itself (written before summaries) once, until the next write replaces it', async () => {
    const tableName = await dynamo.createTable();
    const store = new DynamoDbCaseStore({ client: dynamo.client, tableName, projection: toyProjection });
    // As an earlier release stored an open case: the state and the index keys on one item, no summary.
    const state = { ...toyProjection.initial('old'), phase: 'triage', notes: ['before the upgrade'], seqs: [1, 2] };
    const commit = caseCommitKey('old', 1);
    const events = [
      { type: 'opened', phase: 'triage', seq: 1 },
      { type: 'noted', text: 'before the upgrade', seq: 2 },
    ];
    await dynamo.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({ ...commit, caseId: 'old', firstSeq: 1, lastSeq: 2, commitId: 'earlier-release', events: JSON.stringify(events) }),
      }),
    );
    await dynamo.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({
          ...caseSnapshotKey('old'),
          caseId: 'old',
          version: 2,
          state: JSON.stringify(state),
          phase: 'triage',
          GSI1PK: 'PHASE#triage',
          GSI1SK: '~#old',
        }),
      }),
    );

    expect((await store.queue('triage')).items).toEqual([
      { caseId: 'old', version: 2, nextDeadlineAt: null, entry: { phase: 'triage', counter: 0, notes: 1 } },
    ]);
    expect(await store.summary('old')).toBeNull();
    await store.append('old', 2, [{ type: 'noted', text: 'after it' }]);

    expect((await store.queue('triage')).items).toEqual([
      { caseId: 'old', version: 3, nextDeadlineAt: null, entry: { phase: 'triage', counter: 0, notes: 2 } },
    ]);
    expect((await rawItem(tableName, caseSnapshotKey('old')))?.GSI1PK).toBeUndefined();
  });

  it('holds the snapshot back when the summary cannot be written, so the next reader repairs both and the queue is current', async () => {
    const tableName = await dynamo.createTable();
    const failures: string[] = [];
    const store = new DynamoDbCaseStore({
      client: dynamo.client,
      tableName,
      projection: toyProjection,
      onSnapshotWriteError: (_caseId, error) => failures.push((error as Error).name),
    });
    await store.append('case-1', 0, [{ type: 'opened', phase: 'triage' }]);
    // The summary's put is throttled once; every other request goes through.
    const send = dynamo.client.send.bind(dynamo.client);
    let throttled = false;
    dynamo.client.send = ((command: { input?: { Item?: { SK?: { S?: string } } } }, ...rest: unknown[]) => {
      if (!throttled && command.input?.Item?.SK?.S === 'SUMMARY') {
        throttled = true;
        const e = new Error('Rate of requests exceeds the allowed throughput.');
        e.name = 'ProvisionedThroughputExceededException';
        return Promise.reject(e);
      }
      return (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as typeof dynamo.client.send;
    try {
      const r = await store.append('case-1', 1, [{ type: 'moved', phase: 'embargo' }]);
      expect(r.version).toBe(2);
    } finally {
      dynamo.client.send = send;
    }
    expect(failures).toEqual(['ProvisionedThroughputExceededException']);
    expect(await rawItem(tableName, caseSnapshotKey('case-1'))).toMatchObject({ version: 1 });

    expect((await store.load('case-1'))?.state.phase).toBe('embargo');

    expect(await rawItem(tableName, caseSnapshotKey('case-1'))).toMatchObject({ version: 2 });
    expect((await store.queue('triage')).items).toEqual([]);
    expect((await store.queue('embargo')).items.map((i) => [i.caseId, i.version])).toEqual([['case-1', 2]]);
  });

  it('refuses an append on a slice whose own write was throttled, so the next is decided on the case as stored', async () => {
    const tableName = await dynamo.createTable();
    const store = new DynamoDbCaseStore({ client: dynamo.client, tableName, projection: toyPartsProjection });
    await store.append('case-1', 0, [
      { type: 'opened', phase: 'triage' },
      ...Array.from({ length: 7 }, (_, i) => ({ type: 'noted' as const, text: `n${i}` })),
    ]);
    const slice = await store.loadSlice('case-1', ['n0001']);
    if (!slice || slice.whole) throw new Error('not a slice');
    const first = await throttlingOnce('CASE#P#n0001', () => store.appendToSlice(slice, [{ type: 'edited', from: 'n3', to: 'three' }]));

    await expect(store.appendToSlice(first, [{ type: 'incremented', expected: 0, by: 'a' }])).rejects.toBeInstanceOf(SliceTooNarrowError);
    // Read again, the slice is the whole case, repaired (its core is behind the log), and takes the append.
    const again = await store.loadSlice('case-1', ['n0001']);
    expect(again).toMatchObject({ version: 9, whole: true });
    if (!again) throw new Error('no case');
    await store.appendToSlice(again, [{ type: 'incremented', expected: 0, by: 'a' }]);
    expect(await store.load('case-1')).toEqual({
      caseId: 'case-1',
      version: 10,
      state: foldLog('case-1', await readWholeLog(store, 'case-1')),
    });
  });

  it('writes every part over a state whose part write was throttled, so the snapshot stays readable without the log', async () => {
    const tableName = await dynamo.createTable();
    const store = new DynamoDbCaseStore({ client: dynamo.client, tableName, projection: toyPartsProjection });
    const notes = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ type: 'noted' as const, text: `note ${from + i}` }));
    await store.append('case-1', 0, [{ type: 'opened', phase: 'triage' }, ...notes(4, 0)]);
    const first = await throttlingOnce('CASE#P#n0001', () => store.append('case-1', 5, notes(1, 4)));

    // The next append decides on what the first returned (as a turn does) and changes the core only.
    await store.append('case-1', 6, [{ type: 'incremented', expected: 0, by: 'a' }], { base: first });

    // Every part the core names holds what the core says: no reader has to rebuild from the log.
    const core = await rawItem(tableName, caseSnapshotKey('case-1'));
    const named = core?.parts as Record<string, string>;
    for (const [name, h] of Object.entries(named)) expect((await rawItem(tableName, casePartKey('case-1', name)))?.h, name).toBe(h);
    expect(await store.load('case-1')).toEqual({
      caseId: 'case-1',
      version: 7,
      state: foldLog('case-1', await readWholeLog(store, 'case-1')),
    });
  });

  it('treats a retried put that collides with its own earlier success as a success', async () => {
    const tableName = await dynamo.createTable();
    const store = new DynamoDbCaseStore({ client: dynamo.client, tableName, projection: toyProjection });
    await store.append('case-1', 0, [{ type: 'opened', phase: 'triage' }]);
    // The response to the first commit put is "lost": the put is sent again, as the SDK's retry would.
    let duplicated = false;
    dynamo.client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Item?: { SK?: { S?: string } } };
        if (!duplicated && input.Item?.SK?.S?.startsWith('EVENT#') === true) {
          duplicated = true;
          await next(args);
        }
        return next(args);
      },
      { step: 'initialize', name: 'duplicateCommitPut' },
    );

    try {
      const result = await store.append('case-1', 1, [{ type: 'noted', text: 'once' }]);

      expect(duplicated).toBe(true);
      expect(result.version).toBe(2);
      const log = await readWholeLog(store, 'case-1');
      expect(log.map((e) => e.seq)).toEqual([1, 2]);
      expect(await store.load('case-1')).toEqual({ caseId: 'case-1', version: 2, state: foldLog('case-1', log) });
    } finally {
      dynamo.client.middlewareStack.remove('duplicateCommitPut');
    }
  });

  it('still answers a load when the repaired snapshot cannot be written back', async () => {
    const tableName = await dynamo.createTable();
    let crash = true;
    const writer = new DynamoDbCaseStore({
      client: dynamo.client,
      tableName,
      projection: toyProjection,
      faults: {
        afterCommit: () => {
          if (crash) throw new Error('crash');
        },
      },
    });
    await expect(writer.append('case-1', 0, [{ type: 'opened', phase: 'triage' }])).rejects.toThrow('crash');
    crash = false;
    const failures: unknown[] = [];
    // Denying snapshot puts stands in for a read-only role without dynamodb:PutItem.
    const reader = new DynamoDbCaseStore({
      client: dynamo.client,
      tableName,
      projection: toyProjection,
      onSnapshotWriteError: (_id, e) => failures.push(e),
    });
    dynamo.client.middlewareStack.add(
      (next) => async (args) => {
        if ((args.input as { Item?: { SK?: { S?: string } } }).Item?.SK?.S === 'CASE')
          throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
        return next(args);
      },
      { step: 'initialize', name: 'denySnapshotWrites' },
    );

    try {
      expect(await reader.load('case-1')).toMatchObject({ version: 1, state: { phase: 'triage' } });
      expect(failures).toHaveLength(1);
    } finally {
      dynamo.client.middlewareStack.remove('denySnapshotWrites');
    }
  });
});
