// Starts dynalite in this process, in memory, on a random loopback port, with the case table
// created from table-layout.ts. Tests get a real DynamoDB wire protocol without Docker or Java.
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput } from '../../functions/adapters/table-layout.js';

export interface LocalDynamo {
  client: DynamoDBClient;
  endpoint: string;
  /** The table created at start. */
  tableName: string;
  /** Another empty table with the same layout, for tests that need one to themselves. */
  createTable(): Promise<string>;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let tables = 0;
  const createTable = async (): Promise<string> => {
    tables += 1;
    const tableName = `cases-${tables}`;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    // Even with createTableMs 0 the table turns ACTIVE on a timer, not within CreateTable.
    for (;;) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
      if (Table?.TableStatus === 'ACTIVE' && indexesActive) return tableName;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const tableName = await createTable();
  const close = async (): Promise<void> => {
    client.destroy();
    // The SDK keeps connections alive; without this close() would wait for them to time out.
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  };
  return { client, endpoint, tableName, createTable, close };
}
