// Who is calling (docs/api.md "Callers"). Reporters and vendors present a bearer capability token,
// checked here against its SHA-256 grant; coordinators arrive with the Cognito authorizer's claims.
//
// Outsiders learn nothing: a wrong, expired, revoked or foreign token, a token of the other role,
// and a case that does not exist all get the same 404 `not found`, byte for byte. Only a request
// with no bearer token at all gets 401 (it reveals nothing about any case).
import { type AccessGrant, type GrantRole, type Slice, hashToken, isGrantActive, partialState } from '../../adapters/event-store.js';
import { vendorPartOf } from '../../domain/case-parts.js';
import { type CaseState, linkOf } from '../../domain/case.js';
import type { Actor } from '../../domain/events.js';
import { addDays, ms } from '../../domain/time.js';
import type { AppDeps } from '../deps.js';
import { COORDINATOR_GROUP } from '../../environment.js';
import { type ApiEvent, HttpError, header, notFound } from './http.js';

/** Tokens keep working this long after the case is closed, declined or published. */
export const GRACE_DAYS = 30;

const unauthorized = (detail: string) => new HttpError(401, 'Unauthorized', detail, [], 'about:blank', { 'WWW-Authenticate': 'Bearer' });

/**
 * When access through a grant ends on this case: the grant's own expiry, or GRACE_DAYS after the
 * case's end. A published case ends again with each update of its note (vendors may ask for the
 * next one), and a link a coordinator issued after the end runs its own grace from its issue.
 */
export function grantExpiry(grant: AccessGrant, s: CaseState): string | null {
  const ended = s.phase === 'published' ? lastRelease(s) : s.phase === 'closed' || s.phase === 'declined' ? (s.closed?.at ?? null) : null;
  const from = ended && ms(grant.createdAt) > ms(ended) ? grant.createdAt : ended;
  const byCase = from ? addDays(from, GRACE_DAYS) : null;
  if (grant.expiresAt && byCase) return ms(grant.expiresAt) < ms(byCase) ? grant.expiresAt : byCase;
  return grant.expiresAt ?? byCase;
}

const lastRelease = (s: CaseState): string | null =>
  s.published ? [s.published.at, ...(s.published.updates ?? []).map((u) => u.at)].reduce((a, b) => (ms(b) > ms(a) ? b : a)) : null;

export function bearerToken(event: ApiEvent): string {
  const auth = header(event, 'authorization');
  if (!auth) throw unauthorized('this route needs Authorization: Bearer <token>, the token from your link');
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,4096})\s*$/i.exec(auth);
  if (!m?.[1]) throw unauthorized('the Authorization header must be Bearer <token>');
  return m[1];
}

export interface Participant {
  actor: Actor;
  grant: AccessGrant;
  state: CaseState;
  version: number;
}

/**
 * The reporter or vendor this token opens `caseId` for, with the case as loaded. Every failure
 * after the header is well formed is the one `notFound()`.
 */
export async function authenticateParticipant(
  deps: Pick<AppDeps, 'store' | 'now'>,
  event: ApiEvent,
  caseId: string,
  role: GrantRole,
): Promise<Participant> {
  const grant = await activeGrant(deps, event, caseId, role);
  const loaded = await deps.store.load(caseId);
  if (!loaded) throw notFound();
  return admitted(deps, grant, loaded.state, loaded.version);
}

/**
 * A vendor's token on a route that only reads: the case as that vendor's view needs it, its core and
 * this vendor alone (read as a slice: a few KB of a case of hundreds of vendors), or the whole case
 * once published (the note then lists every vendor). Never decide a change on it: the store refuses
 * it as the base of an append.
 */
export async function authenticateVendorReader(
  deps: Pick<AppDeps, 'store' | 'now'>,
  event: ApiEvent,
  caseId: string,
): Promise<Participant> {
  const grant = await activeGrant(deps, event, caseId, 'vendor');
  const slice = await ownSlice(deps, caseId, grant);
  let loaded: { state: CaseState; version: number } | null = slice ? { state: slice.partial, version: slice.version } : null;
  if (loaded === null || (loaded.state.phase === 'published' && slice?.whole !== true)) loaded = await deps.store.load(caseId);
  if (!loaded) throw notFound();
  const { state, version } = loaded;
  const p = admitted(deps, grant, state, version);
  if (state.phase === 'published') return p;
  return { ...p, state: partialState({ ...state, vendors: state.vendors.filter((v) => v.vendorId === grant.participantId) }) };
}

