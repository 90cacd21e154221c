// What participants write that can grow without bound lives outside the case snapshot: each
// message is an item of its own under the case's partition (MSG#), read by the views that show it,
// and what each participant may still write is counted in quota items (QUOTA#). The snapshot keeps
// a bounded summary, so no participant can fill the case's item and lock the coordinators out.
// Two implementations pass one contract suite: DynamoDB (below) and the in-memory twin.
import { type DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { FileRef } from '../domain/attachments.js';
import type { Audience, Recipients } from '../domain/audience.js';
import { fromAttributes, toAttributes } from './attribute-values.js';
import { DynamoDbMessageInbox, type InboxEntry, type InboxPage, type MessageInbox, MemoryMessageInbox } from './message-inbox.js';
import { PARTITION_KEY, SORT_KEY, casePartition } from './table-layout.js';

export type MessageKind = 'comment' | 'information';

/** A message as stored: who wrote it, to whom it goes, and its body. */
export interface StoredMessage {
  caseId: string;
  messageId: string;
  at: string;
  by: { role: string; participant?: string };
  audience: Audience;
  /** Whom a coordinator's message reaches. */
  to?: Recipients;
  inReplyTo?: string;
  threadId?: string;
  onDraft: boolean;
  kind: MessageKind;
  body: string;
  /** The files it carries, as its readers see them listed. */
  files?: FileRef[];
}

export interface MessagePage {
  /** Newest first. */
  messages: StoredMessage[];
  cursor: string | null;
}

/** What a participant may write to one case: per UTC day, and in all. */
export interface QuotaLimits {
  messagesPerDay: number;
  bytesPerDay: number;
  bytesPerCase: number;
}

export type QuotaLimit = 'messages-per-day' | 'bytes-per-day' | 'bytes-per-case' | 'embargo-proposals-per-day' | 'update-requests-per-day';
export type QuotaResult = { ok: true } | { ok: false; limit: QuotaLimit };

export interface CaseContent extends MessageInbox {
  /** Stores a message; an id already taken is refused (MessageExistsError), so a retry never doubles one. */
  putMessage(message: StoredMessage): Promise<void>;
  /** One message by its id, or null. */
  getMessage(caseId: string, messageId: string): Promise<StoredMessage | null>;
  /** A case's messages, newest first. */
  listMessages(caseId: string, opts?: { limit?: number; cursor?: string }): Promise<MessagePage>;
  /**
   * Counts one message of `bytes` against a participant's quota on a case, all or nothing: when a
   * limit would be passed, nothing is counted and the limit is named.
   */
  consumeQuota(caseId: string, participant: string, day: string, bytes: number, limits: QuotaLimits): Promise<QuotaResult>;
  /**
   * Counts one acknowledgement mailed to an address (by its hash) on a UTC day; false, counting
   * nothing, once `max` were sent that day. Anyone can name any address in a report: this keeps
   * our sender from being turned against a mailbox.
   */
  consumeMailQuota(addressHash: string, day: string, max: number): Promise<boolean>;
}

export class MessageExistsError extends Error {
  override readonly name = 'MessageExistsError';
}

const MESSAGE_PREFIX = 'MSG#';
/** Sort keys by time then id, so a Query in reverse order reads the newest first. */
export const messageKey = (m: Pick<StoredMessage, 'caseId' | 'at' | 'messageId'>) => ({
  PK: casePartition(m.caseId),
  SK: `${MESSAGE_PREFIX}${m.at}#${m.messageId}`,
});
export const quotaDayKey = (caseId: string, participant: string, day: string) => ({
  PK: casePartition(caseId),
  SK: `QUOTA#${participant}#${day}`,
});
export const quotaTotalKey = (caseId: string, participant: string) => ({ PK: casePartition(caseId), SK: `QUOTA#${participant}#total` });
export const mailQuotaKey = (addressHash: string, day: string) => ({ PK: `MAILQUOTA#${addressHash}`, SK: day });

const MAX_LIST = 200;
const encodeCursor = (sk: string) => Buffer.from(sk, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sk.startsWith(MESSAGE_PREFIX) || encodeCursor(sk) !== cursor)
    throw Object.assign(new Error('the cursor is not one this list returned'), { name: 'InvalidCursorError' });
  return sk;
}
const messageOf = (item: Record<string, unknown>): StoredMessage => {
  const { PK: _pk, SK: _sk, ...m } = item;
  return m as unknown as StoredMessage;
};

// ---- DynamoDB ---------------------------------------------------------------------------------

