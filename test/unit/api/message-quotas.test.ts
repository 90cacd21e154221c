// A participant cannot fill a case: message bodies live in items of their own, the snapshot keeps
// a bounded summary, and each reporter or vendor has daily and per-case limits that answer 429
// (with Retry-After) or 413, naming the limit, with nothing written.
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_SUMMARIES } from '../../../functions/domain/case.js';
import { aWorld, snapshot } from '../../builders/api-world.js';
import { call } from '../../builders/http.js';

const CJK = '漏洞'.repeat(8000); // 16,000 characters, 48,000 bytes of UTF-8

describe('participant messages outside the snapshot', () => {
  it('stores the body in its own item; the snapshot and the log keep only its size', async () => {
    const w = await aWorld();
    const body = 'The fix needs the parser patch <b>too</b>.';
    const r = await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
      params: { caseId: w.a },
      caller: w.callers.vendorOfCase,
      body: { body },
    });
    expect(r.status, r.raw).toBe(202);
    const s = (await w.app.store.load(w.a))!.state;
    expect(JSON.stringify(s)).not.toContain('parser patch');
    const events = (await w.app.store.readEvents(w.a, { limit: 1000 })).events;
    expect(JSON.stringify(events)).not.toContain('parser patch');
    expect(s.comments.at(-1)).toMatchObject({
      bytes: body.length,
      by: { role: 'vendor', participant: 'vendor-1' },
      messageId: expect.any(String),
    });
    // The coordinator and the writer read it back from its item; the other vendor does not.
    const coord = await call(w.app.deps, 'GET', '/cases/{caseId}', { params: { caseId: w.a }, caller: w.callers.coordinator });
    expect(coord.raw).toContain('parser patch');
    const own = await call(w.app.deps, 'GET', '/vendor/cases/{caseId}', { params: { caseId: w.a }, caller: w.callers.vendorOfCase });
    expect(own.raw).toContain('parser patch');
    const other = await call(w.app.deps, 'GET', '/vendor/cases/{caseId}', { params: { caseId: w.a }, caller: w.callers.otherVendorOnCase });
    expect(other.raw).not.toContain('parser patch');
  });

  it('keeps the snapshot bounded however many messages arrive over days', async () => {
    const w = await aWorld();
    for (let day = 0; day < 8; day++) {
      for (let i = 0; i < 20; i++)
        expect(
          (
            await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
              params: { caseId: w.a },
              caller: w.callers.vendorOfCase,
              body: { body: `day ${day} note ${i} ${'x'.repeat(2000)}` },
            })
          ).status,
        ).toBe(202);
      w.app.clock.advanceDays(1);
    }
    const s = (await w.app.store.load(w.a))!.state;
    expect(s.messageCount).toBe(160);
    expect(s.comments).toHaveLength(MAX_MESSAGE_SUMMARIES);
    // 160 messages of 2 KB each, and the snapshot stays small: no body, no per-message notice key.
    expect(JSON.stringify(s).length).toBeLessThan(40_000);
  });
});

