// A message's audience and thread, decided from the case: a coordinator's audience becomes the
// recipients it names now (only vendors already contacted, so a message never tells a vendor of a
// case before its notification does), and a reply must name a message its writer can read. A
// message the writer cannot read is refused exactly as an unknown id, so a reply learns nothing.
import { type AudienceInput, type Recipients, canRead, readerOf } from '../audience.js';
import type { CaseState } from '../case.js';
import type { Actor } from '../events.js';
import { conflict, invalid, notFound } from './guards.js';

export function resolveAudience(
  s: CaseState,
  to: AudienceInput,
  fixed?: Recipients,
): { audience: Exclude<AudienceInput, object> | 'selected'; to: Recipients } {
  const resolved = resolveNow(s, to);
  // Resolved once already (when the readers' copies were written): those recipients stand, as long
  // as the audience may reach each of them now.
  if (fixed?.vendorIds.every((id) => resolved.to.vendorIds.includes(id)) && (!fixed.reporter || resolved.to.reporter))
    return { audience: resolved.audience, to: fixed };
  return resolved;
}

function resolveNow(s: CaseState, to: AudienceInput): { audience: Exclude<AudienceInput, object> | 'selected'; to: Recipients } {
  const contacted = s.vendors.filter((v) => v.firstContactAt !== null);
  if (typeof to === 'object') {
    const ids = [...new Set(to.vendorIds)];
    if (ids.length === 0) throw invalid('to.vendorIds must name at least one vendor');
    for (const id of ids) {
      const v = s.vendors.find((x) => x.vendorId === id);
      if (!v) throw invalid(`to.vendorIds names no vendor of this case: ${id}`);
      if (v.firstContactAt === null) throw conflict(s, `vendor ${id} has not been contacted yet, so it cannot be written to`, []);
    }
    return { audience: 'selected', to: { reporter: false, vendorIds: ids } };
  }
  const vendorIds =
    to === 'vendors' || to === 'everyone'
      ? contacted.map((v) => v.vendorId)
      : to === 'downstream'
        ? contacted.filter((v) => v.downstream).map((v) => v.vendorId)
        : [];
  const reporter = (to === 'reporter' || to === 'everyone') && s.report !== null;
  if ((to === 'vendors' || to === 'downstream') && vendorIds.length === 0)
    throw conflict(s, to === 'downstream' ? 'no downstream vendor has been contacted yet' : 'no vendor has been contacted yet', []);
  if (to === 'reporter' && !reporter) throw conflict(s, 'the case has no reporter to write to', []);
  return { audience: to, to: { reporter, vendorIds } };
}

/** The message a reply answers and its thread; NotFound for an id the writer cannot read, as for one that does not exist. */
export function replyTo(s: CaseState, actor: Actor, inReplyTo: string | undefined): { inReplyTo?: string; threadId?: string } {
  if (inReplyTo === undefined) return {};
  const reader = readerOf(actor);
  const parent = s.comments.find((m) => m.messageId === inReplyTo && canRead(m, reader));
  if (!parent?.messageId) throw notFound('no such message');
  return { inReplyTo: parent.messageId, threadId: parent.threadId ?? parent.messageId };
}