export class DynamoDbCaseContent implements CaseContent {
  private readonly inbox: DynamoDbMessageInbox;
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.inbox = new DynamoDbMessageInbox(client, tableName);
  }

  putCopies = (caseId: string, copies: readonly { reader: string; entry: InboxEntry }[]) => this.inbox.putCopies(caseId, copies);
  listInbox = (caseId: string, reader: string, opts?: { limit?: number; cursor?: string }): Promise<InboxPage> =>
    this.inbox.listInbox(caseId, reader, opts);
  readMarker = (caseId: string, reader: string) => this.inbox.readMarker(caseId, reader);
  markRead = (caseId: string, reader: string, position: string) => this.inbox.markRead(caseId, reader, position);
  countUnread = (caseId: string, reader: string, after: string | null) => this.inbox.countUnread(caseId, reader, after);

  async getMessage(caseId: string, messageId: string): Promise<StoredMessage | null> {
    // Newest first: the message looked for is nearly always among the latest.
    let cursor: string | undefined;
    do {
      const page = await this.listMessages(caseId, { limit: MAX_LIST, ...(cursor ? { cursor } : {}) });
      const found = page.messages.find((m) => m.messageId === messageId);
      if (found) return found;
      cursor = page.cursor ?? undefined;
    } while (cursor);
    return null;
  }

  async putMessage(message: StoredMessage): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes({ ...messageKey(message), ...message }),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY },
        }),
      );
    } catch (e) {
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException')
        throw new MessageExistsError(`message ${message.messageId} exists`);
      throw e;
    }
  }

  async listMessages(caseId: string, opts: { limit?: number; cursor?: string } = {}): Promise<MessagePage> {
    const limit = Math.min(opts.limit ?? 50, MAX_LIST);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
        ExpressionAttributeValues: toAttributes({ ':pk': casePartition(caseId), ':prefix': MESSAGE_PREFIX }),
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
        ...(opts.cursor ? { ExclusiveStartKey: toAttributes({ PK: casePartition(caseId), SK: decodeCursor(opts.cursor) }) } : {}),
      }),
    );
    const messages = (out.Items ?? []).map((i) => messageOf(fromAttributes<Record<string, unknown>>(i)));
    const last = out.LastEvaluatedKey ? fromAttributes<{ SK: string }>(out.LastEvaluatedKey).SK : null;
    return { messages, cursor: last ? encodeCursor(last) : null };
  }

  async consumeQuota(caseId: string, participant: string, day: string, bytes: number, limits: QuotaLimits): Promise<QuotaResult> {
    // Two conditional updates (no transaction): the case total first, then the day; a day that
    // refuses gives its bytes back to the total, so a refused message counts nowhere.
    const add = (key: { PK: string; SK: string }, condition: string, values: Record<string, number>) =>
      this.client
        .send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: toAttributes(key),
            UpdateExpression: 'ADD #n :one, #b :bytes',
            ConditionExpression: condition,
            ExpressionAttributeNames: { '#n': 'messages', '#b': 'bytes' },
            ExpressionAttributeValues: toAttributes(values),
          }),
        )
        .then(
          () => true,
          (e: unknown) => {
            if (e instanceof Error && e.name === 'ConditionalCheckFailedException') return false;
            throw e;
          },
        );
    const totalOk = await add(quotaTotalKey(caseId, participant), 'attribute_not_exists(#b) OR #b <= :room', {
      ':one': 1,
      ':bytes': bytes,
      ':room': limits.bytesPerCase - bytes,
    });
    if (!totalOk || bytes > limits.bytesPerCase) return { ok: false, limit: 'bytes-per-case' };
    const dayOk = await add(
      quotaDayKey(caseId, participant, day),
      '(attribute_not_exists(#n) OR #n < :max) AND (attribute_not_exists(#b) OR #b <= :room)',
      {
        ':one': 1,
        ':bytes': bytes,
        ':max': limits.messagesPerDay,
        ':room': limits.bytesPerDay - bytes,
      },
    );
    if (dayOk && bytes <= limits.bytesPerDay) return { ok: true };
    await add(quotaTotalKey(caseId, participant), 'attribute_exists(#b)', { ':one': -1, ':bytes': -bytes });
    return { ok: false, limit: await this.dayLimit(caseId, participant, day, bytes, limits) };
  }

  async consumeMailQuota(addressHash: string, day: string, max: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes(mailQuotaKey(addressHash, day)),
          UpdateExpression: 'ADD #n :one',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
          ExpressionAttributeNames: { '#n': 'sent' },
          ExpressionAttributeValues: toAttributes({ ':one': 1, ':max': max }),
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  /** Which of the day's two limits refused. */
  private async dayLimit(caseId: string, participant: string, day: string, bytes: number, limits: QuotaLimits): Promise<QuotaLimit> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toAttributes(quotaDayKey(caseId, participant, day)), ConsistentRead: true }),
    );
    const item = out.Item ? fromAttributes<{ messages?: number; bytes?: number }>(out.Item) : {};
    return (item.messages ?? 0) >= limits.messagesPerDay
      ? 'messages-per-day'
      : bytes > limits.bytesPerDay || (item.bytes ?? 0) + bytes > limits.bytesPerDay
        ? 'bytes-per-day'
        : 'messages-per-day';
  }
}