/**
 * A vendor's token on a route that changes only that vendor's own part (acknowledging, its status,
 * its messages): the case as a slice of its core and this vendor's part when the store can append
 * on it (functions/app/commands.ts decides such a change there), else the whole case. The state is
 * never sent back: what the vendor reads is built by the read routes.
 */
export async function authenticateVendorWriter(
  deps: Pick<AppDeps, 'store' | 'now'>,
  event: ApiEvent,
  caseId: string,
): Promise<Participant> {
  const grant = await activeGrant(deps, event, caseId, 'vendor');
  const slice = await ownSlice(deps, caseId, grant);
  // A slice a change can be appended on: whole, or carrying the facts of the parts it lacks.
  const usable = slice !== null && (slice.whole || slice.partial.sliceFacts !== undefined);
  const loaded = usable ? { state: slice.partial, version: slice.version } : await deps.store.load(caseId);
  if (!loaded) throw notFound();
  return admitted(deps, grant, loaded.state, loaded.version);
}

/** The case's core and the part holding the grant's vendor; null when no part holds it (its id names none, or it is not there). */
async function ownSlice(deps: Pick<AppDeps, 'store'>, caseId: string, grant: AccessGrant): Promise<Slice<CaseState> | null> {
  const part = vendorPartOf(grant.participantId);
  const slice = part === null ? null : await deps.store.loadSlice(caseId, [part]);
  return slice?.partial.vendors.some((v) => v.vendorId === grant.participantId) ? slice : null;
}

async function activeGrant(deps: Pick<AppDeps, 'store' | 'now'>, event: ApiEvent, caseId: string, role: GrantRole): Promise<AccessGrant> {
  const token = bearerToken(event);
  const grant = await deps.store.getGrant(hashToken(token));
  if (!grant || grant.role !== role || grant.caseId !== caseId || !isGrantActive(grant, deps.now())) throw notFound();
  return grant;
}

/** The grant on the case as loaded: ended with the case, or a link no longer live, is the one `notFound()`. */
function admitted(deps: Pick<AppDeps, 'now'>, grant: AccessGrant, state: CaseState, version: number): Participant {
  const expiry = grantExpiry(grant, state);
  if (expiry && ms(expiry) <= ms(deps.now())) throw notFound();
  if (!isLiveLink(grant, state)) throw notFound();
  return { actor: { role: grant.role, participant: grant.participantId }, grant, state, version };
}

/**
 * The case decides which link is live: the grant's holder must still be on the case (a vendor
 * contact still confirmed), with this very generation, not revoked. So removing a contact, revoking
 * or reissuing ends a link in the same write that records it.
 */
export function isLiveLink(grant: AccessGrant, s: CaseState): boolean {
  if (grant.role === 'reporter') {
    const link = linkOf(s, { role: 'reporter' });
    return link !== null && !link.revokedAt && (grant.generation ?? 1) === link.generation;
  }
  const vendor = s.vendors.find((v) => v.vendorId === grant.participantId);
  if (!vendor) return false;
  // A grant from before links were per contact: good while no link of that vendor was ever revoked or reissued.
  if (grant.contact === undefined)
    return vendor.contacts.length > 0 && vendor.contacts.every((c) => c.link.generation === 1 && !c.link.revokedAt);
  const link = linkOf(s, { role: 'vendor', vendorId: vendor.vendorId, email: grant.contact });
  return link !== null && !link.revokedAt && grant.generation === link.generation;
}

type Claims = Record<string, unknown>;

function claimsOf(event: ApiEvent): Claims | null {
  const authorizer = event.requestContext?.authorizer as { claims?: unknown } | null | undefined;
  const claims = authorizer?.claims;
  return typeof claims === 'object' && claims !== null ? (claims as Claims) : null;
}

/** `cognito:groups` arrives as a list, a comma- or space-separated string, or `[a b]` from the REST authorizer. */
function groupsOf(claims: Claims): string[] {
  const raw = claims['cognito:groups'];
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** The coordinator behind the Cognito claims: 401 without claims, 403 outside the group. */
export function requireCoordinator(event: ApiEvent): Actor {
  const claims = claimsOf(event);
  if (!claims) throw unauthorized('this route needs a coordinator sign-in');
  if (!groupsOf(claims).includes(COORDINATOR_GROUP)) throw new HttpError(403, 'Forbidden', 'only coordinators may do this');
  const who = [claims['cognito:username'], claims.email, claims.sub].find((x): x is string => typeof x === 'string' && x.length > 0);
  return { role: 'coordinator', participant: who ?? 'coordinator' };
}
