import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbNoteStore, MemoryNoteStore, type NoteStore, type PublishedNote } from '../../functions/adapters/note-store.js';
import { toPublishedNote } from '../../functions/app/publication.js';
import { buildDocuments } from '../../functions/domain/publication/index.js';
import { optionsFor, singleVendorFixed } from '../unit/publication/published-cases.js';
import { type LocalDynamo, startDynalite } from './dynalite.js';
import { createPublicationTable } from './publication-tables.js';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

const s = singleVendorFixed().state;
const base = toPublishedNote(buildDocuments(s, optionsFor(s)));
const note = (noteId: string, publishedAt: string): PublishedNote => ({ ...base, noteId, publishedAt, title: `${noteId}: title` });

function noteStoreContract(name: string, makeStore: () => Promise<NoteStore>) {
  describe(`published note store (${name})`, () => {
    it('returns a stored note whole, and nothing for an id never published', async () => {
      const store = await makeStore();
      await store.put(base);

      expect(await store.get(base.noteId)).toEqual(base);
      expect(await store.get('VU#999999')).toBeNull();
    });

    it('lists newest first, a page at a time', async () => {
      const store = await makeStore();
      await store.put(note('VU#1', '2027-01-01T00:00:00.000Z'));
      await store.put(note('VU#3', '2027-03-01T00:00:00.000Z'));
      await store.put(note('VU#2', '2027-02-01T00:00:00.000Z'));

      const first = await store.list({ limit: 2 });
      const second = await store.list({ limit: 2, ...(first.cursor ? { cursor: first.cursor } : {}) });

      expect(first.notes.map((n) => n.noteId)).toEqual(['VU#3', 'VU#2']);
      expect(first.notes[0]).toEqual({
        noteId: 'VU#3',
        title: 'VU#3: title',
        summary: base.summary,
        publishedAt: '2027-03-01T00:00:00.000Z',
      });
      expect(second.notes.map((n) => n.noteId)).toEqual(['VU#1']);
    });

    it('rewrites a note on a retried publication instead of listing it twice', async () => {
      const store = await makeStore();
      await store.put(base);
      await store.put(base);

      expect((await store.list()).notes).toHaveLength(1);
    });

    it('keeps an update in place: the latest revision whole, listed once at its first date with when and why it changed', async () => {
      const store = await makeStore();
      await store.put(base);
      const updated: PublishedNote = {
        ...base,
        markdown: `${base.markdown}\n- Updated`,
        updatedAt: '2027-02-01T00:00:00.000Z',
        noteRevision: 2,
        changeSummary: 'A fix <b>is</b> out.',
      };
      await store.put(updated);
      expect(await store.get(base.noteId)).toEqual(updated);
      expect((await store.list()).notes).toEqual([
        {
          noteId: base.noteId,
          title: base.title,
          summary: base.summary,
          publishedAt: base.publishedAt,
          updatedAt: '2027-02-01T00:00:00.000Z',
          noteRevision: 2,
          changeSummary: 'A fix <b>is</b> out.',
        },
      ]);
    });

    it('refuses a cursor it did not issue', async () => {
      const store = await makeStore();
      await expect(store.list({ cursor: 'bm90IGEgY3Vyc29y' })).rejects.toMatchObject({ name: 'InvalidCursor' });
    });

    it('refuses a note id whose key is over 2048 bytes with ValidationException, as DynamoDB does', async () => {
      const store = await makeStore();
      await expect(store.get('x'.repeat(2100))).rejects.toMatchObject({ name: 'ValidationException' });
      expect(await store.get('x'.repeat(2000))).toBeNull();
    });
  });
}

noteStoreContract('memory', async () => new MemoryNoteStore());
noteStoreContract(
  'DynamoDB',
  async () => new DynamoDbNoteStore({ client: dynamo.client, tableName: await createPublicationTable(dynamo) }),
);
