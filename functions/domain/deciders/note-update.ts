// Updating a published note (docs/workflow.md, "Updates after publication"): a coordinator's
// approval in phase published becomes the note's next revision; the workflow's release step says
// when its documents, CVE records and e-mail are all out.
import type { CaseState } from '../case.js';
import type { CommandOf, Decision, DecisionContext } from '../command.js';
import type { CaseEvent } from '../events.js';
import { LIMITS } from '../limits.js';
import { DEFAULT_CHANGE_SUMMARY, firstReleasePending, hasPendingUpdate, latestNoteRevision, unreleasedUpdate } from '../note-revisions.js';
import { conflict, invalid } from './guards.js';

/** Anything but text on one line: the change line goes into the note, CSAF, feeds and e-mail. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The approval of a published case's latest draft as the note's next revision. */
export function decideNoteUpdate(s: CaseState, c: CommandOf<'decide-publication'>, { base }: DecisionContext): CaseEvent[] {
  const published = s.published;
  if (!published) throw conflict(s, 'the case has no published note');
  if (firstReleasePending(s))
    throw conflict(s, 'the note is still going out (its CVE records and e-mail); approve an update once it is out', []);
  if (c.decision !== 'approve')
    throw conflict(s, `a published note can only be updated ("approve"); "${c.decision}" is for a draft before publication`);
  if (c.publishAt !== undefined) throw invalid('an update of a published note goes out at once; leave out publishAt');
  const summary = c.changeSummary?.trim() ?? '';
  if (summary.length > LIMITS.short) throw invalid(`changeSummary must be at most ${LIMITS.short} characters`);
  if (UNSAFE.test(summary)) throw invalid('changeSummary must be one line of text without control or bidirectional characters');
  const accepted = [...new Set(c.acceptUpdates ?? [])];
  for (const vendorId of accepted) {
    const v = s.vendors.find((x) => x.vendorId === vendorId);
    if (!v) throw invalid(`acceptUpdates names ${vendorId}, which is no vendor of this case`);
    if (!hasPendingUpdate(v)) throw invalid(`vendor ${vendorId} has no pending update to accept`);
  }
  const latestDraft = s.draft.revisions.at(-1)?.revision ?? published.revision;
  const somethingNew = latestDraft !== published.revision || accepted.length > 0;
  const inFlight = unreleasedUpdate(s);
  // A repeated approval while the update goes out changes nothing (the request is safe to retry);
  // a different one waits, unless the update is blocked: then the new approval replaces it.
  if (inFlight && !s.blocked) {
    if (!somethingNew && (summary || DEFAULT_CHANGE_SUMMARY) === inFlight.changeSummary) return [];
    throw conflict(s, `revision ${inFlight.noteRevision} of the note is still being published; approve again once it is out`, []);
  }
  if (!inFlight && !somethingNew)
    throw conflict(s, 'nothing new to publish: revise the draft (PUT …/draft) or accept a vendor update (acceptUpdates)', [
      'revise-draft',
      'decide-publication',
    ]);
  return [
    {
      ...base,
      type: 'note-updated',
      noteRevision: inFlight?.noteRevision ?? latestNoteRevision(s) + 1,
      draftRevision: latestDraft,
      changeSummary: summary || DEFAULT_CHANGE_SUMMARY,
      acceptedVendorIds: accepted,
      ...(c.reason?.trim() ? { reason: c.reason.trim() } : {}),
    },
  ];
}

export const releaseNoteUpdate: Decision<'release-note-update'> = (s, c, { base }) => {
  if (c.noteRevision > latestNoteRevision(s)) throw invalid(`the note has no revision ${c.noteRevision}`);
  if (c.noteRevision <= (s.published?.releasedRevision ?? 1)) return [];
  if (c.noteRevision < 1) throw invalid('note revisions start at 1');
  return [{ ...base, type: 'note-update-released', noteRevision: c.noteRevision }];
};
