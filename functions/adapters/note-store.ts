// Published notes: the public copy of a note, written only at publication, read by the public routes.
//   PK NOTE#<id>  SK NOTE  GSI2PK NOTES  GSI2SK <publishedAt>#<id>
// The documents (Markdown, HTML page, CSAF, CVE records, OSV) are stored gzip-compressed in one
// binary attribute, so a note with many vendor statements stays under DynamoDB's 400 KB item limit;
// the listing fields are plain attributes and the feed query projects only those. Never Scan.
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetItemCommand, PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CsafDocument } from '../domain/publication/csaf.js';
import type { CveRecordDocument } from '../domain/publication/cve-record.js';
import type { OsvRecord } from '../domain/publication/osv.js';

import { refuseOversizedKey } from './key-limits.js';
import { BY_PUBLISHED_DATE_INDEX, BY_PUBLISHED_DATE_PARTITION_KEY, BY_PUBLISHED_DATE_SORT_KEY } from './table-layout.js';

export { BY_PUBLISHED_DATE_INDEX, BY_PUBLISHED_DATE_PARTITION_KEY, BY_PUBLISHED_DATE_SORT_KEY };
export const NOTES_PARTITION = 'NOTES';

export const noteKey = (noteId: string) => ({ PK: `NOTE#${noteId}`, SK: 'NOTE' });
export const noteFeedSortKey = (publishedAt: string, noteId: string) => `${publishedAt}#${noteId}`;

export interface NoteSummary {
  noteId: string;
  title: string;
  summary: string;
  publishedAt: string;
  /** Once the note was updated: when last, its revision number and that update's change line. */
  updatedAt?: string;
  noteRevision?: number;
  changeSummary?: string;
}

export interface PublishedNote extends NoteSummary {
  caseId: string;
  revision: number;
  markdown: string;
  html: string;
  csaf: CsafDocument;
  cveRecords: CveRecordDocument[];
  osv: OsvRecord[];
}

export interface NotePage {
  notes: NoteSummary[];
  /** Opaque; pass back to get the next page. */
  cursor?: string;
}

export interface NoteStore {
  /** Writes (or rewrites, on a retried publication) the public copy. */
  put(note: PublishedNote): Promise<void>;
  get(noteId: string): Promise<PublishedNote | null>;
  /** Newest first. */
  list(options?: { limit?: number; cursor?: string }): Promise<NotePage>;
}

/** A malformed or foreign cursor (a 400 for the caller). */
export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
}

/** DynamoDB's item limit, less room for the keys and listing attributes. */
export const MAX_DOCUMENTS_BYTES = 380 * 1024;

const documentsOf = (n: PublishedNote) => ({
  caseId: n.caseId,
  revision: n.revision,
  markdown: n.markdown,
  html: n.html,
  csaf: n.csaf,
  cveRecords: n.cveRecords,
  osv: n.osv,
});

/** The compressed documents as stored; exported so publication can refuse an oversized note before it goes out. */
export function encodeDocuments(n: PublishedNote): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(documentsOf(n)), 'utf8'));
}

export const DEFAULT_NOTE_PAGE = 20;
export const MAX_NOTE_PAGE = 100;
const pageSize = (limit?: number) => Math.min(Math.max(Math.trunc(limit ?? DEFAULT_NOTE_PAGE) || DEFAULT_NOTE_PAGE, 1), MAX_NOTE_PAGE);

const encodeCursor = (publishedAt: string, noteId: string) =>
  Buffer.from(JSON.stringify([publishedAt, noteId]), 'utf8').toString('base64url');
function decodeCursor(cursor: string): { publishedAt: string; noteId: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      v[0].length <= 64 &&
      v[1].length <= 200
    )
      return { publishedAt: v[0], noteId: v[1] };
  } catch {
    // fall through
  }
  throw new InvalidCursor('the cursor is not one this API returned');
}

const updateOf = (n: NoteSummary) => ({
  ...(n.updatedAt ? { updatedAt: n.updatedAt } : {}),
  ...(n.noteRevision ? { noteRevision: n.noteRevision } : {}),
  ...(n.changeSummary ? { changeSummary: n.changeSummary } : {}),
});
const summaryOf = (n: NoteSummary): NoteSummary => ({
  noteId: n.noteId,
  title: n.title,
  summary: n.summary,
  publishedAt: n.publishedAt,
  ...updateOf(n),
});
const newestFirst = (a: NoteSummary, b: NoteSummary) => {
  const ka = noteFeedSortKey(a.publishedAt, a.noteId);
  const kb = noteFeedSortKey(b.publishedAt, b.noteId);
  return ka < kb ? 1 : ka > kb ? -1 : 0;
};

// ---- in memory ------------------------------------------------------------------------------

export class MemoryNoteStore implements NoteStore {
  readonly notes = new Map<string, PublishedNote>();

  async put(note: PublishedNote): Promise<void> {
    if (encodeDocuments(note).byteLength > MAX_DOCUMENTS_BYTES) throw new RangeError(`note ${note.noteId} is too large to store`);
    refuseOversizedKey(noteKey(note.noteId));
    this.notes.set(note.noteId, structuredClone(note));
  }