describe('limits per participant and case', () => {
  it('answers 429 with Retry-After past the bytes of a day, naming the limit, and writes nothing', async () => {
    const w = await aWorld();
    const post = () =>
      call(w.app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
        params: { caseId: w.a },
        caller: w.callers.vendorOfCase,
        body: { body: CJK },
      });
    expect((await post()).status).toBe(202);
    expect((await post()).status).toBe(202);
    const before = await snapshot(w.app, [w.a, w.b]);
    const listed = (await w.app.content.listMessages(w.a, { limit: 200 })).messages.length;
    const third = await post();
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ status: 429, limit: 'bytes-per-day', max: 128 * 1024 });
    expect((third.body as { detail: string }).detail).toMatch(/131072 bytes of messages per day/);
    // Retry-After: until the next UTC day (the world's clock stands at 09:00 UTC).
    expect(Number(third.headers['retry-after'])).toBe(15 * 3600);
    expect(await snapshot(w.app, [w.a, w.b])).toEqual(before);
    expect((await w.app.content.listMessages(w.a, { limit: 200 })).messages.length).toBe(listed);
    // Another vendor and the coordinators are not held up by this vendor's limit.
    expect(
      (
        await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
          params: { caseId: w.a },
          caller: w.callers.otherVendorOnCase,
          body: { body: 'we are fine' },
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await call(w.app.deps, 'PUT', '/cases/{caseId}/embargo', {
          params: { caseId: w.a },
          caller: w.callers.coordinator,
          body: { endsAt: '2027-01-10T12:00:00Z', reason: 'negotiated' },
        })
      ).status,
    ).toBe(202);
  });

  it('answers 429 past the messages of a day, and takes messages again the next day', async () => {
    const w = await aWorld();
    const post = () =>
      call(w.app.deps, 'POST', '/reports/{caseId}/messages', {
        params: { caseId: w.a },
        caller: w.callers.reporterOfCase,
        body: { kind: 'comment', body: 'hello' },
      });
    for (let i = 0; i < 20; i++) expect((await post()).status).toBe(202);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ limit: 'messages-per-day', max: 20 });
    w.app.clock.advanceDays(1);
    expect((await post()).status).toBe(202);
  });

  it('answers 413 past what a participant may write to a case in all', async () => {
    const w = await aWorld();
    let last = 0;
    for (let day = 0; day < 12 && last !== 413; day++) {
      for (let i = 0; i < 2 && last !== 413; i++)
        last = (
          await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
            params: { caseId: w.a },
            caller: w.callers.vendorOfCase,
            body: { body: CJK },
          })
        ).status;
      w.app.clock.advanceDays(1);
    }
    expect(last).toBe(413);
    // A day later the daily limits start again, the case's does not.
    w.app.clock.advanceDays(1);
    const r = await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
      params: { caseId: w.a },
      caller: w.callers.vendorOfCase,
      body: { body: CJK },
    });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ limit: 'bytes-per-case', max: 1024 * 1024 });
    expect(r.headers['retry-after']).toBeUndefined();
  });

  it('refuses a message the rules refuse before it uses any quota', async () => {
    const w = await aWorld();
    // A draft comment with no shared draft: 409, and the day's quota is untouched.
    for (let i = 0; i < 25; i++)
      expect(
        (
          await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
            params: { caseId: w.a },
            caller: w.callers.vendorOfCase,
            body: { kind: 'draft-comment', body: 'on the draft' },
          })
        ).status,
      ).toBe(409);
    expect(
      (
        await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
          params: { caseId: w.a },
          caller: w.callers.vendorOfCase,
          body: { body: 'now a comment' },
        })
      ).status,
    ).toBe(202);
  });
});

describe('room kept for the coordinators', () => {
  it('refuses a participant’s update that would take the case near its item limit, while coordinators still act', async () => {
    const { randomBytes } = await import('node:crypto');
    const w = await aWorld('draft-review');
    // Big coordinator revisions of random base64 (it deflates to three quarters, stored as binary)
    // bring the snapshot past the participants' budget, still under the item limit.
    for (let i = 0; i < 4; i++) {
      const r = await call(w.app.deps, 'PUT', '/cases/{caseId}/draft', {
        params: { caseId: w.a },
        caller: w.callers.coordinator,
        body: { markdown: randomBytes(70_000).toString('base64') },
      });
      expect(r.status, r.raw).toBe(202);
    }
    const before = await snapshot(w.app, [w.a]);
    const refused = await call(w.app.deps, 'PUT', '/vendor/cases/{caseId}/status', {
      params: { caseId: w.a },
      caller: w.callers.vendorOfCase,
      body: { vulnerabilities: [{ id: 'vul-1', status: 'affected' }], statement: randomBytes(9_000).toString('base64') },
    });
    expect(refused.status).toBe(413);
    expect(await snapshot(w.app, [w.a])).toEqual(before);
    expect(
      (
        await call(w.app.deps, 'POST', '/cases/{caseId}/signals', {
          params: { caseId: w.a },
          caller: w.callers.coordinator,
          body: { kind: 'public', evidence: 'https://news.example/x' },
        })
      ).status,
    ).toBe(202);
  });
});

describe('embargo proposals', () => {
  it('takes three a day from one participant (each mails the coordinators), then 429 with Retry-After and nothing written', async () => {
    const w = await aWorld();
    const propose = (caller: typeof w.callers.vendorOfCase, days: number) =>
      call(w.app.deps, 'PUT', '/vendor/cases/{caseId}/embargo', {
        params: { caseId: w.a },
        caller,
        body: { endsAt: new Date(Date.parse(w.app.clock.now) + days * 86_400_000).toISOString(), reason: `try ${days}` },
      });
    for (let i = 1; i <= 3; i++) expect((await propose(w.callers.vendorOfCase, 30 + i)).status).toBe(202);
    const before = (await w.app.store.load(w.a))!.state.version;
    const refused = await propose(w.callers.vendorOfCase, 40);
    expect(refused.status).toBe(429);
    expect(refused.headers?.['Retry-After'] ?? refused.headers?.['retry-after']).toBeTruthy();
    expect(refused.body).toMatchObject({ limit: 'embargo-proposals-per-day', max: 3 });
    expect((await w.app.store.load(w.a))!.state.version).toBe(before);
    // Another vendor's allowance is its own, and the next UTC day the first vendor may propose again.
    expect((await propose(w.callers.otherVendorOnCase, 50)).status).toBe(202);
    w.app.clock.advanceDays(1);
    expect((await propose(w.callers.vendorOfCase, 41)).status).toBe(202);
  });
});
