// Shared by the reliability scenarios: waiting for a condition, and counting writes to a store.
import type { CaseStore } from '../../functions/adapters/event-store.js';

/**
 * Lets work run until `check` holds (or `ms` pass). settle() waits through retry back-offs too,
 * so the first check normally decides; the bound keeps a failing scenario from hanging.
 */
export async function until(check: () => boolean | Promise<boolean>, settle: () => Promise<void>, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    await settle();
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const WRITES = new Set([
  'append',
  'putGrant',
  'revokeGrant',
  'claimIdempotency',
  'completeIdempotency',
  'releaseIdempotency',
  'putWait',
  'clearWait',
]);

/** A store that counts calls to its write methods (and otherwise is the store). */
export function countingWrites<S, E extends object, Q>(store: CaseStore<S, E, Q>): { store: CaseStore<S, E, Q>; writes: string[] } {
  const writes: string[] = [];
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop === 'string' && WRITES.has(prop) && typeof v === 'function') {
        return (...args: unknown[]) => {
          writes.push(prop);
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { store: proxy, writes };
}

/** An error as the SDK throws it, by name (e.g. SES 'Throttling'). */
export function sdkError(name: string, status = 400): Error {
  const e = new Error(`${name}: simulated`);
  e.name = name;
  Object.assign(e, { $metadata: { httpStatusCode: status } });
  return e;
}
