// The vendor directory in the case table (docs/architecture.md "Vendor directory"): each
// organisation at VENDOR#<ref>/VENDOR, its one-line summary in the VENDORS partition (what the list
// and the search read), a claim per name and alias at VENDORNAME#<sha-256 of the name's key>, and a
// link per case it was added to at VENDOR#<ref>/CASE#<caseId>. DynamoDB below, and the in-memory twin.
import { createHash } from 'node:crypto';
import { DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { type DirectoryEntry, type DirectorySummary, namesOf, summaryOf } from '../domain/directory.js';
import { fromAttributes, toAttributes } from './attribute-values.js';
import { queryPrefix } from './prefix-query.js';
import { isConditionFailure } from './dynamodb-keyed-items.js';
import { PARTITION_KEY } from './table-layout.js';

export const DIRECTORY_LIST_PARTITION = 'VENDORS';
export const directoryEntryKey = (vendorRef: string) => ({ PK: `VENDOR#${vendorRef}`, SK: 'VENDOR' });
export const directoryListKey = (vendorRef: string) => ({ PK: DIRECTORY_LIST_PARTITION, SK: vendorRef });
/** Hashed: a name's key can be longer than a partition key may be, and it is the coordinators' text. */
export const vendorNameKey = (key: string) => ({ PK: `VENDORNAME#${createHash('sha256').update(key).digest('hex')}`, SK: 'VENDORNAME' });
export const vendorCaseKey = (vendorRef: string, caseId: string) => ({ PK: `VENDOR#${vendorRef}`, SK: `CASE#${caseId}` });

/** A case the organisation was added to (written before the case's event: the case is the truth). */
export interface VendorCaseLink {
  caseId: string;
  at: string;
}

/** Another organisation already goes by this name (or alias). */
export class DirectoryNameTakenError extends Error {
  override readonly name = 'DirectoryNameTakenError';
  constructor(
    readonly taken: string,
    readonly owner: string,
  ) {
    super(`another organisation (${owner}) already goes by this name`);
  }
}

/** The entry changed since the version the editor read. */
export class DirectoryVersionError extends Error {
  override readonly name = 'DirectoryVersionError';
  constructor(readonly current: number) {
    super(`the entry is at version ${current}`);
  }
}

export interface VendorDirectory {
  /** Adds an organisation; DirectoryNameTakenError when one of its names is another's. */
  create(entry: DirectoryEntry): Promise<void>;
  get(vendorRef: string): Promise<DirectoryEntry | null>;
  /** Replaces the entry at `expectedVersion` by `entry` (whose version is the next one). */
  update(entry: DirectoryEntry, expectedVersion: number): Promise<void>;
  /** Every summary (the directory is coordinators' data, a few thousand organisations at most). */
  summaries(): Promise<DirectorySummary[]>;
  linkCase(vendorRef: string, link: VendorCaseLink): Promise<void>;
  /** The cases linked, newest first, at most `limit`. */
  casesOf(vendorRef: string, limit: number): Promise<VendorCaseLink[]>;
}

/**
 * A claim whose organisation no longer lists the name (renamed, or a write that stopped halfway)
 * is free again, but only after this long: a claim just made may belong to an entry being written.
 */
const CLAIM_GRACE_MS = 60_000;

export class DynamoDbVendorDirectory implements VendorDirectory {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: () => string = () => new Date().toISOString(),
  ) {}

  async create(entry: DirectoryEntry): Promise<void> {
    const claimed = await this.claimAll(entry.vendorRef, namesOf(entry), []);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes({ ...directoryEntryKey(entry.vendorRef), ...entry }),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY },
        }),
      );
    } catch (e) {
      await this.release(entry.vendorRef, claimed);
      throw e;
    }
    await this.putSummary(entry);
  }

  async get(vendorRef: string): Promise<DirectoryEntry | null> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toAttributes(directoryEntryKey(vendorRef)), ConsistentRead: true }),
    );
    return out.Item ? entryOf(fromAttributes(out.Item)) : null;
  }

  async update(entry: DirectoryEntry, expectedVersion: number): Promise<void> {
    const current = await this.get(entry.vendorRef);
    if (!current) throw new Error(`no directory entry ${entry.vendorRef}`);
    if (current.version !== expectedVersion) throw new DirectoryVersionError(current.version);
    const before = namesOf(current);
    const claimed = await this.claimAll(entry.vendorRef, namesOf(entry), before);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes({ ...directoryEntryKey(entry.vendorRef), ...entry }),
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: toAttributes({ ':v': expectedVersion }),
        }),
      );
    } catch (e) {
      await this.release(entry.vendorRef, claimed);
      if (!isConditionFailure(e)) throw e;
      throw new DirectoryVersionError((await this.get(entry.vendorRef))?.version ?? expectedVersion);
    }
    const kept = new Set(namesOf(entry));
    await this.release(
      entry.vendorRef,
      before.filter((k) => !kept.has(k)),
    );
    await this.putSummary(entry);
  }

  async summaries(): Promise<DirectorySummary[]> {
    const out: DirectorySummary[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY },
          ExpressionAttributeValues: toAttributes({ ':pk': DIRECTORY_LIST_PARTITION }),
          // An organisation just added is found by the very next search.
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: toAttributes(start) } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const { PK: _pk, SK: _sk, ...s } = fromAttributes<Record<string, unknown>>(item);
        out.push(s as unknown as DirectorySummary);
      }
      start = page.LastEvaluatedKey ? fromAttributes(page.LastEvaluatedKey) : undefined;
    } while (start);
    return out;
  }

  async linkCase(vendorRef: string, link: VendorCaseLink): Promise<void> {
    await this.client
      .send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes({ ...vendorCaseKey(vendorRef, link.caseId), ...link }),
          // The first addition's time stays.
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY },
        }),
      )
      .catch((e: unknown) => {
        if (!isConditionFailure(e)) throw e;
      });
  }

  async casesOf(vendorRef: string, limit: number): Promise<VendorCaseLink[]> {
    const items = await queryPrefix<VendorCaseLink>(this.client, this.tableName, directoryEntryKey(vendorRef).PK, 'CASE#');
    return newestFirst(items.map(({ caseId, at }) => ({ caseId, at }))).slice(0, limit);
  }

  private async putSummary(entry: DirectoryEntry): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: toAttributes({ ...directoryListKey(entry.vendorRef), ...summaryOf(entry) }) }),
    );
  }

  /** Claims each name for `vendorRef` (those in `held` are its already); on a taken one, gives back what it took. */
  private async claimAll(vendorRef: string, names: readonly string[], held: readonly string[]): Promise<string[]> {
    const claimed: string[] = [];
    for (const key of names) {
      if (held.includes(key)) continue;
      try {
        await this.claim(vendorRef, key);
        claimed.push(key);
      } catch (e) {
        await this.release(vendorRef, claimed);
        throw e;
      }
    }
    return claimed;
  }

  private async claim(vendorRef: string, key: string): Promise<void> {
    const now = this.clock();
    const put = (condition: string, values: Record<string, unknown>) =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes({ ...vendorNameKey(key), vendorRef, at: now }),
          ConditionExpression: condition,
          ExpressionAttributeNames: condition.includes('#pk') ? { '#pk': PARTITION_KEY } : { '#ref': 'vendorRef' },
          ...(Object.keys(values).length ? { ExpressionAttributeValues: toAttributes(values) } : {}),
        }),
      );
    try {
      await put('attribute_not_exists(#pk)', {});
      return;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toAttributes(vendorNameKey(key)), ConsistentRead: true }),
    );
    const holder = out.Item ? fromAttributes<{ vendorRef: string; at: string }>(out.Item) : null;
    if (!holder) return this.claim(vendorRef, key);
    if (holder.vendorRef === vendorRef) return;
    const owner = await this.get(holder.vendorRef);
    const stale = (!owner || !namesOf(owner).includes(key)) && Date.parse(now) - Date.parse(holder.at) > CLAIM_GRACE_MS;
    if (!stale) throw new DirectoryNameTakenError(key, holder.vendorRef);
    try {
      await put('#ref = :old', { ':old': holder.vendorRef });
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      throw new DirectoryNameTakenError(key, holder.vendorRef);
    }
  }

  private async release(vendorRef: string, names: readonly string[]): Promise<void> {
    for (const key of names) {
      await this.client
        .send(
          new DeleteItemCommand({
            TableName: this.tableName,
            Key: toAttributes(vendorNameKey(key)),
            ConditionExpression: '#ref = :ref',
            ExpressionAttributeNames: { '#ref': 'vendorRef' },
            ExpressionAttributeValues: toAttributes({ ':ref': vendorRef }),
          }),
        )
        .catch((e: unknown) => {
          if (!isConditionFailure(e)) throw e;
        });
    }
  }
}

