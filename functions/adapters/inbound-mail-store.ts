// Received mail: the raw messages SES writes to the inbound bucket (read once, by the inbound
// function), and the messages kept for a coordinator instead of applied (HELD items in the case
// table, one partition, newest first). A held item is bounded: metadata, the reason, and the text
// clipped; the raw message stays in the bucket until its lifecycle rule expires it.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { HoldReason } from '../domain/inbound-mail.js';
import { fromAttributes, toAttributes } from './attribute-values.js';

export interface RawMailStore {
  /** The message stored under key, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
}

export class S3RawMailStore implements RawMailStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body ? await out.Body.transformToByteArray() : null;
    } catch (e) {
      if (e instanceof Error && (e.name === 'NoSuchKey' || e.name === 'NotFound')) return null;
      throw e;
    }
  }
}

export class MemoryRawMailStore implements RawMailStore {
  readonly messages = new Map<string, Uint8Array>();
  async get(key: string) {
    return this.messages.get(key) ?? null;
  }
}

/** A message kept for a coordinator to look at; nothing of it was applied to any case. */
export interface HeldMail {
  heldId: string;
  at: string;
  reason: HoldReason;
  /** The envelope's and the From header's sender, as received (unverified unless the verdicts say so). */
  from: string;
  to: string;
  subject: string;
  /** The text as received (HTML reduced to text), clipped. */
  text: string;
  /** The case a reply address named, when it named one. */
  caseId: string | null;
  verdicts: { spf: string; dkim: string; dmarc: string };
  attachments: { filename: string; size: number }[];
  /** Where the raw message is, in the inbound bucket, until the bucket's lifecycle rule expires it. */
  objectKey: string;
}

export interface HeldMailStore {
  put(item: HeldMail): Promise<void>;
  /** Newest first. */
  list(opts?: { limit?: number }): Promise<HeldMail[]>;
}

export const HELD_PARTITION = 'INBOUNDHELD';
export const heldMailKey = (at: string, heldId: string) => ({ PK: HELD_PARTITION, SK: `${at}#${heldId}` });

export class DynamoDbHeldMail implements HeldMailStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async put(item: HeldMail): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toAttributes({ ...heldMailKey(item.at, item.heldId), item: JSON.stringify(item) }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async list(opts: { limit?: number } = {}): Promise<HeldMail[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: toAttributes({ ':pk': HELD_PARTITION }),
        ScanIndexForward: false,
        Limit: Math.min(opts.limit ?? 50, 100),
      }),
    );
    return (out.Items ?? []).map((i) => JSON.parse(fromAttributes<{ item: string }>(i).item) as HeldMail);
  }
}

export class MemoryHeldMail implements HeldMailStore {
  readonly items: HeldMail[] = [];
  async put(item: HeldMail) {
    this.items.push(item);
  }
  async list(opts: { limit?: number } = {}) {
    return [...this.items].sort((a, b) => (a.at < b.at ? 1 : -1)).slice(0, opts.limit ?? 50);
  }
}
