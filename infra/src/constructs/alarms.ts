import type { AlarmThresholds } from '../config';

/**
 * The stable codes of inputs that can never succeed (`docs/contract.md`). The functions count each as
 * `rejected` with dimension `code`; a flood of one of them (a client uploading garbage, a rule sending
 * the wrong events) is a successful invocation for Lambda, so only these alarms see it.
 */
export const PERMANENT_FAILURE_CODES = [
  'INVALID_EVENT',
  'UNSUPPORTED_FORMAT',
  'CORRUPT_IMAGE',
  'TOO_MANY_PIXELS',
  'TOO_LARGE',
  'KEY_TOO_LONG',
] as const;

/** One metric of an alarm, by identity: namespace, name and the exact dimensions it is published with. */
export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** One alarm, as data: a metric (or the sum of several), a statistic, and when it breaches. */
export interface AlarmSpec {
  /** Short id, unique in the stack; the alarm is named `<prefix>-<id>`. */
  readonly id: string;
  readonly description: string;
  /** One metric, or several summed (metric math `m0 + m1 + ...`). */
  readonly metrics: readonly AlarmMetric[];
  readonly statistic: 'Sum' | 'Maximum' | 'SampleCount';
  readonly comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** `breaching` where silence is the failure (reconcile has not reported). */
  readonly treatMissingData: 'notBreaching' | 'breaching';
}

/** What the alarms are about: the deployed names and the functions' own metric identities. */
export interface AlarmTargets {
  /** Deployed function name per short name (`resize` → `imgpipe-dev-resize`). */
  readonly functions: Readonly<Record<string, string>>;
  /** Functions invoked by S3 rules (their failed events go to the dead-letter queue). */
  readonly eventDriven: readonly string[];
  /** The function a schedule starts and whose silence is an alarm (reconcile). */
  readonly scheduled: string;
  /** Deployed EventBridge rule name per short name (`object-created` → `imgpipe-dev-object-created`). */
  readonly rules: Readonly<Record<string, string>>;
  readonly deadLetterQueueName: string;
  /** The functions' metric namespace (one per environment) and each function's Powertools service name. */
  readonly metricsNamespace: string;
  readonly services: Readonly<Record<string, string>>;
}

const kebab = (code: string): string => code.toLowerCase().replace(/_/g, '-');

/**
 * Every alarm of a stack: per function errors, throttles and dropped async events; per event-driven
 * function failed deliveries to its on-failure destination; per rule failed invocations; the
 * dead-letter queue's depth and age; per permanent failure code the rejections of the event-driven
 * functions summed; and a reconcile that has reported no successful run in two schedule periods.
 * @example pipelineAlarms(targets, ENVIRONMENTS[0]!.alarms).map((a) => a.id)
 */
export function pipelineAlarms(targets: AlarmTargets, t: AlarmThresholds): AlarmSpec[] {
  const base = {
    statistic: 'Sum',
    comparison: 'GreaterThanThreshold',
    periodSeconds: t.periodSeconds,
    evaluationPeriods: t.evaluationPeriods,
    treatMissingData: 'notBreaching',
  } as const;
  const lambda = (fn: string, metricName: string): AlarmMetric[] => [
    { namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: targets.functions[fn] ?? fn } },
  ];
  const alarms: AlarmSpec[] = [];
  for (const [fn, name] of Object.entries(targets.functions)) {
    alarms.push(
      {
        ...base,
        id: `${fn}-errors`,
        description: `${name} errors above ${t.errors}`,
        metrics: lambda(fn, 'Errors'),
        threshold: t.errors,
      },
      {
        ...base,
        id: `${fn}-throttles`,
        description: `${name} throttles above ${t.throttles}`,
        metrics: lambda(fn, 'Throttles'),
        threshold: t.throttles,
      },
      {
        ...base,
        id: `${fn}-async-dropped`,
        description: `${name} dropped asynchronous events (too old, or retries exhausted without a destination)`,
        metrics: lambda(fn, 'AsyncEventsDropped'),
        threshold: 0,
      },
    );
  }
  for (const fn of targets.eventDriven) {
    alarms.push({
      ...base,
      id: `${fn}-destination-failures`,
      description: `${targets.functions[fn] ?? fn} could not deliver failed events to the dead-letter queue`,
      metrics: lambda(fn, 'DestinationDeliveryFailures'),
      threshold: 0,
    });
  }
  for (const [rule, name] of Object.entries(targets.rules)) {
    alarms.push({
      ...base,
      id: `${rule}-failed-invocations`,
      description: `EventBridge rule ${name} failed to invoke its targets`,
      metrics: [{ namespace: 'AWS/Events', metricName: 'FailedInvocations', dimensions: { RuleName: name } }],
      threshold: 0,
    });
  }
  const queue = { QueueName: targets.deadLetterQueueName };
  alarms.push(
    {
      ...base,
      id: 'dlq-depth',
      description: 'Events parked in the dead-letter queue',
      statistic: 'Maximum',
      metrics: [
        { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: queue },
      ],
      threshold: t.dlqDepth,
    },
    {
      ...base,
      id: 'dlq-age',
      description: `A dead-letter message is older than ${t.dlqAgeSeconds} s`,
      statistic: 'Maximum',
      metrics: [{ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: queue }],
      threshold: t.dlqAgeSeconds,
    },
  );
  for (const code of PERMANENT_FAILURE_CODES) {
    alarms.push({
      ...base,
      id: `rejected-${kebab(code)}`,
      description: `More than ${t.rejectedPerCode} inputs rejected with ${code} in ${t.periodSeconds} s`,
      metrics: targets.eventDriven.map((fn) => ({
        namespace: targets.metricsNamespace,
        metricName: 'rejected',
        dimensions: { service: targets.services[fn] ?? fn, code },
      })),
      threshold: t.rejectedPerCode,
    });
  }
  alarms.push({
    ...base,
    id: `${targets.scheduled}-not-succeeding`,
    description: `${targets.functions[targets.scheduled] ?? targets.scheduled} reported no successful run in two schedule periods`,
    // Reconcile publishes `processed` once per successful run, whatever it found: count the reports.
    metrics: [
      {
        namespace: targets.metricsNamespace,
        metricName: 'processed',
        dimensions: { service: targets.services[targets.scheduled] ?? targets.scheduled },
      },
    ],
    statistic: 'SampleCount',
    comparison: 'LessThanThreshold',
    threshold: 1,
    periodSeconds: t.reconcilePeriodSeconds,
    evaluationPeriods: 2,
    treatMissingData: 'breaching',
  });
  return alarms;
}
