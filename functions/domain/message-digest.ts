// Message notices and their digest (docs/workflow.md "Message notices"): each recipient gets one
// e-mail per message, but once an address had a message notice, the messages that follow within
// `messageDigestMinutes` wait and go out together as one digest when that time is up. So a busy
// thread costs a recipient at most one e-mail per window, and no message is left without a notice.
import type { NoticeHolder, StoredEvent } from './events.js';
import type { Policy } from './policy.js';
import { ms } from './time.js';

/** The templates that are message notices: their sending starts an address's digest window. */
export const MESSAGE_NOTICE_TEMPLATES: readonly string[] = ['message', 'comment-received', 'message-digest'];

export interface WaitingNotice {
  key: string;
  at: string;
  template: string;
  messageId?: string;
}

export interface AddressDigest {
  /** Set by the first held notice: whose link the digest carries. */
  holder?: NoticeHolder;
  /** When this address last got a message notice or digest. */
  lastAt: string | null;
  /** Notices held back for the next digest, oldest first. */
  waiting: WaitingNotice[];
}

/** Per recipient address (lower case). */
export type MailDigests = Record<string, AddressDigest>;

export const addressKey = (email: string) => email.trim().toLowerCase();

const windowMs = (policy: Pick<Policy, 'messageDigestMinutes'>) => policy.messageDigestMinutes * 60_000;

/** True when a notice to this address now would fall inside its window: it waits for the digest instead. */
export function holdsNotice(
  d: MailDigests | undefined,
  email: string,
  holder: NoticeHolder,
  now: string,
  policy: Pick<Policy, 'messageDigestMinutes'>,
): boolean {
  const a = d?.[addressKey(email)];
  if (!a || windowMs(policy) <= 0) return false;
  // One address serving two holders (a contact of two vendors): each keeps its own link, so no digest mixes them.
  if (a.holder && JSON.stringify(a.holder) !== JSON.stringify(holder)) return false;
  // Something already waits: this one joins it, whatever the clock says, so the digest stays one e-mail.
  if (a.waiting.length > 0) return true;
  return a.lastAt !== null && ms(now) - ms(a.lastAt) < windowMs(policy);
}

/** When an address's waiting notices go out. */
export const digestAt = (a: AddressDigest, policy: Pick<Policy, 'messageDigestMinutes'>): string | null => {
  const first = a.waiting[0];
  if (!first) return null;
  const from = a.lastAt ?? first.at;
  return new Date(ms(from) + windowMs(policy)).toISOString();
};

/** The digests due at `now`, by address. */
export function dueDigests(d: MailDigests | undefined, policy: Pick<Policy, 'messageDigestMinutes'>, now: string) {
  return Object.entries(d ?? {}).flatMap(([address, a]) => {
    const at = digestAt(a, policy);
    return at !== null && ms(at) <= ms(now) ? [{ address, digest: a }] : [];
  });
}

/** The earliest digest still to go out, or null. */
export function nextDigestAt(d: MailDigests | undefined, policy: Pick<Policy, 'messageDigestMinutes'>): string | null {
  let next: string | null = null;
  for (const a of Object.values(d ?? {})) {
    const at = digestAt(a, policy);
    if (at !== null && (next === null || ms(at) < ms(next))) next = at;
  }
  return next;
}

/** The fold's part: a message notice sent opens its address's window; a held one waits; a digest empties the wait. */
export function applyDigestEvent(d: MailDigests | undefined, e: StoredEvent): MailDigests | undefined {
  switch (e.type) {
    case 'notification-sent': {
      if (!MESSAGE_NOTICE_TEMPLATES.includes(e.template)) return d;
      const out = forgetQuiet(d, e.at);
      for (const to of e.to) {
        const k = addressKey(to);
        out[k] = { ...(out[k] ?? { waiting: [] }), lastAt: e.at };
      }
      return out;
    }
    case 'notice-held': {
      const k = addressKey(e.address);
      const a = d?.[k];
      const waiting = [
        ...(a?.waiting ?? []),
        { key: e.key, at: e.at, template: e.template, ...(e.messageId ? { messageId: e.messageId } : {}) },
      ];
      return { ...d, [k]: { lastAt: a?.lastAt ?? null, holder: e.holder, waiting } };
    }
    case 'digest-sent': {
      const k = addressKey(e.address);
      const a = d?.[k];
      if (!a) return d;
      // Only the notices the digest carried: one held while it was sent waits for the next.
      return { ...d, [k]: { ...a, waiting: a.waiting.slice(e.count), lastAt: e.delivered ? e.at : a.lastAt } };
    }
    default:
      return d;
  }
}

const QUIET_MS = 86_400_000;

/** Addresses with nothing waiting and no notice for a day are forgotten: no window is that long, and the snapshot stays small. */
function forgetQuiet(d: MailDigests | undefined, now: string): MailDigests {
  const out: MailDigests = {};
  for (const [k, a] of Object.entries(d ?? {}))
    if (a.waiting.length > 0 || (a.lastAt !== null && ms(now) - ms(a.lastAt) < QUIET_MS)) out[k] = a;
  return out;
}
