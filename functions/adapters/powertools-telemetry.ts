// Telemetry through Powertools for AWS Lambda: JSON log lines (Logger) and business metrics in EMF
// (Metrics). The invocation's keys (step, request id, case id) live in AsyncLocalStorage rather than
// on the logger, because the local runtime runs many invocations of many handlers in one process.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { LogFields, LogLevelName, MetricRecord, Telemetry } from '../app/telemetry.js';
import type { TelemetryEnv } from '../environment.js';

/** The keys every line of one invocation carries. */
export interface InvocationKeys {
  step: string;
  requestId: string;
  caseId?: string;
}

export class PowertoolsTelemetry implements Telemetry {
  readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly invocation = new AsyncLocalStorage<InvocationKeys>();
  private readonly metricsDisabled: boolean;
  private pending = false;

  constructor(env: TelemetryEnv) {
    this.logger = new Logger({ serviceName: env.serviceName, logLevel: env.logLevel });
    this.metrics = new Metrics({ serviceName: env.serviceName, namespace: env.metricsNamespace, logger: this.logger });
    this.metricsDisabled = env.metricsDisabled;
  }

  log(level: LogLevelName, message: string, fields: LogFields = {}): void {
    const keys = this.invocation.getStore();
    // A new report's case id is known only once the case is made: later lines carry it too.
    if (keys && keys.caseId === undefined && fields.caseId !== undefined) keys.caseId = fields.caseId;
    this.logger[level](message, { ...keys, ...fields });
  }

  metric(record: MetricRecord): void {
    if (this.metricsDisabled) return;
    if (record.dimensions?.Phase !== undefined) {
      // A phase is a dimension of this metric only: a single metric, flushed at once.
      this.metrics.singleMetric().addDimension('Phase', record.dimensions.Phase).addMetric(record.name, record.unit, record.value);
      return;
    }
    this.metrics.addMetric(record.name, record.unit, record.value);
    this.pending = true;
  }

  /** Runs one invocation with its keys; its metrics are flushed when it ends, whatever the outcome. */
  async run<T>(keys: InvocationKeys, body: () => Promise<T>): Promise<T> {
    return this.invocation.run(keys, async () => {
      try {
        return await body();
      } finally {
        this.flush();
      }
    });
  }

  private flush(): void {
    // Publishing nothing would log a non-JSON-worthy warning on every invocation without metrics.
    if (!this.pending) return;
    this.pending = false;
    this.metrics.publishStoredMetrics();
  }
}
