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

/**
 * One single-metric instance per `Metrics`, made once and reused. Powertools' `singleMetric()` builds a
 * whole new `Metrics` (config, dimension and metric stores, and a new `Console`) on every call, which
 * cost more than the EMF line itself (about 2 ms of a warm invocation's main thread in the bench's
 * profile, see docs/benchmarks.md). A single-metric instance publishes on each `addMetric` and then
 * clears its metrics and dimensions, so the reused one writes the same documents.
 */
const singles = new WeakMap<Metrics, Metrics>();

function singleOf(metrics: Metrics): Metrics {
  let single = singles.get(metrics);
  if (!single) {
    single = metrics.singleMetric();
    singles.set(metrics, single);
  }
  return single;
}

/** The core's `Telemetry` port as EMF metrics: `stageDuration` (dimension `stage`), `bytesIn`, `bytesOut`. */
export function metricsTelemetry(metrics: Metrics): Telemetry {
  return {
    stage(name, ms) {
      const single = singleOf(metrics);
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
  const single = singleOf(metrics);
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
