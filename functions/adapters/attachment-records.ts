// The record of each file on a case (FILE#<id> under the case's partition) and what each uploader
// has used of their bytes on the case (FILEQUOTA#<owner>). Grants only ever grow: a message that
// carries a file is added once, whatever the retries. DynamoDB below, and the in-memory twin.
import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttachmentRecord, FileGrant } from '../domain/attachments.js';
import { fromAttributes, toAttributes } from './attribute-values.js';
import { queryPrefix } from './prefix-query.js';
import { isConditionFailure } from './dynamodb-keyed-items.js';
import { PARTITION_KEY, casePartition } from './table-layout.js';

export interface AttachmentRecords {
  /** Records a new file; an id already taken is an error (ids are random: it never happens twice). */
  create(record: AttachmentRecord): Promise<void>;
  get(caseId: string, attachmentId: string): Promise<AttachmentRecord | null>;
  markVerified(caseId: string, attachmentId: string): Promise<void>;
  /** Adds a message that carries the file; adding the same message again changes nothing. */
  addGrant(caseId: string, attachmentId: string, grant: FileGrant): Promise<void>;
  /**
   * Counts one file of `bytes` against the owner's room on the case, all or nothing: the limit it
   * would pass ('bytes' or 'files'), or null when counted.
   */
  reserveBytes(caseId: string, owner: string, bytes: number, max: { bytes: number; files: number }): Promise<'bytes' | 'files' | null>;
  /** Every file of a case (for retention). */
  listForCase(caseId: string): Promise<AttachmentRecord[]>;
  /** The file's content is gone (retention): the record stays, so its readers learn it was removed. */
  markRemoved(caseId: string, attachmentId: string, at: string): Promise<void>;
  /** A coordinator's choice to keep the case's files after publication (or not), and who made it when. */
  setRetention(caseId: string, retention: FileRetention): Promise<void>;
  retentionOf(caseId: string): Promise<FileRetention | null>;
}

export interface FileRetention {
  keep: boolean;
  by: string;
  at: string;
}

export const fileRecordKey = (caseId: string, attachmentId: string) => ({ PK: casePartition(caseId), SK: `FILE#${attachmentId}` });
export const fileQuotaKey = (caseId: string, owner: string) => ({ PK: casePartition(caseId), SK: `FILEQUOTA#${owner}` });
export const fileRetentionKey = (caseId: string) => ({ PK: casePartition(caseId), SK: 'FILERETENTION' });

export type StoredAttachment = AttachmentRecord;

const recordOf = (item: Record<string, unknown>): StoredAttachment => {
  const { PK: _pk, SK: _sk, ...r } = item;
  return r as unknown as StoredAttachment;
};

