// The refusals every decider uses: each says which state forbids what, so a 409 can name it.
import { type CaseState, type Phase, type VendorState, contactOf, isTerminal, vendorById } from '../case.js';
import { DomainError } from '../errors.js';
import type { Actor, ContactInput, LinkHolder } from '../events.js';
import { ms, normalize } from '../time.js';

export const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

/** Stands for "what a coordinator may do in this phase": decide fills it in from the rules (deciders cannot import them). */
export const ALLOWED_IN_PHASE: readonly string[] = Object.freeze([]);

/** A refusal for the case's state; `allowed` defaults to what a coordinator may do in this phase. */
export function conflict(s: CaseState, what: string, allowedHere: readonly string[] = ALLOWED_IN_PHASE): DomainError {
  return new DomainError(
    'InvalidTransition',
    `${what}: the case is in phase "${s.phase}" (report ${s.rm}, embargo ${s.embargo.state})`,
    { phase: s.phase, rm: s.rm, em: s.embargo.state },
    allowedHere,
  );
}
export const invalid = (message: string) => new DomainError('InvalidCommand', message);
export const notFound = (message: string) => new DomainError('NotFound', message);

export function requirePhase(s: CaseState, phases: readonly Phase[], what: string): void {
  if (!phases.includes(s.phase)) throw conflict(s, `${what} is possible only in phase ${phases.map((p) => `"${p}"`).join(' or ')}`);
}
export function requireOpen(s: CaseState, what: string): void {
  if (s.version === 0) throw notFound('no such case');
  if (isTerminal(s)) throw conflict(s, `${what} is not possible on a finished case`);
}
export function requireFuture(at: string, now: string, field: string): string {
  if (Number.isNaN(Date.parse(at))) throw invalid(`${field} must be an ISO-8601 instant`);
  if (ms(at) <= ms(now)) throw invalid(`${field} must be in the future (now is ${now})`);
  return normalize(at);
}
export function vendorOf(s: CaseState, actor: Actor): VendorState {
  const v = actor.participant ? vendorById(s, actor.participant) : undefined;
  if (!v) throw notFound('no such vendor on this case');
  return v;
}
export function knownVendor(s: CaseState, vendorId: string): VendorState {
  const v = vendorById(s, vendorId);
  if (!v) throw notFound(`no vendor ${vendorId} on this case`);
  return v;
}

/** One entry per address (case-insensitive), the first spelling kept. */
export function uniqueContacts(contacts: readonly ContactInput[]): ContactInput[] {
  const seen = new Set<string>();
  return contacts.filter((x) => {
    const key = x.email.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whose links a manage-links command is about: the reporter, one contact, or every contact of a vendor. */
export function linkHolders(s: CaseState, vendorId: string | undefined, email: string | undefined): LinkHolder[] {
  if (vendorId === undefined) {
    if (email !== undefined) throw invalid('an email names a vendor contact; give the vendorId too');
    return [{ role: 'reporter' }];
  }
  const v = knownVendor(s, vendorId);
  if (email === undefined) return v.contacts.map((x) => ({ role: 'vendor', vendorId: v.vendorId, email: x.email }));
  const contact = contactOf(v, email);
  if (!contact) throw notFound(`${vendorId} has no confirmed contact with that address`);
  return [{ role: 'vendor', vendorId: v.vendorId, email: contact.email }];
}
