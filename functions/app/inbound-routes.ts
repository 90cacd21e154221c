// Reply addresses (docs/workflow.md "Reports and replies by e-mail"): each reporter and vendor
// contact gets mail whose Reply-To is case+<case id>.<routing id>@<inbound domain>. The routing id
// is derived from the link secret under its own label with the holder's link generation
// (adapters/link-keys.ts): it is not the bearer token and does not lead to it, nothing is stored per
// send, and a reissued or revoked link leaves the old address naming nobody.
import { timingSafeEqual } from 'node:crypto';
import { type CaseState, linkOf } from '../domain/case.js';
import type { LinkHolder } from '../domain/events.js';
import { replyLocalPart } from '../domain/inbound-mail.js';
import type { AppDeps } from './deps.js';

/** The holder's reply address, or null when inbound mail is off or the holder has no live link. */
export async function replyAddress(deps: Pick<AppDeps, 'links' | 'config'>, s: CaseState, holder: LinkHolder): Promise<string | null> {
  const domain = deps.config.replyDomain;
  const link = linkOf(s, holder);
  if (!domain || !link || link.revokedAt) return null;
  return `${replyLocalPart(s.caseId, await deps.links.routingId(s.caseId, holder, link.generation))}@${domain}`;
}

/** Every holder of the case with a link (revoked ones too, so a reply to a revoked link is told apart). */
function holdersOf(s: CaseState): { holder: LinkHolder; email: string }[] {
  const out: { holder: LinkHolder; email: string }[] = [];
  if (s.report) out.push({ holder: { role: 'reporter' }, email: s.report.reporter.email });
  for (const v of s.vendors)
    for (const c of v.contacts) out.push({ holder: { role: 'vendor', vendorId: v.vendorId, email: c.email }, email: c.email });
  return out;
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Whose reply address a routing id is on this case: the holder and whether their link still lives; null for nobody. */
export async function holderOfRoute(
  deps: Pick<AppDeps, 'links'>,
  s: CaseState,
  routingId: string,
): Promise<{ holder: LinkHolder; email: string; revoked: boolean } | null> {
  for (const h of holdersOf(s)) {
    const link = linkOf(s, h.holder);
    if (!link) continue;
    if (same(await deps.links.routingId(s.caseId, h.holder, link.generation), routingId)) return { ...h, revoked: link.revokedAt !== null };
  }
  return null;
}
