// Each reader's own list of messages: when a message is stored, every participant who may read it
// (its writer and its recipients, decided from the message's audience) gets a copy written for
// them under their own key (INBOX#<reader>#…), holding only what that reader may know of it. A
// reporter's or a vendor's list is a Query of their own key, never a filtered list built for
// someone else. What a reader has read is a marker of their own (READ#<reader>); the coordinators'
// list is the case's messages themselves (MSG#).
import { type DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { FileRef } from '../domain/attachments.js';
import { fromAttributes, toAttributes } from './attribute-values.js';
import { PARTITION_KEY, SORT_KEY, casePartition } from './table-layout.js';

/** One reader's copy of a message. */
export interface InboxEntry {
  messageId: string;
  at: string;
  from: 'coordinator' | 'reporter' | 'vendor';
  /** The reader wrote it. */
  own: boolean;
  kind: 'comment' | 'information';
  onDraft: boolean;
  body: string;
  /** Only when the reader can read the message answered. */
  inReplyTo?: string;
  threadId: string;
  files?: FileRef[];
}

export interface InboxPage {
  /** Newest first. */
  entries: InboxEntry[];
  cursor: string | null;
}

const INBOX = 'INBOX#';
const prefixOf = (reader: string) => `${INBOX}${reader}#`;
/** Where a message sits in every list: its time, then its id. */
export const listPosition = (m: { at: string; messageId: string }) => `${m.at}#${m.messageId}`;
export const inboxKey = (caseId: string, reader: string, m: { at: string; messageId: string }) => ({
  PK: casePartition(caseId),
  SK: `${prefixOf(reader)}${listPosition(m)}`,
});
export const readMarkerKey = (caseId: string, reader: string) => ({ PK: casePartition(caseId), SK: `READ#${reader}` });

const encode = (sk: string) => Buffer.from(sk, 'utf8').toString('base64url');
/** A cursor is one this reader's list returned, or it is refused: another reader's cursor opens nothing. */
export function decodeListCursor(cursor: string, prefix: string): string {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sk.startsWith(prefix) || encode(sk) !== cursor)
    throw Object.assign(new Error('the cursor is not one this list returned'), { name: 'InvalidCursorError' });
  return sk;
}
export const encodeListCursor = encode;

const entryOf = (item: Record<string, unknown>): InboxEntry => {
  const { PK: _pk, SK: _sk, ...e } = item;
  return e as unknown as InboxEntry;
};

export interface MessageInbox {
  /** Writes each reader's copy; a copy already there is written again, unchanged (a retry). */
  putCopies(caseId: string, copies: readonly { reader: string; entry: InboxEntry }[]): Promise<void>;
  listInbox(caseId: string, reader: string, opts?: { limit?: number; cursor?: string }): Promise<InboxPage>;
  /** The position (listPosition) of the newest message the reader has seen, or null. */
  readMarker(caseId: string, reader: string): Promise<string | null>;
  /** Moves the reader's marker forward to `position`; never back. */
  markRead(caseId: string, reader: string, position: string): Promise<void>;
  /** Messages in the reader's list, not their own, after the marker. */
  countUnread(caseId: string, reader: string, after: string | null): Promise<number>;
}

const MAX_LIST = 200;

