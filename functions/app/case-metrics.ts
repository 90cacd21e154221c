// The business metrics of one change to a case, read from the state before, the state after and
// the events appended: every change goes through execute (commands.ts), so this is the one place
// they are counted. Pure: the caller hands the records to its Telemetry.
import type { CaseState } from '../domain/case.js';
import type { CaseEvent } from '../domain/events.js';
import { ms } from '../domain/time.js';
import { Metric, type MetricRecord } from './telemetry.js';

const seconds = (from: string, to: string): number => Math.max(0, Math.round((ms(to) - ms(from)) / 1000));
const count = (name: MetricRecord['name']): MetricRecord => ({ name, value: 1, unit: 'Count' });

const firstContactAt = (s: CaseState): string | null =>
  s.vendors.reduce<string | null>(
    (first, v) => (v.firstContactAt !== null && (first === null || v.firstContactAt < first) ? v.firstContactAt : first),
    null,
  );

/** `before` is null for the change that creates the case. */
export function caseMetrics(before: CaseState | null, after: CaseState, appended: readonly CaseEvent[]): MetricRecord[] {
  const out: MetricRecord[] = [];
  const types = new Set(appended.map((e) => e.type));
  if (types.has('report-submitted')) out.push(count(Metric.ReportsReceived));
  if (before === null || before.phase !== after.phase)
    out.push({ name: Metric.CasesEnteredPhase, value: 1, unit: 'Count', dimensions: { Phase: after.phase } });
  const receivedAt = after.receivedAt;
  const decided = after.triage.decision;
  if (receivedAt && decided && (before === null || (before.triage.decision === null && before.triage.history.length === 0)))
    out.push({ name: Metric.TimeToTriage, value: seconds(receivedAt, decided.at), unit: 'Seconds' });
  const contacted = firstContactAt(after);
  if (receivedAt && contacted && (before === null || firstContactAt(before) === null))
    out.push({ name: Metric.TimeToFirstVendorContact, value: seconds(receivedAt, contacted), unit: 'Seconds' });
  for (const e of appended)
    if (e.type === 'embargo-activated') out.push({ name: Metric.EmbargoLength, value: seconds(e.at, e.endsAt), unit: 'Seconds' });
  if (types.has('note-published')) out.push(count(Metric.Publications));
  // The blocked loop re-reports a case still waiting after a week (States.Timeout): not a new block.
  for (const e of appended) if (e.type === 'workflow-blocked' && e.error !== 'States.Timeout') out.push(count(Metric.CasesBlocked));
  return out;
}
