// SSVC Coordinator Publish beside the publication decision (the seed's "may decide not to
// publish"): the table's outcome for inputs read off the case, each with where it came from. The
// system recommends; the coordinator decides, as in triage.
import type { Exploitation, PublicValueAdded, PublishOutcome, SsvcPublishInputs, SupplierInvolvement } from './decision-points.js';
import { SSVC_PUBLISH_TABLE, lookupPublishOutcome } from './ssvc.js';

/** What the recommendation reads of a case (CaseState fits): the case's flags and each vendor's standing. */
export interface PublishFacts {
  flags: { p: boolean; x: boolean; a: boolean };
  vendors: readonly {
    name: string;
    acknowledgedAt: string | null;
    unresponsiveAt: string | null;
    flags: { f: boolean };
    statuses: Readonly<Record<string, string>>;
  }[];
}

export interface PublishRecommendation {
  table: string;
  outcome: PublishOutcome;
  inputs: { [K in keyof SsvcPublishInputs]: { value: SsvcPublishInputs[K]; evidence: string } };
}

const notAffected = (v: PublishFacts['vendors'][number]) => {
  const st = Object.values(v.statuses);
  return st.length > 0 && st.every((x) => x === 'not-affected');
};

function supplierInvolvement(s: PublishFacts): { value: SupplierInvolvement; evidence: string } {
  const involved = s.vendors.filter((v) => !notAffected(v));
  if (involved.length === 0) return { value: 'uncooperative/unresponsive', evidence: 'no affected vendor on the case has answered' };
  const silent = involved.filter((v) => v.unresponsiveAt || !v.acknowledgedAt);
  if (silent.length > 0)
    return {
      value: 'uncooperative/unresponsive',
      evidence: `${silent.length} of ${involved.length} affected vendors unresponsive or not acknowledged`,
    };
  if (involved.every((v) => v.flags.f)) return { value: 'fix ready', evidence: 'every affected vendor has a fix ready' };
  return { value: 'cooperative', evidence: 'every affected vendor acknowledged; not all have a fix ready' };
}

function exploitation(s: PublishFacts): { value: Exploitation; evidence: string } {
  if (s.flags.a) return { value: 'active', evidence: 'attacks observed (case flag A)' };
  if (s.flags.x) return { value: 'public poc', evidence: 'exploit public (case flag X)' };
  return { value: 'none', evidence: 'no public exploit and no attacks recorded' };
}

function publicValueAdded(s: PublishFacts): { value: PublicValueAdded; evidence: string } {
  if (s.flags.p) return { value: 'ampliative', evidence: 'the vulnerability is already public (case flag P): the note adds to it' };
  return { value: 'precedence', evidence: 'nothing public yet (case flag P not set): the note would be the first public word' };
}

export function publishRecommendation(s: PublishFacts): PublishRecommendation {
  const inputs = { supplierInvolvement: supplierInvolvement(s), exploitation: exploitation(s), publicValueAdded: publicValueAdded(s) };
  const outcome = lookupPublishOutcome({
    supplierInvolvement: inputs.supplierInvolvement.value,
    exploitation: inputs.exploitation.value,
    publicValueAdded: inputs.publicValueAdded.value,
  });
  return { table: `SSVC ${SSVC_PUBLISH_TABLE.name} ${SSVC_PUBLISH_TABLE.version}`, outcome, inputs };
}
