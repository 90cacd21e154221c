// Files, in milliseconds: the download header no file name can break, who may fetch and who may
// attach a file, and the use cases against the in-memory twins as a hostile participant would
// use them (another's upload, a file never sent, a closed case, a removed file).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { URL_SECONDS, applyFileRetention } from '../../functions/app/attachments.js';
import { type AttachmentRecord, canAttach, canFetchFile, contentDisposition, filenameProblem } from '../../functions/domain/attachments.js';
import { type World, aWorld } from '../builders/api-world.js';
import { call } from '../builders/http.js';

const file = (over: Partial<AttachmentRecord> = {}): AttachmentRecord => ({
  caseId: 'VU-1',
  attachmentId: 'f1',
  owner: 'vendor:vendor-1',
  filename: 'fix.patch',
  contentType: 'text/x-diff',
  size: 5,
  sha256: 'a'.repeat(64),
  createdAt: '2026-11-01T00:00:00Z',
  verified: true,
  grants: [],
  ...over,
});

describe('the download header', () => {
  it('is always an attachment whose quoted name no file name can end, with the exact name percent-encoded', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }), (name) => {
        const h = contentDisposition(name);
        const m = /^attachment; filename="([^"\\\r\n]*)"; filename\*=UTF-8''([A-Za-z0-9%._~!$&+,;=:@-]*)$/.exec(h);
        expect(m, h).not.toBeNull();
        expect(decodeURIComponent(m![2]!)).toBe(name);
      }),
    );
    expect(contentDisposition('a"; filename=evil.html\r\nX: y')).toBe(
      `attachment; filename="a__ filename_evil.html__X_ y"; filename*=UTF-8''a%22%3B%20filename%3Devil.html%0D%0AX%3A%20y`,
    );
  });

  it('keeps the letters of accented names in the plain fallback', () => {
    expect(contentDisposition('Ünïcödé ✓.pdf')).toBe(
      `attachment; filename="Unicode _.pdf"; filename*=UTF-8''%C3%9Cn%C3%AFc%C3%B6d%C3%A9%20%E2%9C%93.pdf`,
    );
  });

  it('refuses names that are paths', () => {
    for (const bad of ['../etc/passwd', 'a/b', 'a\\b', '.', '..', '']) expect(filenameProblem(bad), bad).not.toBeNull();
    for (const ok of ['poc.py', '..patch', 'Ünïcödé ✓.pdf']) expect(filenameProblem(ok), ok).toBeNull();
  });
});

describe('who may fetch and attach a file', () => {
  const toAcme = {
    messageId: 'm1',
    by: { role: 'coordinator' },
    audience: 'selected' as const,
    to: { reporter: false, vendorIds: ['vendor-1'] },
  };
  it('lets the uploader, the coordinators and the readers of a message that carries it fetch it, and nobody else', () => {
    const unsent = file();
    expect(canFetchFile(unsent, { kind: 'vendor', vendorId: 'vendor-1' })).toBe(true);
    expect(canFetchFile(unsent, { kind: 'coordinators' })).toBe(true);
    expect(canFetchFile(unsent, { kind: 'vendor', vendorId: 'vendor-2' })).toBe(false);
    expect(canFetchFile(unsent, { kind: 'reporter' })).toBe(false);
    const sent = file({ owner: 'coordinators', grants: [toAcme] });
    expect(canFetchFile(sent, { kind: 'vendor', vendorId: 'vendor-1' })).toBe(true);
    expect(canFetchFile(sent, { kind: 'vendor', vendorId: 'vendor-2' })).toBe(false);
    expect(canFetchFile(sent, { kind: 'reporter' })).toBe(false);
    const internal = file({ owner: 'coordinators', grants: [{ messageId: 'm2', by: { role: 'coordinator' }, audience: 'internal' }] });
    expect(canFetchFile(internal, { kind: 'vendor', vendorId: 'vendor-1' })).toBe(false);
  });

  it('lets a participant attach only its own uploads; a coordinator also a file already sent, never another’s unsent upload', () => {
    expect(canAttach(file(), { kind: 'vendor', vendorId: 'vendor-1' })).toBe(true);
    expect(canAttach(file(), { kind: 'vendor', vendorId: 'vendor-2' })).toBe(false);
    expect(canAttach(file(), { kind: 'coordinators' })).toBe(false);
    expect(canAttach(file({ grants: [toAcme] }), { kind: 'coordinators' })).toBe(true);
    expect(canAttach(file({ grants: [toAcme] }), { kind: 'reporter' })).toBe(false);
  });
});

const bytes = Buffer.from('hello');
const declared = {
  filename: 'poc.py',
  contentType: 'text/x-python',
  size: bytes.length,
  sha256: createHash('sha256').update(bytes).digest('hex'),
};
/** A file declared through the API as `caller` on `path`, its bytes put where the presigned PUT would. */
const upload = async (w: World, path: string, caller: World['callers'][keyof World['callers']]) => {
  const r = await call(w.app.deps, 'POST', path, { params: { caseId: w.a }, caller, body: declared });
  expect(r.status, r.raw).toBe(201);
  const id = (r.body as { attachmentId: string }).attachmentId;
  w.app.files.store.put(`cases/${w.a}/${id}`, bytes);
  return id;
};

