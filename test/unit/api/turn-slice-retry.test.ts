// The last guard of a workflow turn run on a large case's core: should it meet something only the
// whole case can say (here a digest the judgement missed), it writes what it holds and runs again
// on the whole case, and nothing is sent twice or settled as undelivered.
import { describe, expect, it, vi } from 'vitest';
import { execute } from '../../../functions/app/commands.js';
import * as wf from '../../../functions/app/workflow.js';
import { VENDORS_PER_PART } from '../../../functions/domain/case-parts.js';
import { type CaseState, type StoredEvent, addHours } from '../../../functions/domain/index.js';
import { isOutsideEvent } from '../../../functions/domain/events.js';
import { dueDigests } from '../../../functions/domain/message-digest.js';
import { reportThroughApi, toEmbargo, toTriage, vendorToken } from '../../builders/api-world.js';
import { aTestApp, type TestApp } from '../../builders/app.js';
import { COORDINATOR } from '../../builders/case.js';
import { bearer, call } from '../../builders/http.js';

// dueDigests as it is, except where a test makes one call miss what is due.
vi.mock('../../../functions/domain/message-digest.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../functions/domain/message-digest.js')>();
  return { ...actual, dueDigests: vi.fn(actual.dueDigests) };
});

const VENDORS = VENDORS_PER_PART + 8;
const names = ['Acme', ...Array.from({ length: VENDORS - 1 }, (_, i) => `Vendor${i + 2}`)];
const LAST = `vendor-${VENDORS}`;

async function settle(app: TestApp, caseId: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await wf.advance(app.deps, { caseId });
    const s = (await app.store.load(caseId))?.state as CaseState;
    const after = (await app.store.readEvents(caseId, { afterSeq: s.appliedSeq, limit: 10_000 })).events as StoredEvent[];
    if (!after.some(isOutsideEvent)) return;
  }
  throw new Error('the workflow did not settle');
}

describe('a turn on the core that meets what only the whole case can say', () => {
  it('writes what it holds and runs again on the whole case: the digest goes out once, delivered', async () => {
    const app = aTestApp();
    const { caseId } = await reportThroughApi(app);
    await toTriage(app, caseId, names);
    await toEmbargo(app, caseId);
    await settle(app, caseId);
    // Two coordinator messages to the last vendor close together: the second waits for a digest.
    app.clock.advanceHours(1);
    await execute(app.deps, caseId, { type: 'add-comment', body: 'first', messageId: 'c-1', to: { vendorIds: [LAST] } }, COORDINATOR);
    await settle(app, caseId);
    app.clock.advanceHours(0.05);
    await execute(app.deps, caseId, { type: 'add-comment', body: 'second', messageId: 'c-2', to: { vendorIds: [LAST] } }, COORDINATOR);
    await settle(app, caseId);
    const s = (await app.store.load(caseId))?.state as CaseState;
    const [address, digest] = Object.entries(s.mailDigests ?? {}).find(([, x]) => x.waiting.length > 0) ?? [];
    if (!address || !digest?.lastAt) throw new Error('no digest waits');
    app.clock.set(addHours(digest.lastAt, app.deps.policy.messageDigestMinutes / 60));
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
