// Private links for e-mails. A holder (the reporter, or one vendor contact) has one live link: its
// token is derived from the link secret and the holder's current generation (adapters/link-keys.ts),
// so mailing it again re-sends the same link. The store keeps only the token's hash.
import { hashToken } from '../adapters/event-store.js';
import { type CaseState, linkOf } from '../domain/case.js';
import type { LinkHolder } from '../domain/events.js';
import { reporterLink, vendorLink } from '../domain/messages.js';
import type { AppDeps } from './deps.js';

/**
 * The grants this container has stored or found, per store. A grant is never deleted (revoking one
 * marks it; a reissued link is a new token), so one known to exist need not be put again: a round
 * of mail to 500 vendors would otherwise make 500 writes that fail their condition.
 */
const knownGrants = new WeakMap<object, Set<string>>();

/** The token of the holder's live link, its grant stored; null when the link is revoked or the holder is gone. */
export async function liveToken(deps: Pick<AppDeps, 'links' | 'store' | 'now'>, s: CaseState, holder: LinkHolder): Promise<string | null> {
  const link = linkOf(s, holder);
  if (!link || link.revokedAt) return null;
  const token = await deps.links.token(s.caseId, holder, link.generation);
  const tokenHash = hashToken(token);
  const known = knownGrants.get(deps.store) ?? new Set<string>();
  knownGrants.set(deps.store, known);
  if (known.has(tokenHash)) return token;
  try {
    await deps.store.putGrant({
      tokenHash,
      caseId: s.caseId,
      role: holder.role,
      participantId: holder.role === 'vendor' ? holder.vendorId : 'reporter',
      ...(holder.role === 'vendor' ? { contact: holder.email.trim().toLowerCase() } : {}),
      generation: link.generation,
      createdAt: deps.now(),
    });
  } catch (e) {
    // Mailing the live link again: its grant is already there.
    if (!(e instanceof Error && e.name === 'GrantExistsError')) throw e;
  }
  known.add(tokenHash);
  return token;
}

/** The holder's live link as a URL for an e-mail, or null when it was revoked. */
export async function liveLink(
  deps: Pick<AppDeps, 'links' | 'store' | 'now' | 'config'>,
  s: CaseState,
  holder: LinkHolder,
): Promise<string | null> {
  const token = await liveToken(deps, s, holder);
  if (!token) return null;
  const base = { publicBaseUrl: deps.config.publicBaseUrl };
  return holder.role === 'reporter' ? reporterLink(base, s.caseId, token) : vendorLink(base, s.caseId, token);
}
