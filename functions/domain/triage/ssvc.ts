// Exact lookups in the SSVC coordinator tables. No re-derived logic: the tables are the policy, so a
// new table version is a data change (regenerate ssvc-tables.ts), not a code change.
import type {
  PublishOutcome,
  SsvcPublishInputs,
  SsvcPublishRow,
  SsvcTriageInputs,
  SsvcTriageRow,
  TriageOutcome,
} from './decision-points.js';
import {
  COORDINATOR_PUBLISH_COLUMNS,
  COORDINATOR_PUBLISH_ROWS,
  COORDINATOR_TRIAGE_COLUMNS,
  COORDINATOR_TRIAGE_ROWS,
} from './ssvc-tables.js';

/** Names the table an outcome came from, to be stored with the decision (SSVC outcomes are versioned). */
export const SSVC_TRIAGE_TABLE = { name: 'Coordinator Triage', version: '1.0.0', columns: COORDINATOR_TRIAGE_COLUMNS } as const;
export const SSVC_PUBLISH_TABLE = { name: 'Coordinator Publish', version: '1.0.0', columns: COORDINATOR_PUBLISH_COLUMNS } as const;

const triageKey = (i: SsvcTriageInputs): string =>
  [
    i.reportPublic,
    i.supplierContacted,
    i.reportCredibility,
    i.supplierCardinality,
    i.supplierEngagement,
    i.utility,
    i.publicSafetyImpact,
  ].join('|');

const publishKey = (i: SsvcPublishInputs): string => [i.supplierInvolvement, i.exploitation, i.publicValueAdded].join('|');

export function triageRowInputs(row: SsvcTriageRow): SsvcTriageInputs {
  const [reportPublic, supplierContacted, reportCredibility, supplierCardinality, supplierEngagement, utility, publicSafetyImpact] = row;
  return { reportPublic, supplierContacted, reportCredibility, supplierCardinality, supplierEngagement, utility, publicSafetyImpact };
}

export function publishRowInputs(row: SsvcPublishRow): SsvcPublishInputs {
  const [supplierInvolvement, exploitation, publicValueAdded] = row;
  return { supplierInvolvement, exploitation, publicValueAdded };
}

// Built once per module load; the tables are small (192 and 27 rows).
const triageOutcomes = new Map<string, TriageOutcome>(COORDINATOR_TRIAGE_ROWS.map((row) => [triageKey(triageRowInputs(row)), row[7]]));
const publishOutcomes = new Map<string, PublishOutcome>(COORDINATOR_PUBLISH_ROWS.map((row) => [publishKey(publishRowInputs(row)), row[3]]));

/** SSVC Coordinator Triage 1.0.0: decline, track or coordinate for one combination of the seven inputs. */
export function lookupTriageOutcome(inputs: SsvcTriageInputs): TriageOutcome {
  const outcome = triageOutcomes.get(triageKey(inputs));
  // Unreachable with typed inputs (the table is complete, and a test proves it); guards untyped callers.
  if (outcome === undefined) throw new Error(`no SSVC coordinator triage row for ${triageKey(inputs)}`);
  return outcome;
}

/** SSVC Coordinator Publish 1.0.0: publish or do not publish; the table assumes the embargo is over. */
export function lookupPublishOutcome(inputs: SsvcPublishInputs): PublishOutcome {
  const outcome = publishOutcomes.get(publishKey(inputs));
  if (outcome === undefined) throw new Error(`no SSVC coordinator publish row for ${publishKey(inputs)}`);
  return outcome;
}
