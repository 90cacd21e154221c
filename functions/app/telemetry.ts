// What the use cases tell operators: business metrics (EMF in Lambda) and structured log lines.
// A port, so the domain stays pure and tests read what was recorded. Log fields are a closed set of
// identifiers, names and numbers: no report text, statement, token or link can be passed to a log.

/** Every business metric; the stack's alarms and dashboard (lib/observability.ts) use these names. */
export const Metric = {
  ReportsReceived: 'ReportsReceived',
  /** A case entering a phase; dimension Phase. */
  CasesEnteredPhase: 'CasesEnteredPhase',
  /** Report received to the first triage decision, seconds. */
  TimeToTriage: 'TimeToTriage',
  /** Report received to the first vendor contacted, seconds. */
  TimeToFirstVendorContact: 'TimeToFirstVendorContact',
  /** Embargo activation to its end, seconds. */
  EmbargoLength: 'EmbargoLength',
  Publications: 'Publications',
  /** A case newly blocked (a weekly re-report of the same block is not counted). */
  CasesBlocked: 'CasesBlocked',
  /** A case still blocked a day or more after its block: counted once a day while it waits. */
  CasesStillBlocked: 'CasesStillBlocked',
  /** A blocked case resumed: a coordinator acted while it waited. */
  CasesUnblocked: 'CasesUnblocked',
  EmailsSent: 'EmailsSent',
  /** Refused by SES when sent (MailRejected); later bounces are SES's reputation metrics. */
  EmailsBounced: 'EmailsBounced',
  /** Available IDs left in the CVE pool, read when one is taken. */
  CveIdsRemaining: 'CveIdsRemaining',
} as const;
export type MetricName = (typeof Metric)[keyof typeof Metric];
export type MetricUnit = 'Count' | 'Seconds';

export interface MetricRecord {
  name: MetricName;
  value: number;
  unit: MetricUnit;
  dimensions?: { Phase?: string };
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

/** The only keys a log line may carry besides Powertools' own: ids, enums, counts. */
export interface LogFields {
  caseId?: string;
  phase?: string;
  route?: string;
  /** An API route's template (/cases/{caseId}), never its path: paths carry link tokens. */
  resource?: string;
  method?: string;
  status?: number;
  template?: string;
  errorName?: string;
  events?: string;
  /** Why mail feedback was dropped, or what it marked: an enum (functions/app/mail-feedback.ts). */
  reason?: string;
  durationMs?: number;
}

export interface Telemetry {
  metric(record: MetricRecord): void;
  log(level: LogLevelName, message: string, fields?: LogFields): void;
}

/** Records nothing: for code paths that have no telemetry wired. */
export const noTelemetry: Telemetry = { metric: () => {}, log: () => {} };

/** Keeps what was recorded, for tests. */
export class MemoryTelemetry implements Telemetry {
  readonly metrics: MetricRecord[] = [];
  readonly logs: { level: LogLevelName; message: string; fields: LogFields }[] = [];
  metric(record: MetricRecord): void {
    this.metrics.push(record);
  }
  log(level: LogLevelName, message: string, fields: LogFields = {}): void {
    this.logs.push({ level, message, fields });
  }
  /** The sum of one metric's values, optionally for one phase. */
  total(name: MetricName, phase?: string): number {
    return this.metrics
      .filter((m) => m.name === name && (phase === undefined || m.dimensions?.Phase === phase))
      .reduce((a, m) => a + m.value, 0);
  }
}

let active: Telemetry = noTelemetry;

/** The handler wrapper sets the container's telemetry, for code that has no deps (the API's last-resort error). */
export function setActiveTelemetry(t: Telemetry): void {
  active = t;
}

export const activeTelemetry = (): Telemetry => active;
