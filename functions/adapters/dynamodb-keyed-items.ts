// The case table's items looked up by key alone: access grants, Idempotency-Key records and the
// task token a case's execution waits on (layout in table-layout.ts). DynamoDbCaseStore adds the
// event log and the queue on top.
import { DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { fromAttributes, toAttributes } from './attribute-values.js';
import {
  type AccessGrant,
  type CaseWait,
  GrantExistsError,
  GrantNotFoundError,
  type GrantStore,
  type IdempotencyClaim,
  IdempotencyKeyNotFoundError,
  type IdempotencyStore,
  type WaitStore,
} from './event-store.js';
import {
  assertCaseId,
  assertHash,
  grantFromItem,
  grantItem,
  idempotencyRecordFromItem,
  waitFromItem,
  waitItem,
  type GrantItem,
  type IdempotencyItem,
  type WaitItem,
} from './store-items.js';
import { PARTITION_KEY, caseWaitKey, grantKey, idempotencyKey, type ItemKey } from './table-layout.js';

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export class DynamoDbKeyedItems implements GrantStore, IdempotencyStore, WaitStore {
  constructor(
    protected readonly client: DynamoDBClient,
    protected readonly tableName: string,
  ) {}

  async putGrant(grant: AccessGrant): Promise<void> {
    const item = grantItem(grant);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes(item),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY },
        }),
      );
    } catch (error) {
      throw isConditionFailure(error) ? new GrantExistsError() : error;
    }
  }

  async getGrant(tokenHash: string): Promise<AccessGrant | null> {
    assertHash(tokenHash, 'tokenHash');
    // Strongly consistent, so a revocation takes effect on the very next request.
    const item = await this.get<GrantItem>(grantKey(tokenHash));
    return item === null ? null : grantFromItem(item);
  }

  async revokeGrant(tokenHash: string, revokedAt: string): Promise<void> {
    assertHash(tokenHash, 'tokenHash');
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes(grantKey(tokenHash)),
          UpdateExpression: 'SET #revokedAt = :revokedAt',
          ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#revokedAt)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#revokedAt': 'revokedAt' },
          ExpressionAttributeValues: toAttributes({ ':revokedAt': revokedAt }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Either absent (an error) or already revoked (fine: the first revocation time stays).
      if ((await this.get<GrantItem>(grantKey(tokenHash))) === null) throw new GrantNotFoundError();
    }
  }

  async claimIdempotency(keyHash: string, requestHash: string, now: string): Promise<IdempotencyClaim> {
    assertHash(keyHash, 'keyHash');
    const item: IdempotencyItem = { ...idempotencyKey(keyHash), keyHash, requestHash, state: 'pending', createdAt: now };
    // A second round only if the record vanished between our failed put and our read (released).
    for (let round = 0; round < 3; round += 1) {
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: toAttributes(item),
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': PARTITION_KEY },
          }),
        );
        return { status: 'claimed' };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const existing = await this.get<IdempotencyItem>(idempotencyKey(keyHash));
      if (existing !== null) return { status: 'existing', record: idempotencyRecordFromItem(existing) };
    }
    throw new Error('the idempotency key kept being claimed and released');
  }

  async completeIdempotency(keyHash: string, result: unknown): Promise<void> {
    assertHash(keyHash, 'keyHash');
    const json = JSON.stringify(result);
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes(idempotencyKey(keyHash)),
          UpdateExpression: json === undefined ? 'SET #state = :done' : 'SET #state = :done, #result = :result',
          ConditionExpression: 'attribute_exists(#pk) AND #state = :pending',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#state': 'state', ...(json === undefined ? {} : { '#result': 'result' }) },
          ExpressionAttributeValues: toAttributes({ ':done': 'done', ':pending': 'pending', ':result': json }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Already done: the first result stays, which is what retries must see.
      if ((await this.get<IdempotencyItem>(idempotencyKey(keyHash))) === null) throw new IdempotencyKeyNotFoundError();
    }
  }

  async releaseIdempotency(keyHash: string): Promise<void> {
    assertHash(keyHash, 'keyHash');
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: toAttributes(idempotencyKey(keyHash)),
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: toAttributes({ ':pending': 'pending' }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async putWait(caseId: string, wait: CaseWait): Promise<void> {
    const item = waitItem(caseId, wait);
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toAttributes(item) }));
  }

  async getWait(caseId: string): Promise<CaseWait | null> {
    assertCaseId(caseId);
    const item = await this.get<WaitItem>(caseWaitKey(caseId));
    return item === null ? null : waitFromItem(item);
  }

  async clearWait(caseId: string, token: string): Promise<boolean> {
    assertCaseId(caseId);
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: toAttributes(caseWaitKey(caseId)),
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: toAttributes({ ':token': token }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  protected async get<T>(key: ItemKey): Promise<T | null> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toAttributes(key), ConsistentRead: true }),
    );
    return Item === undefined ? null : fromAttributes<T>(Item);
  }
}