describe('files through the API, against the in-memory twins', () => {
  it('signs every URL for five minutes at most, under a key of ids only', async () => {
    const w = await aWorld();
    const id = await upload(w, '/reports/{caseId}/attachments', w.callers.reporterOfCase);
    const got = await call(w.app.deps, 'GET', '/reports/{caseId}/attachments/{attachmentId}', {
      params: { caseId: w.a, attachmentId: id },
      caller: w.callers.reporterOfCase,
    });
    expect(got.status, got.raw).toBe(200);
    expect(got.headers['cache-control']).toBe('no-store');
    expect(w.app.files.store.signed.map((x) => [x.method, x.key, x.seconds])).toEqual([
      ['PUT', `cases/${w.a}/${id}`, URL_SECONDS],
      ['GET', `cases/${w.a}/${id}`, URL_SECONDS],
    ]);
    expect(URL_SECONDS).toBeLessThanOrEqual(300);
  });

  it('refuses another participant’s upload in a message with the 404 of an unknown id, and writes nothing', async () => {
    const w = await aWorld();
    const reporters = await upload(w, '/reports/{caseId}/attachments', w.callers.reporterOfCase);
    const before = (await w.app.store.load(w.a))!.version;
    for (const [path, caller, body] of [
      ['/vendor/cases/{caseId}/messages', w.callers.vendorOfCase, { body: 'mine now', attachmentIds: [reporters] }],
      ['/cases/{caseId}/messages', w.callers.coordinator, { to: 'everyone', body: 'pass it on', attachmentIds: [reporters] }],
      ['/reports/{caseId}/messages', w.callers.reporterOfOtherCase, { kind: 'comment', body: 'x', attachmentIds: [reporters] }],
    ] as const) {
      const r = await call(w.app.deps, 'POST', path, { params: { caseId: w.a }, caller, body });
      expect(r.status, `${path}: ${r.raw}`).toBe(404);
    }
    expect((await w.app.store.load(w.a))!.version).toBe(before);
    expect((await w.app.files.records.get(w.a, reporters))!.grants).toEqual([]);
    // The other case's reporter cannot fetch it by guessing the case either.
    const elsewhere = await call(w.app.deps, 'GET', '/reports/{caseId}/attachments/{attachmentId}', {
      params: { caseId: w.b, attachmentId: reporters },
      caller: w.callers.reporterOfOtherCase,
    });
    expect(elsewhere.status).toBe(404);
  });

  it('answers a removed file with 410 to its readers only, and takes no upload on a case that ended', async () => {
    const w = await aWorld();
    const id = await upload(w, '/vendor/cases/{caseId}/attachments', w.callers.vendorOfCase);
    await w.app.files.records.markRemoved(w.a, id, w.app.clock.now);
    const ask = (caller: World['callers'][keyof World['callers']]) =>
      call(w.app.deps, 'GET', '/vendor/cases/{caseId}/attachments/{attachmentId}', { params: { caseId: w.a, attachmentId: id }, caller });
    expect((await ask(w.callers.vendorOfCase)).status).toBe(410);
    expect((await ask(w.callers.otherVendorOnCase)).status).toBe(404);
    const closed = await call(w.app.deps, 'POST', '/cases/{caseId}/close', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      body: { reason: 'withdrawn by the reporter' },
    });
    expect(closed.status).toBe(202);
    const late = await call(w.app.deps, 'POST', '/vendor/cases/{caseId}/attachments', {
      params: { caseId: w.a },
      caller: w.callers.vendorOfCase,
      body: declared,
    });
    expect([404, 409]).toContain(late.status);
  });
});

describe('the retention rule', () => {
  const twoFiles = async (w: World) => [
    await upload(w, '/reports/{caseId}/attachments', w.callers.reporterOfCase),
    await upload(w, '/cases/{caseId}/attachments', w.callers.coordinator),
  ];

  it('removes every file of a published case, and a retry after a failed removal finishes the job', async () => {
    const w = await aWorld();
    const ids = await twoFiles(w);
    const purge = w.app.files.store.purge.bind(w.app.files.store);
    let failures = 1;
    w.app.files.store.purge = async (key) => {
      if (failures-- > 0) throw Object.assign(new Error('bucket unavailable'), { name: 'ServiceUnavailable' });
      return purge(key);
    };
    await expect(applyFileRetention(w.app.deps, w.a)).rejects.toThrow('bucket unavailable');
    expect(await applyFileRetention(w.app.deps, w.a)).toEqual({ removed: 2, kept: false });
    expect(w.app.files.store.files.size).toBe(0);
    for (const id of ids) expect((await w.app.files.records.get(w.a, id))?.removedAt).toBeDefined();
    expect(await applyFileRetention(w.app.deps, w.a)).toEqual({ removed: 0, kept: false });
    const gone = await call(w.app.deps, 'GET', '/reports/{caseId}/attachments/{attachmentId}', {
      params: { caseId: w.a, attachmentId: ids[0]! },
      caller: w.callers.reporterOfCase,
    });
    expect(gone.status).toBe(410);
  });

  it('keeps them when a coordinator said so, and only a coordinator can say so', async () => {
    const w = await aWorld();
    await twoFiles(w);
    const asVendor = await call(w.app.deps, 'PUT', '/cases/{caseId}/file-retention', {
      params: { caseId: w.a },
      caller: w.callers.vendorOfCase,
      body: { keep: true },
    });
    expect(asVendor.status).toBe(401);
    const kept = await call(w.app.deps, 'PUT', '/cases/{caseId}/file-retention', {
      params: { caseId: w.a },
      caller: w.callers.coordinator,
      body: { keep: true },
    });
    expect(kept.status, kept.raw).toBe(200);
    expect(await applyFileRetention(w.app.deps, w.a)).toEqual({ removed: 0, kept: true });
    expect(w.app.files.store.files.size).toBe(2);
  });
});