export class DynamoDbAttachmentRecords implements AttachmentRecords {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(record: AttachmentRecord): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toAttributes({ ...fileRecordKey(record.caseId, record.attachmentId), ...record }),
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY },
      }),
    );
  }

  async get(caseId: string, attachmentId: string): Promise<StoredAttachment | null> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toAttributes(fileRecordKey(caseId, attachmentId)), ConsistentRead: true }),
    );
    return out.Item ? recordOf(fromAttributes(out.Item)) : null;
  }

  async markVerified(caseId: string, attachmentId: string): Promise<void> {
    await this.update(caseId, attachmentId, 'SET #v = :t', { '#v': 'verified' }, { ':t': true });
  }

  async addGrant(caseId: string, attachmentId: string, grant: FileGrant): Promise<void> {
    const current = await this.get(caseId, attachmentId);
    if (!current || current.grants.some((g) => g.messageId === grant.messageId)) return;
    try {
      // Only on the list as read: a concurrent grant makes this one read again and retry.
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes(fileRecordKey(caseId, attachmentId)),
          UpdateExpression: 'SET #g = list_append(#g, :g)',
          ConditionExpression: 'size(#g) = :n',
          ExpressionAttributeNames: { '#g': 'grants' },
          ExpressionAttributeValues: toAttributes({ ':g': [grant], ':n': current.grants.length }),
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      await this.addGrant(caseId, attachmentId, grant);
    }
  }

  async reserveBytes(caseId: string, owner: string, bytes: number, max: { bytes: number; files: number }) {
    if (bytes > max.bytes) return 'bytes' as const;
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes(fileQuotaKey(caseId, owner)),
          UpdateExpression: 'ADD #b :bytes, #n :one',
          ConditionExpression: 'attribute_not_exists(#b) OR (#b <= :room AND #n < :files)',
          ExpressionAttributeNames: { '#b': 'bytes', '#n': 'files' },
          ExpressionAttributeValues: toAttributes({ ':bytes': bytes, ':one': 1, ':room': max.bytes - bytes, ':files': max.files }),
        }),
      );
      return null;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: toAttributes(fileQuotaKey(caseId, owner)), ConsistentRead: true }),
      );
      const used = out.Item ? fromAttributes<{ files?: number }>(out.Item) : {};
      return (used.files ?? 0) >= max.files ? ('files' as const) : ('bytes' as const);
    }
  }

  async listForCase(caseId: string): Promise<StoredAttachment[]> {
    const items = await queryPrefix<Record<string, unknown>>(this.client, this.tableName, casePartition(caseId), 'FILE#');
    return items.map((i) => recordOf(i));
  }

  async markRemoved(caseId: string, attachmentId: string, at: string): Promise<void> {
    await this.update(caseId, attachmentId, 'SET #r = :at', { '#r': 'removedAt' }, { ':at': at });
  }

  async setRetention(caseId: string, retention: FileRetention): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: toAttributes({ ...fileRetentionKey(caseId), ...retention }) }),
    );
  }

  async retentionOf(caseId: string): Promise<FileRetention | null> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toAttributes(fileRetentionKey(caseId)), ConsistentRead: true }),
    );
    if (!out.Item) return null;
    const { keep, by, at } = fromAttributes<FileRetention>(out.Item);
    return { keep, by, at };
  }

  private async update(caseId: string, attachmentId: string, expr: string, names: Record<string, string>, values: Record<string, unknown>) {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes(fileRecordKey(caseId, attachmentId)),
          UpdateExpression: expr,
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { ...names, '#pk': PARTITION_KEY },
          ExpressionAttributeValues: toAttributes(values),
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
}

export class MemoryAttachmentRecords implements AttachmentRecords {
  private readonly records = new Map<string, StoredAttachment>();
  private readonly used = new Map<string, { bytes: number; files: number }>();
  private readonly copy = (r: StoredAttachment): StoredAttachment => JSON.parse(JSON.stringify(r)) as StoredAttachment;
  private readonly key = (caseId: string, id: string) => JSON.stringify(fileRecordKey(caseId, id));

  async create(record: AttachmentRecord): Promise<void> {
    const k = this.key(record.caseId, record.attachmentId);
    if (this.records.has(k)) throw new Error(`file ${record.attachmentId} exists`);
    this.records.set(k, this.copy(record));
  }

  async get(caseId: string, attachmentId: string): Promise<StoredAttachment | null> {
    const r = this.records.get(this.key(caseId, attachmentId));
    return r ? this.copy(r) : null;
  }

  async markVerified(caseId: string, attachmentId: string): Promise<void> {
    const r = this.records.get(this.key(caseId, attachmentId));
    if (r) r.verified = true;
  }

  async addGrant(caseId: string, attachmentId: string, grant: FileGrant): Promise<void> {
    const r = this.records.get(this.key(caseId, attachmentId));
    if (r && !r.grants.some((g) => g.messageId === grant.messageId)) r.grants.push(JSON.parse(JSON.stringify(grant)) as FileGrant);
  }

  async reserveBytes(caseId: string, owner: string, bytes: number, max: { bytes: number; files: number }) {
    const k = JSON.stringify(fileQuotaKey(caseId, owner));
    const now = this.used.get(k) ?? { bytes: 0, files: 0 };
    if (now.bytes + bytes > max.bytes) return 'bytes' as const;
    if (now.files >= max.files) return 'files' as const;
    this.used.set(k, { bytes: now.bytes + bytes, files: now.files + 1 });
    return null;
  }

  async listForCase(caseId: string): Promise<StoredAttachment[]> {
    return [...this.records.values()].filter((r) => r.caseId === caseId).map(this.copy);
  }

  async markRemoved(caseId: string, attachmentId: string, at: string): Promise<void> {
    const r = this.records.get(this.key(caseId, attachmentId));
    if (r) r.removedAt = at;
  }

  private readonly retention = new Map<string, FileRetention>();
  async setRetention(caseId: string, retention: FileRetention): Promise<void> {
    this.retention.set(caseId, { ...retention });
  }

  async retentionOf(caseId: string): Promise<FileRetention | null> {
    const r = this.retention.get(caseId);
    return r ? { ...r } : null;
  }
}
