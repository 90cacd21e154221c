// One contract for where participants' content lives outside the snapshot (message items, quotas),
// run against DynamoDB (dynalite) and the in-memory twin, so their semantics cannot drift apart.
import { describe, expect, it } from 'vitest';
import { type CaseContent, MessageExistsError, type QuotaLimits, type StoredMessage } from '../../functions/adapters/case-content.js';

const LIMITS: QuotaLimits = { messagesPerDay: 3, bytesPerDay: 100, bytesPerCase: 250 };
const message = (n: number, over: Partial<StoredMessage> = {}): StoredMessage => ({
  caseId: 'VU-CONTENT',
  messageId: `m-${n}`,
  at: `2026-11-0${Math.min(9, n)}T10:00:0${n % 10}.000Z`,
  by: { role: 'vendor', participant: 'vendor-1' },
  audience: 'coordinators',
  onDraft: false,
  kind: 'comment',
  body: `body ${n} <b>kept as text</b>`,
  ...over,
});

export function caseContentContract(name: string, make: () => Promise<CaseContent>): void {
  describe(`case content (${name})`, () => {
    it('stores messages and lists them newest first, page by page, per case', async () => {
      const c = await make();
      for (let n = 1; n <= 5; n++) await c.putMessage(message(n));
      await c.putMessage(message(9, { caseId: 'VU-OTHER' }));
      const first = await c.listMessages('VU-CONTENT', { limit: 2 });
      expect(first.messages.map((m) => m.messageId)).toEqual(['m-5', 'm-4']);
      expect(first.messages[0]).toEqual(message(5));
      const second = await c.listMessages('VU-CONTENT', { limit: 2, cursor: first.cursor ?? '' });
      expect(second.messages.map((m) => m.messageId)).toEqual(['m-3', 'm-2']);
      const rest = await c.listMessages('VU-CONTENT', { limit: 2, cursor: second.cursor ?? '' });
      expect(rest.messages.map((m) => m.messageId)).toEqual(['m-1']);
      expect(rest.cursor).toBeNull();
    });

    it('refuses a message id twice, so a retried write never doubles a message', async () => {
      const c = await make();
      await c.putMessage(message(1));
      await expect(c.putMessage({ ...message(1), body: 'other' })).rejects.toBeInstanceOf(MessageExistsError);
      expect((await c.listMessages('VU-CONTENT')).messages.map((m) => m.body)).toEqual([message(1).body]);
    });

    it('refuses a cursor it did not hand out', async () => {
      const c = await make();
      await expect(c.listMessages('VU-CONTENT', { cursor: 'bogus' })).rejects.toMatchObject({ name: 'InvalidCursorError' });
    });

    it('counts messages per participant per day and names the limit that refuses, counting nothing then', async () => {
      const c = await make();
      const day = '2026-11-02';
      for (let i = 0; i < 3; i++) expect(await c.consumeQuota('VU-CONTENT', 'vendor-1', day, 10, LIMITS)).toEqual({ ok: true });
      expect(await c.consumeQuota('VU-CONTENT', 'vendor-1', day, 10, LIMITS)).toEqual({ ok: false, limit: 'messages-per-day' });
      // Another participant, another case and another day each have their own count.
      expect(await c.consumeQuota('VU-CONTENT', 'vendor-2', day, 10, LIMITS)).toEqual({ ok: true });
      expect(await c.consumeQuota('VU-OTHER', 'vendor-1', day, 10, LIMITS)).toEqual({ ok: true });
      expect(await c.consumeQuota('VU-CONTENT', 'vendor-1', '2026-11-03', 10, LIMITS)).toEqual({ ok: true });
    });

    it('refuses past the bytes of a day and of the case, and a refused message is counted nowhere', async () => {
      const c = await make();
      expect(await c.consumeQuota('VU-CONTENT', 'reporter', '2026-11-02', 90, LIMITS)).toEqual({ ok: true });
      expect(await c.consumeQuota('VU-CONTENT', 'reporter', '2026-11-02', 20, LIMITS)).toEqual({ ok: false, limit: 'bytes-per-day' });
      // The refused 20 bytes did not count against the case: 90 + 90 + 70 = 250 fits exactly.
      expect(await c.consumeQuota('VU-CONTENT', 'reporter', '2026-11-03', 90, LIMITS)).toEqual({ ok: true });
      expect(await c.consumeQuota('VU-CONTENT', 'reporter', '2026-11-04', 70, LIMITS)).toEqual({ ok: true });
      expect(await c.consumeQuota('VU-CONTENT', 'reporter', '2026-11-05', 1, LIMITS)).toEqual({ ok: false, limit: 'bytes-per-case' });
      expect(await c.consumeQuota('VU-CONTENT', 'reporter', '2026-11-05', 500, LIMITS)).toEqual({ ok: false, limit: 'bytes-per-case' });
    });

    it('counts acknowledgements per address per day', async () => {
      const c = await make();
      const hash = 'a'.repeat(64);
      expect([
        await c.consumeMailQuota(hash, '2026-11-02', 2),
        await c.consumeMailQuota(hash, '2026-11-02', 2),
        await c.consumeMailQuota(hash, '2026-11-02', 2),
      ]).toEqual([true, true, false]);
      expect(await c.consumeMailQuota(hash, '2026-11-03', 2)).toBe(true);
      expect(await c.consumeMailQuota('b'.repeat(64), '2026-11-02', 2)).toBe(true);
    });

    it('keeps each reader’s copies apart, pages them newest first, and refuses another reader’s cursor', async () => {
      const c = await make();
      const entry = (n: number, own = false) => ({
        messageId: `m-${n}`,
        at: message(n).at,
        from: 'coordinator' as const,
        own,
        kind: 'comment' as const,
        onDraft: false,
        body: `copy ${n}`,
        threadId: `m-${n}`,
      });
      await c.putCopies(
        'VU-CONTENT',
        [1, 2, 3].map((n) => ({ reader: 'vendor:vendor-1', entry: entry(n) })),
      );
      await c.putCopies('VU-CONTENT', [{ reader: 'vendor:vendor-10', entry: entry(4) }]);
      await c.putCopies('VU-CONTENT', [{ reader: 'reporter', entry: entry(5, true) }]);
      const first = await c.listInbox('VU-CONTENT', 'vendor:vendor-1', { limit: 2 });
      expect(first.entries.map((e) => e.messageId)).toEqual(['m-3', 'm-2']);
      const rest = await c.listInbox('VU-CONTENT', 'vendor:vendor-1', { limit: 2, cursor: first.cursor ?? '' });
      expect(rest.entries.map((e) => e.messageId)).toEqual(['m-1']);
      expect(rest.cursor).toBeNull();
      expect((await c.listInbox('VU-CONTENT', 'vendor:vendor-10')).entries.map((e) => e.body)).toEqual(['copy 4']);
      await expect(c.listInbox('VU-CONTENT', 'vendor:vendor-10', { cursor: first.cursor ?? '' })).rejects.toMatchObject({
        name: 'InvalidCursorError',
      });
      // Unread: others' copies after the marker; the marker only moves forward.
      expect(await c.countUnread('VU-CONTENT', 'vendor:vendor-1', null)).toBe(3);
      expect(await c.countUnread('VU-CONTENT', 'reporter', null)).toBe(0);
      expect(await c.readMarker('VU-CONTENT', 'vendor:vendor-1')).toBeNull();
      await c.markRead('VU-CONTENT', 'vendor:vendor-1', `${message(2).at}#m-2`);
      await c.markRead('VU-CONTENT', 'vendor:vendor-1', `${message(1).at}#m-1`);
      expect(await c.readMarker('VU-CONTENT', 'vendor:vendor-1')).toBe(`${message(2).at}#m-2`);
      expect(await c.countUnread('VU-CONTENT', 'vendor:vendor-1', `${message(2).at}#m-2`)).toBe(1);
    });

    it('finds a message by id, and counts the coordinators’ unread messages from participants', async () => {
      const c = await make();
      await c.putMessage(message(1));
      await c.putMessage(message(2, { by: { role: 'coordinator' }, audience: 'internal', to: { reporter: false, vendorIds: [] } }));
      expect(await c.getMessage('VU-CONTENT', 'm-2')).toEqual(
        message(2, { by: { role: 'coordinator' }, audience: 'internal', to: { reporter: false, vendorIds: [] } }),
      );
      expect(await c.getMessage('VU-CONTENT', 'm-9')).toBeNull();
      expect(await c.countUnread('VU-CONTENT', 'coordinators', null)).toBe(1);
      expect(await c.countUnread('VU-CONTENT', 'coordinators', `${message(1).at}#m-1`)).toBe(0);
    });
  });
}