const entryOf = (item: Record<string, unknown>): DirectoryEntry => {
  const { PK: _pk, SK: _sk, ...e } = item;
  return e as unknown as DirectoryEntry;
};

const newestFirst = (links: VendorCaseLink[]): VendorCaseLink[] =>
  links.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.caseId.localeCompare(b.caseId)));

export class MemoryVendorDirectory implements VendorDirectory {
  private readonly entries = new Map<string, DirectoryEntry>();
  private readonly links = new Map<string, VendorCaseLink[]>();
  private readonly copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

  private ownerOf(key: string, except: string): string | undefined {
    for (const e of this.entries.values()) if (e.vendorRef !== except && namesOf(e).includes(key)) return e.vendorRef;
    return undefined;
  }

  private checkNames(entry: DirectoryEntry): void {
    for (const key of namesOf(entry)) {
      const owner = this.ownerOf(key, entry.vendorRef);
      if (owner) throw new DirectoryNameTakenError(key, owner);
    }
  }

  async create(entry: DirectoryEntry): Promise<void> {
    if (this.entries.has(entry.vendorRef)) throw new Error(`directory entry ${entry.vendorRef} exists`);
    this.checkNames(entry);
    this.entries.set(entry.vendorRef, this.copy(entry));
  }

  async get(vendorRef: string): Promise<DirectoryEntry | null> {
    const e = this.entries.get(vendorRef);
    return e ? this.copy(e) : null;
  }

  async update(entry: DirectoryEntry, expectedVersion: number): Promise<void> {
    const current = this.entries.get(entry.vendorRef);
    if (!current) throw new Error(`no directory entry ${entry.vendorRef}`);
    if (current.version !== expectedVersion) throw new DirectoryVersionError(current.version);
    this.checkNames(entry);
    this.entries.set(entry.vendorRef, this.copy(entry));
  }

  async summaries(): Promise<DirectorySummary[]> {
    return [...this.entries.values()].map((e) => this.copy(summaryOf(e)));
  }

  async linkCase(vendorRef: string, link: VendorCaseLink): Promise<void> {
    const list = this.links.get(vendorRef) ?? [];
    if (!list.some((l) => l.caseId === link.caseId)) list.push({ ...link });
    this.links.set(vendorRef, list);
  }

  async casesOf(vendorRef: string, limit: number): Promise<VendorCaseLink[]> {
    return newestFirst(this.copy(this.links.get(vendorRef) ?? [])).slice(0, limit);
  }
}
