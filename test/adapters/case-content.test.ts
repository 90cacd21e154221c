import { afterAll, beforeAll } from 'vitest';
import { DynamoDbCaseContent, MemoryCaseContent } from '../../functions/adapters/case-content.js';
import { caseContentContract } from './case-content.contract.js';
import { type LocalDynamo, startDynalite } from './dynalite.js';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

caseContentContract('in-memory', async () => new MemoryCaseContent());
caseContentContract('DynamoDB', async () => new DynamoDbCaseContent(dynamo.client, await dynamo.createTable()));
