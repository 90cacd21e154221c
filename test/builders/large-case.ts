// A case with more than one part of vendors (functions/domain/case-parts.ts), for the tests of
// what is read and written as a slice: its setup, the workflow run until it is caught up, reads
// counted, a clock that moves while mail goes out, and a digest waiting for a vendor.
import { execute } from '../../functions/app/commands.js';
import * as wf from '../../functions/app/workflow.js';
import { VENDORS_PER_PART } from '../../functions/domain/case-parts.js';
import { type CaseState, type StoredEvent, addHours } from '../../functions/domain/index.js';
import { isOutsideEvent } from '../../functions/domain/events.js';
import { reportThroughApi, toEmbargo, toTriage } from './api-world.js';
import { aTestApp, type TestApp } from './app.js';
import { COORDINATOR } from './case.js';

export const LARGE_VENDORS = VENDORS_PER_PART + 8;
/** The report names Acme; the coordinator adds the others. */
export const largeCaseNames = ['Acme', ...Array.from({ length: LARGE_VENDORS - 1 }, (_, i) => `Vendor${i + 2}`)];
/** The last vendor, in the second part. */
export const LAST_VENDOR = `vendor-${LARGE_VENDORS}`;

/** A large case in embargo, every vendor contacted and the workflow's first turn done. */
export async function largeCase(opts: { downstream?: string } = {}): Promise<{ app: TestApp; caseId: string }> {
  const app = aTestApp();
  const { caseId } = await reportThroughApi(app);
  await toTriage(app, caseId, largeCaseNames);
  if (opts.downstream) await execute(app.deps, caseId, { type: 'update-vendor', vendorId: opts.downstream, downstream: true }, COORDINATOR);
  await toEmbargo(app, caseId);
  await wf.advance(app.deps, { caseId });
  return { app, caseId };
}

/** Runs the workflow until no outside event waits to be applied. */
export async function settle(app: TestApp, caseId: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await wf.advance(app.deps, { caseId });
    const s = (await app.store.load(caseId))?.state as CaseState;
    const after = (await app.store.readEvents(caseId, { afterSeq: s.appliedSeq, limit: 10_000 })).events as StoredEvent[];
    if (!after.some(isOutsideEvent)) return;
  }
  throw new Error('the workflow did not settle');
}

/** Whole loads and slices read from now on (a slice that falls back to load() counts once, as a slice). */
export function countReads(app: TestApp): { loads: number; slices: string[][] } {
  const seen = { loads: 0, slices: [] as string[][] };
  const load = app.store.load.bind(app.store);
  const loadSlice = app.store.loadSlice.bind(app.store);
  let inSlice = false;
  app.store.load = (caseId) => {
    if (!inSlice) seen.loads++;
    return load(caseId);
  };
  app.store.loadSlice = async (caseId, parts) => {
    seen.slices.push([...parts]);
    inSlice = true;
    try {
      return await loadSlice(caseId, parts);
    } finally {
      inSlice = false;
    }
  };
  return seen;
}

/** Time moves on while the turn sends its first mail (SES's latency, in production). */
export function clockJumpsOnSend(app: TestApp, to: string): void {
  const send = app.mailer.send.bind(app.mailer);
  let jumped = false;
  app.mailer.send = async (m) => {
    const r = await send(m);
    if (!jumped) {
      jumped = true;
      app.clock.set(to);
    }
    return r;
  };
}

/** Two coordinator messages to a vendor close together: the second waits for a digest, due at `due`. */
export async function aDigestWaiting(app: TestApp, caseId: string, vendorId: string): Promise<{ address: string; due: string }> {
  app.clock.advanceHours(1);
  await execute(app.deps, caseId, { type: 'add-comment', body: 'first', messageId: 'c-1', to: { vendorIds: [vendorId] } }, COORDINATOR);
  await settle(app, caseId);
  app.clock.advanceHours(0.05);
  await execute(app.deps, caseId, { type: 'add-comment', body: 'second', messageId: 'c-2', to: { vendorIds: [vendorId] } }, COORDINATOR);
  await settle(app, caseId);
  const s = (await app.store.load(caseId))?.state as CaseState;
  const [address, digest] = Object.entries(s.mailDigests ?? {}).find(([, x]) => x.waiting.length > 0) ?? [];
  if (!address || !digest?.lastAt) throw new Error('no digest waits');
  return { address, due: addHours(digest.lastAt, app.deps.policy.messageDigestMinutes / 60) };
}