// ---- in memory --------------------------------------------------------------------------------

export class MemoryCaseContent implements CaseContent {
  private readonly messages = new Map<string, StoredMessage>();
  private readonly quotas = new Map<string, { messages: number; bytes: number }>();
  private readonly inbox = new MemoryMessageInbox((caseId) => [...this.messages.values()].filter((m) => m.caseId === caseId));

  putCopies = (caseId: string, copies: readonly { reader: string; entry: InboxEntry }[]) => this.inbox.putCopies(caseId, copies);
  listInbox = (caseId: string, reader: string, opts?: { limit?: number; cursor?: string }): Promise<InboxPage> =>
    this.inbox.listInbox(caseId, reader, opts);
  readMarker = (caseId: string, reader: string) => this.inbox.readMarker(caseId, reader);
  markRead = (caseId: string, reader: string, position: string) => this.inbox.markRead(caseId, reader, position);
  countUnread = (caseId: string, reader: string, after: string | null) => this.inbox.countUnread(caseId, reader, after);

  async getMessage(caseId: string, messageId: string): Promise<StoredMessage | null> {
    const m = [...this.messages.values()].find((x) => x.caseId === caseId && x.messageId === messageId);
    return m ? (JSON.parse(JSON.stringify(m)) as StoredMessage) : null;
  }

  async putMessage(message: StoredMessage): Promise<void> {
    const key = messageKey(message).PK + messageKey(message).SK;
    if (this.messages.has(key)) throw new MessageExistsError(`message ${message.messageId} exists`);
    this.messages.set(key, JSON.parse(JSON.stringify(message)) as StoredMessage);
  }

  async listMessages(caseId: string, opts: { limit?: number; cursor?: string } = {}): Promise<MessagePage> {
    const limit = Math.min(opts.limit ?? 50, MAX_LIST);
    const before = opts.cursor ? decodeCursor(opts.cursor) : null;
    const all = [...this.messages.values()]
      .filter((m) => m.caseId === caseId)
      .map((m) => ({ m, sk: messageKey(m).SK }))
      .filter((x) => before === null || x.sk < before)
      .sort((a, b) => (a.sk < b.sk ? 1 : -1));
    const page = all.slice(0, limit);
    const last = page.at(-1);
    return {
      messages: page.map((x) => JSON.parse(JSON.stringify(x.m)) as StoredMessage),
      cursor: all.length > limit && last ? encodeCursor(last.sk) : null,
    };
  }

  async consumeQuota(caseId: string, participant: string, day: string, bytes: number, limits: QuotaLimits): Promise<QuotaResult> {
    const totalKey = JSON.stringify(quotaTotalKey(caseId, participant));
    const dayKey = JSON.stringify(quotaDayKey(caseId, participant, day));
    const total = this.quotas.get(totalKey) ?? { messages: 0, bytes: 0 };
    const today = this.quotas.get(dayKey) ?? { messages: 0, bytes: 0 };
    if (total.bytes + bytes > limits.bytesPerCase) return { ok: false, limit: 'bytes-per-case' };
    if (today.messages >= limits.messagesPerDay) return { ok: false, limit: 'messages-per-day' };
    if (today.bytes + bytes > limits.bytesPerDay) return { ok: false, limit: 'bytes-per-day' };
    this.quotas.set(totalKey, { messages: total.messages + 1, bytes: total.bytes + bytes });
    this.quotas.set(dayKey, { messages: today.messages + 1, bytes: today.bytes + bytes });
    return { ok: true };
  }

  async consumeMailQuota(addressHash: string, day: string, max: number): Promise<boolean> {
    const key = JSON.stringify(mailQuotaKey(addressHash, day));
    const sent = this.quotas.get(key)?.messages ?? 0;
    if (sent >= max) return false;
    this.quotas.set(key, { messages: sent + 1, bytes: 0 });
    return true;
  }
}