  async get(noteId: string): Promise<PublishedNote | null> {
    refuseOversizedKey(noteKey(noteId));
    const n = this.notes.get(noteId);
    return n ? structuredClone(n) : null;
  }

  async list(options: { limit?: number; cursor?: string } = {}): Promise<NotePage> {
    const all = [...this.notes.values()].map(summaryOf).sort(newestFirst);
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    if (after) refuseOversizedKey(noteKey(after.noteId), noteFeedSortKey(after.publishedAt, after.noteId));
    const from = after
      ? all.filter((n) => noteFeedSortKey(n.publishedAt, n.noteId) < noteFeedSortKey(after.publishedAt, after.noteId))
      : all;
    const limit = pageSize(options.limit);
    const notes = from.slice(0, limit);
    const last = notes.at(-1);
    return { notes, ...(from.length > limit && last ? { cursor: encodeCursor(last.publishedAt, last.noteId) } : {}) };
  }
}

// ---- DynamoDB -------------------------------------------------------------------------------

const S = (s: string): AttributeValue => ({ S: s });

export interface DynamoDbNoteStoreOptions {
  client: DynamoDBClient;
  tableName: string;
}

/** The listing attributes of a NOTE# item. */
function listingOf(i: Record<string, AttributeValue>): NoteSummary {
  const revision = Number(i.noteRevision?.N);
  return {
    noteId: i.noteId?.S ?? '',
    title: i.title?.S ?? '',
    summary: i.summary?.S ?? '',
    publishedAt: i.publishedAt?.S ?? '',
    ...(i.updatedAt?.S ? { updatedAt: i.updatedAt.S } : {}),
    ...(Number.isInteger(revision) && revision > 1 ? { noteRevision: revision } : {}),
    ...(i.changeSummary?.S ? { changeSummary: i.changeSummary.S } : {}),
  };
}

export class DynamoDbNoteStore implements NoteStore {
  constructor(private readonly o: DynamoDbNoteStoreOptions) {}

  async put(note: PublishedNote): Promise<void> {
    const body = encodeDocuments(note);
    if (body.byteLength > MAX_DOCUMENTS_BYTES)
      throw new RangeError(`note ${note.noteId} is too large to store (${body.byteLength} bytes compressed)`);
    const key = noteKey(note.noteId);
    await this.o.client.send(
      new PutItemCommand({
        TableName: this.o.tableName,
        Item: {
          PK: S(key.PK),
          SK: S(key.SK),
          [BY_PUBLISHED_DATE_PARTITION_KEY]: S(NOTES_PARTITION),
          [BY_PUBLISHED_DATE_SORT_KEY]: S(noteFeedSortKey(note.publishedAt, note.noteId)),
          noteId: S(note.noteId),
          title: S(note.title),
          summary: S(note.summary),
          publishedAt: S(note.publishedAt),
          ...(note.updatedAt ? { updatedAt: S(note.updatedAt) } : {}),
          ...(note.noteRevision ? { noteRevision: { N: String(note.noteRevision) } } : {}),
          ...(note.changeSummary ? { changeSummary: S(note.changeSummary) } : {}),
          documents: { B: body },
        },
      }),
    );
  }

  async get(noteId: string): Promise<PublishedNote | null> {
    const { Item } = await this.o.client.send(
      new GetItemCommand({ TableName: this.o.tableName, Key: { PK: S(noteKey(noteId).PK), SK: S('NOTE') } }),
    );
    const body = Item?.documents?.B;
    if (!Item || !body) return null;
    const docs = JSON.parse(gunzipSync(body).toString('utf8')) as ReturnType<typeof documentsOf>;
    return { ...listingOf(Item), noteId: Item.noteId?.S ?? noteId, ...docs };
  }

  async list(options: { limit?: number; cursor?: string } = {}): Promise<NotePage> {
    const limit = pageSize(options.limit);
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    const start = after
      ? {
          PK: S(noteKey(after.noteId).PK),
          SK: S('NOTE'),
          [BY_PUBLISHED_DATE_PARTITION_KEY]: S(NOTES_PARTITION),
          [BY_PUBLISHED_DATE_SORT_KEY]: S(noteFeedSortKey(after.publishedAt, after.noteId)),
        }
      : undefined;
    const page = await this.o.client.send(
      new QueryCommand({
        TableName: this.o.tableName,
        IndexName: BY_PUBLISHED_DATE_INDEX,
        KeyConditionExpression: '#pk = :notes',
        ExpressionAttributeNames: { '#pk': BY_PUBLISHED_DATE_PARTITION_KEY, '#title': 'title', '#summary': 'summary' },
        ExpressionAttributeValues: { ':notes': S(NOTES_PARTITION) },
        // The listing needs a few small attributes, not the documents.
        ProjectionExpression: 'noteId, #title, #summary, publishedAt, updatedAt, noteRevision, changeSummary',
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    const notes = (page.Items ?? []).map(listingOf);
    const last = notes.at(-1);
    return { notes, ...(page.LastEvaluatedKey && last ? { cursor: encodeCursor(last.publishedAt, last.noteId) } : {}) };
  }
}
