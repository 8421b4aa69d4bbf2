import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Outcome, ReconcileReport, Telemetry } from '@imgpipe/core';

/** Powertools logger and metrics of one function, created once per cold start. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Structured JSON logs and CloudWatch EMF metrics (namespace/service from the Powertools env
 * `functionEnvironment` sets).
 */
export function createObservability(fn: string): Observability {
  const serviceName = `imgpipe-${fn}`;
  return {
    logger: new Logger({ serviceName }),
    // The namespace comes from POWERTOOLS_METRICS_NAMESPACE (one per environment, see functionEnvironment).
    metrics: new Metrics({ serviceName }),
  };
}

/** The core's `Telemetry` port as EMF metrics: `stageDuration` (dimension `stage`), `bytesIn`, `bytesOut`. */
export function metricsTelemetry(metrics: Metrics): Telemetry {
  return {
    stage(name, ms) {
      const single = metrics.singleMetric();
      single.addDimension('stage', name);
      single.addMetric('stageDuration', MetricUnit.Milliseconds, ms);
    },
    bytesIn(bytes) {
      metrics.addMetric('bytesIn', MetricUnit.Bytes, bytes);
    },
    bytesOut(bytes) {
      metrics.addMetric('bytesOut', MetricUnit.Bytes, bytes);
    },
  };
}

/** Counts one rejected input by its stable code (`rejected`, dimension `code`). */
export function countRejected(metrics: Metrics, code: string): void {
  const single = metrics.singleMetric();
  single.addDimension('code', code);
  single.addMetric('rejected', MetricUnit.Count, 1);
}

/** Turns an outcome into metrics. */
export function countOutcome(metrics: Metrics, outcome: Outcome): void {
  metrics.addMetric('processed', MetricUnit.Count, 1);
  if (outcome.action === 'failed') countRejected(metrics, outcome.error.code);
}

/** A reconcile report as metrics: what it scanned and each kind of repair. */
export function countReconcileReport(metrics: Metrics, report: ReconcileReport): void {
  metrics.addMetric('processed', MetricUnit.Count, report.scanned);
  metrics.addMetric('rendered', MetricUnit.Count, report.rendered);
  metrics.addMetric('rowsRepaired', MetricUnit.Count, report.rowsRepaired);
  metrics.addMetric('orphansRemoved', MetricUnit.Count, report.orphansRemoved);
  metrics.addMetric('tombstoned', MetricUnit.Count, report.tombstoned);
}
