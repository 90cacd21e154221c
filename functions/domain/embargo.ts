// Embargo policy (docs/domain.md "Embargo", "The reporter's rights and the coordinator's authority").
import type { CaseState } from './case.js';
import type { Policy } from './policy.js';
import { addDays, atHourUtc, earliest, ms, normalize } from './time.js';

/** Default end: the first contact attempt + N days, at the policy hour (12:00 UTC). */
export function defaultEmbargoEnd(firstContactAt: string, policy: Policy): string {
  return atHourUtc(addDays(firstContactAt, policy.embargoDays), policy.embargoHourUtc);
}

export interface EmbargoPlan {
  endsAt: string;
  /** Which rule chose the date, for the timeline. */
  rule: string;
}

/**
 * The end the embargo opens with: the earliest of the default, every proposal still in the
 * future, and the reporter's own announced disclosure date (the reporter owns the information).
 */
export function planEmbargo(s: CaseState, firstContactAt: string, now: string, policy: Policy): EmbargoPlan {
  const fallback: EmbargoPlan = {
    endsAt: defaultEmbargoEnd(firstContactAt, policy),
    rule: `default: first contact + ${policy.embargoDays} days at ${String(policy.embargoHourUtc).padStart(2, '0')}:00 UTC`,
  };
  const candidates: EmbargoPlan[] = [fallback];
  for (const p of s.embargo.proposals)
    if (ms(p.endsAt) > ms(now)) candidates.push({ endsAt: normalize(p.endsAt), rule: `proposal by ${p.by.role}` });
  const plans = s.report?.disclosurePlans;
  if (plans?.intendsToDisclose && plans.date && ms(plans.date) > ms(now))
    candidates.push({ endsAt: normalize(plans.date), rule: "reporter's planned disclosure date" });
  if (s.selfDisclosure && ms(s.selfDisclosure.disclosureAt) > ms(now))
    candidates.push({ endsAt: normalize(s.selfDisclosure.disclosureAt), rule: "reporter's announced disclosure" });
  const first = earliest(candidates.map((c) => c.endsAt));
  return candidates.find((c) => c.endsAt === first) ?? fallback;
}

/** Information is out: the embargo must end (public, exploit public) or should end (attacks observed). */
export const mustReleaseEarly = (s: CaseState): boolean => s.flags.p || s.flags.x || s.flags.a;

/**
 * The one rule for when the note is planned to go out, from the case alone (so deadlines can be
 * planned from it): the approved date, or an active embargo's end if that is later (nothing goes
 * out under an embargo); after an early release, when it ended; else the proposed end; null when
 * there is none yet.
 */
export function plannedPublicationAt(s: CaseState): string | null {
  const active = s.embargo.state === 'ACTIVE' || s.embargo.state === 'REVISE' ? s.embargo.endsAt : null;
  const fixed = [s.publication.publishAt, active].filter((x): x is string => x !== null);
  if (fixed.length) return fixed.reduce((a, b) => (ms(a) >= ms(b) ? a : b));
  if (s.embargo.state === 'EXITED') return s.embargo.exitedAt;
  return s.embargo.endsAt;
}

/** The planned date as of now: never in the past (after an early release: as soon as approved). */
export function publicationAtOrNow(s: CaseState, now: string): string {
  const planned = plannedPublicationAt(s);
  return planned && ms(planned) > ms(now) ? planned : now;
}
