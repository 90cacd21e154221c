// The last guard of a workflow turn run on a large case's core: should it meet something only the
// whole case can say (here a digest the judgement missed), it writes what it holds and runs again
// on the whole case, and nothing is sent twice or settled as undelivered.
import { describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../../../functions/domain/index.js';
import { isOutsideEvent } from '../../../functions/domain/events.js';
import { dueDigests } from '../../../functions/domain/message-digest.js';
import * as wf from '../../../functions/app/workflow.js';
import { vendorToken } from '../../builders/api-world.js';
import { LAST_VENDOR, aDigestWaiting, largeCase, settle } from '../../builders/large-case.js';
import { bearer, call } from '../../builders/http.js';

// dueDigests as it is, except where a test makes one call miss what is due.
vi.mock('../../../functions/domain/message-digest.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../functions/domain/message-digest.js')>();
  return { ...actual, dueDigests: vi.fn(actual.dueDigests) };
});

describe('a turn on the core that meets what only the whole case can say', () => {
  it('writes what it holds and runs again on the whole case: the digest goes out once, delivered', async () => {
    const { app, caseId } = await largeCase();
    await settle(app, caseId);
    const { address, due } = await aDigestWaiting(app, caseId, LAST_VENDOR);
    app.clock.set(due);
    const token = await vendorToken(app, caseId, 'vendor-1');
    const r = await call(app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
      params: { caseId },
      caller: bearer(token),
      body: { kind: 'comment', body: 'hello' },
    });
    expect(r.status, r.raw).toBe(202);
    // The turn's judgement misses the due digest once; the turn then meets it on the core.
    vi.mocked(dueDigests).mockReturnValueOnce([]);
    const notices = () => app.mailer.sent.filter((m) => m.tags?.template === 'comment-received').length;
    const before = notices();

    await wf.advance(app.deps, { caseId });

    const digests = app.mailer.sent.filter((m) => m.tags?.template === 'message-digest' && m.to.includes(address));
    expect(digests).toHaveLength(1);
    const log = (await app.store.readEvents(caseId, { limit: 10_000 })).events as StoredEvent[];
    expect(log.filter((e) => e.type === 'digest-sent')).toEqual([expect.objectContaining({ address, delivered: true })]);
    // The coordinators heard of the vendor's message once, though the turn ran twice.
    expect(notices() - before).toBe(app.deps.config.coordinatorEmails.length);
    const after = await app.store.load(caseId);
    expect(after?.state.appliedSeq).toBe(Math.max(...log.filter(isOutsideEvent).map((e) => e.seq)));
  });
});
