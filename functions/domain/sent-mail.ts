// The record of mail sent, on the case: a retried step asks `wasSent` before every e-mail. Kept in
// buckets so that a case with hundreds of vendors does not copy thousands of keys with each record.
import type { CaseState } from './case-state.js';
import { SliceTooNarrow } from './errors.js';
import { ms } from './time.js';

/**
 * How many buckets hold the keys of mail sent. A case with hundreds of vendors records thousands of
 * keys; one flat map would be copied whole by every record the fold adds (milliseconds each, for
 * every e-mail), while a bucket holds a few dozen.
 */
export const SENT_BUCKETS = 64;

/**
 * The bucket of a key: FNV-1a over its UTF-16 code units, then MurmurHash3's finaliser (keys that
 * repeat a vendor's number twice would otherwise share their low bits), so every runtime and every
 * replay agree.
 */
export function sentBucket(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (((h ^ (h >>> 16)) >>> 0) % SENT_BUCKETS).toString(36);
}

/** Message notices' keys (see pruneNotifications): kept in `notifications`, in the core of a large case. */
const PRUNABLE_NOTICE = /^comment:/;

/**
 * Whether the e-mail with this key was recorded as sent (or held for a digest). A slice of a large
 * case without its record of mail sent can say so only for a message notice (kept in the core):
 * for any other key it throws rather than answer no, which would send the mail again.
 */
export function wasSent(s: Pick<CaseState, 'notifications' | 'sent' | 'sliceFacts'>, key: string): boolean {
  if (s.notifications[key]) return true;
  if (s.sent === undefined && s.sliceFacts !== undefined && !PRUNABLE_NOTICE.test(key))
    throw new SliceTooNarrow(`a slice of the case without its record of mail sent cannot say whether ${key} was sent`);
  return Boolean(s.sent?.[sentBucket(key)]?.[key]);
}

/**
 * Notices of participants' messages are keyed per message; their keys only guard a retried step,
 * so after two days they are dropped, and a flood of messages cannot grow the snapshot with them.
 */
const NOTICE_KEY_DAYS = 2;
export function pruneNotifications(n: Record<string, string>, now: string): Record<string, string> {
  const cutoff = ms(now) - NOTICE_KEY_DAYS * 86_400_000;
  const stale = (k: string) => PRUNABLE_NOTICE.test(k) && ms(n[k] ?? now) < cutoff;
  let any = false;
  for (const k in n) if (stale(k)) any = true;
  if (!any) return n;
  return Object.fromEntries(Object.entries(n).filter(([k]) => !stale(k)));
}

/**
 * Records a key of mail sent or held: a message notice's key in `notifications`, pruned as it goes;
 * any other in its bucket of `sent`, so that the record copies a few dozen keys, not thousands.
 */
export function recordSent(s: CaseState, key: string, at: string): Pick<CaseState, 'notifications' | 'sent'> {
  if (PRUNABLE_NOTICE.test(key))
    return { notifications: { ...pruneNotifications(s.notifications, at), [key]: at }, ...(s.sent ? { sent: s.sent } : {}) };
  const b = sentBucket(key);
  return { notifications: s.notifications, sent: { ...s.sent, [b]: { ...s.sent?.[b], [key]: at } } };
}
