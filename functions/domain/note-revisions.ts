// Notes that live on after publication (docs/workflow.md, "Updates after publication"): the
// published note's revisions, the vendors' update requests waiting for a coordinator, and the fold
// of the two events that change them. One place for each rule; the decider and the views read it.
import { type CaseState, type NoteUpdate, type VendorState, approvedOf } from './case-state.js';
import type { EventOf } from './events.js';
import { type VendorReference, referencesOf } from './vendor-references.js';

/** The first revision's change line (CSAF revision_history, the note's dates). */
export const INITIAL_RELEASE_SUMMARY = 'Initial public release.';
/** An update's change line when the coordinator gives none. */
export const DEFAULT_CHANGE_SUMMARY = 'Updated the note.';
/** Update requests (status or statement changes after publication) one vendor may make a UTC day. */
export const MAX_UPDATE_REQUESTS_PER_DAY = 5;
/** How many request times a vendor keeps: enough to count a day's, bounded whatever a vendor sends. */
const KEPT_REQUESTS = 20;

export interface NoteRevision {
  number: number;
  at: string;
  summary: string;
}

/** Every revision of the published note, the first release included; empty before publication. */
export function noteRevisions(s: CaseState): NoteRevision[] {
  const p = s.published;
  if (!p) return [];
  return [
    { number: 1, at: p.at, summary: INITIAL_RELEASE_SUMMARY },
    ...(p.updates ?? []).map((u) => ({ number: u.noteRevision, at: u.at, summary: u.changeSummary })),
  ];
}

/** The note's latest revision number (0 before publication). */
export const latestNoteRevision = (s: CaseState): number => (s.published ? 1 + (s.published.updates?.length ?? 0) : 0);

/** How far the note is out: 0 while the first release's records and e-mail are still going out; absent in older snapshots (1). */
const releasedOf = (s: CaseState): number => s.published?.releasedRevision ?? 1;

/** Whether the note's latest revision (the first release or an update) is not all out yet: the workflow routes update-note. */
export const releasePending = (s: CaseState): boolean => s.published !== null && releasedOf(s) < latestNoteRevision(s);

/** Whether the first release's CVE records and e-mail are still going out (no update may start yet). */
export const firstReleasePending = (s: CaseState): boolean => s.published !== null && releasedOf(s) < 1;

/** The latest update while its documents, records or e-mail are not all out yet; null otherwise. */
export function unreleasedUpdate(s: CaseState): NoteUpdate | null {
  const latest = s.published?.updates?.at(-1);
  if (!latest) return null;
  return latest.noteRevision > releasedOf(s) ? latest : null;
}

const sameStatuses = (a: Record<string, string>, b: Record<string, string>): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
};

const sameReferences = (a: readonly VendorReference[], b: readonly VendorReference[]): boolean =>
  a.length === b.length && a.every((x, i) => x.url === b[i]?.url && x.kind === b[i]?.kind && x.summary === b[i]?.summary);

/** Whether the vendor's own part differs from what the published documents show of it. */
export function hasPendingUpdate(v: VendorState): boolean {
  const a = v.approved;
  if (!a) return false;
  return (
    !sameStatuses(a.statuses, v.statuses) ||
    a.statement !== v.statement ||
    a.flags.f !== v.flags.f ||
    a.flags.d !== v.flags.d ||
    !sameReferences(referencesOf(a), referencesOf(v))
  );
}

/** A vendor's part as an update request shows it. */
export interface VendorPart {
  statuses: Record<string, string>;
  statement: string | null;
  fixReady: boolean;
  fixDeployed: boolean;
  references: readonly VendorReference[];
}

export interface PendingVendorUpdate {
  vendorId: string;
  name: string;
  /** The first change since the last approval (null: made before publication, after the approval). */
  since: string | null;
  /** What the next revision would show of this vendor if a coordinator accepts it. */
  proposed: VendorPart;
  /** What the note shows now. */
  published: VendorPart;
}

/** The vendors' changes a published note does not show yet: each one a coordinator may accept into the next revision. */
export function pendingVendorUpdates(s: CaseState): PendingVendorUpdate[] {
  if (s.phase !== 'published') return [];
  return s.vendors.filter(hasPendingUpdate).map((v) => ({
    vendorId: v.vendorId,
    name: v.name,
    since: v.updateRequestedAt ?? null,
    proposed: { statuses: v.statuses, statement: v.statement, fixReady: v.flags.f, fixDeployed: v.flags.d, references: referencesOf(v) },
    published: {
      statuses: v.approved?.statuses ?? {},
      statement: v.approved?.statement ?? null,
      fixReady: !!v.approved?.flags.f,
      fixDeployed: !!v.approved?.flags.d,
      references: v.approved ? referencesOf(v.approved) : [],
    },
  }));
}

/** How many update requests this vendor made on the UTC day of `now`. */
export const updateRequestsToday = (v: VendorState, now: string): number =>
  (v.updateRequests ?? []).filter((at) => at.slice(0, 10) === now.slice(0, 10)).length;

/** The fold of a vendor's change after publication (`v` as changed): counted as a request; the documents keep the approved part. */
export function recordUpdateRequest(v: VendorState, at: string): VendorState {
  return {
    ...v,
    // Pending since the first change that made the vendor's part differ from the note's; none if it no longer does.
    updateRequestedAt: hasPendingUpdate(v) ? (v.updateRequestedAt ?? at) : null,
    updateRequests: [...(v.updateRequests ?? []), at].slice(-KEPT_REQUESTS),
  };
}

/** The fold of `note-updated`: a new revision (or one that replaces the unreleased latest), the accepted vendors approved again. */
export function applyNoteUpdated(s: CaseState, e: EventOf<'note-updated'>): CaseState {
  const p = s.published;
  if (!p) return s;
  const update: NoteUpdate = { noteRevision: e.noteRevision, at: e.at, draftRevision: e.draftRevision, changeSummary: e.changeSummary };
  const accepted = new Set(e.acceptedVendorIds);
  return {
    ...s,
    published: { ...p, revision: e.draftRevision, updates: [...(p.updates ?? []).filter((u) => u.noteRevision < e.noteRevision), update] },
    vendors: s.vendors.map((v) => (accepted.has(v.vendorId) ? { ...v, approved: approvedOf(v), updateRequestedAt: null } : v)),
  };
}

export function applyNoteReleased(s: CaseState, e: EventOf<'note-update-released'>): CaseState {
  const p = s.published;
  if (!p) return s;
  return { ...s, published: { ...p, releasedRevision: Math.max(releasedOf(s), e.noteRevision) } };
}