export class DynamoDbMessageInbox implements MessageInbox {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async putCopies(caseId: string, copies: readonly { reader: string; entry: InboxEntry }[]): Promise<void> {
    for (const c of copies)
      await this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: toAttributes({ ...inboxKey(caseId, c.reader, c.entry), ...c.entry }) }),
      );
  }

  async listInbox(caseId: string, reader: string, opts: { limit?: number; cursor?: string } = {}): Promise<InboxPage> {
    const prefix = prefixOf(reader);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
        ExpressionAttributeValues: toAttributes({ ':pk': casePartition(caseId), ':prefix': prefix }),
        ScanIndexForward: false,
        Limit: Math.min(opts.limit ?? 50, MAX_LIST),
        ConsistentRead: true,
        ...(opts.cursor
          ? { ExclusiveStartKey: toAttributes({ PK: casePartition(caseId), SK: decodeListCursor(opts.cursor, prefix) }) }
          : {}),
      }),
    );
    const last = out.LastEvaluatedKey ? fromAttributes<{ SK: string }>(out.LastEvaluatedKey).SK : null;
    return { entries: (out.Items ?? []).map((i) => entryOf(fromAttributes(i))), cursor: last ? encode(last) : null };
  }

  async readMarker(caseId: string, reader: string): Promise<string | null> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toAttributes(readMarkerKey(caseId, reader)), ConsistentRead: true }),
    );
    const item = out.Item;
    return item ? (fromAttributes<{ upTo?: string }>(item).upTo ?? null) : null;
  }

  async markRead(caseId: string, reader: string, position: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes(readMarkerKey(caseId, reader)),
          UpdateExpression: 'SET #u = :p',
          ConditionExpression: 'attribute_not_exists(#u) OR #u < :p',
          ExpressionAttributeNames: { '#u': 'upTo' },
          ExpressionAttributeValues: toAttributes({ ':p': position }),
        }),
      );
    } catch (e) {
      if (!(e instanceof Error && e.name === 'ConditionalCheckFailedException')) throw e;
    }
  }

  async countUnread(caseId: string, reader: string, after: string | null): Promise<number> {
    // The coordinators' list is the case's messages (MSG#); a participant's, their copies.
    const coordinators = reader === 'coordinators';
    const prefix = coordinators ? 'MSG#' : prefixOf(reader);
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          FilterExpression: coordinators ? '#by.#role <> :coordinator' : '#own = :false',
          ExpressionAttributeNames: {
            '#pk': PARTITION_KEY,
            '#sk': SORT_KEY,
            ...(coordinators ? { '#by': 'by', '#role': 'role' } : { '#own': 'own' }),
          },
          ExpressionAttributeValues: toAttributes({
            ':pk': casePartition(caseId),
            // After the marker: every position sorts after `<marker>` + a character above '#'.
            ':from': after ? `${prefix}${after}$` : prefix,
            ':to': `${prefix}\uffff`,
            ...(coordinators ? { ':coordinator': 'coordinator' } : { ':false': false }),
          }),
          Select: 'COUNT',
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: toAttributes(start) } : {}),
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey ? fromAttributes(out.LastEvaluatedKey) : undefined;
    } while (start);
    return count;
  }
}

/** The in-memory twin: the same keys and order, for tests and `CVD_IN_MEMORY`. */
export class MemoryMessageInbox implements MessageInbox {
  private readonly copies = new Map<string, InboxEntry>();
  private readonly markers = new Map<string, string>();
  /** The coordinators' unread count reads the case's messages, which the content store holds. */
  constructor(private readonly caseMessages: (caseId: string) => { by: { role: string }; at: string; messageId: string }[]) {}

  async putCopies(caseId: string, copies: readonly { reader: string; entry: InboxEntry }[]): Promise<void> {
    for (const c of copies) {
      const k = inboxKey(caseId, c.reader, c.entry);
      this.copies.set(k.PK + k.SK, JSON.parse(JSON.stringify(c.entry)) as InboxEntry);
    }
  }

  async listInbox(caseId: string, reader: string, opts: { limit?: number; cursor?: string } = {}): Promise<InboxPage> {
    const limit = Math.min(opts.limit ?? 50, MAX_LIST);
    const pk = casePartition(caseId);
    const prefix = prefixOf(reader);
    const before = opts.cursor ? decodeListCursor(opts.cursor, prefix) : null;
    const all = [...this.copies.entries()]
      .filter(([k]) => k.startsWith(pk + prefix))
      .map(([k, e]) => ({ sk: k.slice(pk.length), e }))
      .filter((x) => before === null || x.sk < before)
      .sort((a, b) => (a.sk < b.sk ? 1 : -1));
    const page = all.slice(0, limit);
    const last = page.at(-1);
    return {
      entries: page.map((x) => JSON.parse(JSON.stringify(x.e)) as InboxEntry),
      cursor: all.length > limit && last ? encode(last.sk) : null,
    };
  }

  async readMarker(caseId: string, reader: string): Promise<string | null> {
    return this.markers.get(JSON.stringify(readMarkerKey(caseId, reader))) ?? null;
  }

  async markRead(caseId: string, reader: string, position: string): Promise<void> {
    const k = JSON.stringify(readMarkerKey(caseId, reader));
    const old = this.markers.get(k);
    if (old === undefined || old < position) this.markers.set(k, position);
  }

  async countUnread(caseId: string, reader: string, after: string | null): Promise<number> {
    const newer = (m: { at: string; messageId: string }) => after === null || listPosition(m) > after;
    if (reader === 'coordinators') return this.caseMessages(caseId).filter((m) => m.by.role !== 'coordinator' && newer(m)).length;
    const prefix = casePartition(caseId) + prefixOf(reader);
    return [...this.copies.entries()].filter(([k, e]) => k.startsWith(prefix) && !e.own && newer(e)).length;
  }
}
