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
  /** This metric's statistic in an expression, where it differs from the alarm's. */
  readonly statistic?: AlarmStatistic;
}

/** CloudWatch's statistics; `p99` and the like are percentiles (extended statistics). */
export type AlarmStatistic = 'Sum' | 'Average' | 'Maximum' | 'SampleCount' | `p${number}`;

/**
 * Where an alarm lives. CloudWatch evaluates an alarm only in the region its metric is published in,
 * and notifies only a topic of that region: CloudFront publishes its metrics in `us-east-1` alone.
 */
export type AlarmHome = 'stack' | 'us-east-1';

/** One alarm, as data: a metric (or the sum of several, or an expression), a statistic, and when it breaches. */
export interface AlarmSpec {
  /** Short id, unique in the stack; the alarm is named `<prefix>-<id>`. */
  readonly id: string;
  readonly description: string;
  /** One metric, or several summed (metric math `SUM([m0, m1, ...])`) unless `expression` says otherwise. */
  readonly metrics: readonly AlarmMetric[];
  /** Metric math over `m0`, `m1`, ... (the metrics in order), e.g. a rate. */
  readonly expression?: string;
  readonly statistic: AlarmStatistic;
  readonly comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** `breaching` where silence is the failure (reconcile has not reported). */
  readonly treatMissingData: 'notBreaching' | 'breaching';
  /** Default `stack`: the stack's region. */
  readonly home?: AlarmHome;
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
  /** The image API and its delivery, when the stack has them. */
  readonly delivery?: DeliveryTargets;
}

/** What an operator of the image API watches: its functions, the HTTP API's stage and the CDN. */
export interface DeliveryTargets {
  /** Deployed HTTP function name per short name (`api` → `imgpipe-dev-api`). */
  readonly httpFunctions: Readonly<Record<string, string>>;
  /** The HTTP API and its stage (`$default`): API Gateway publishes per `ApiId` and `Stage`. */
  readonly httpApi: { readonly apiId: string; readonly stage: string };
  readonly distributionId: string;
}

const kebab = (code: string): string => code.toLowerCase().replace(/_/g, '-');

/** What an alarm is unless it says otherwise: a sum over the configured period, breaching above its threshold. */
function alarmDefaults(t: AlarmThresholds) {
  return {
    statistic: 'Sum',
    comparison: 'GreaterThanThreshold',
    periodSeconds: t.periodSeconds,
    evaluationPeriods: t.evaluationPeriods,
    treatMissingData: 'notBreaching',
  } as const;
}

/** A function's Lambda metric (`Errors`, `Throttles`, ...) by its deployed name. */
function lambdaMetric(functionName: string, metricName: string): AlarmMetric[] {
  return [{ namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: functionName } }];
}

/** What every function is watched for, event-driven or HTTP: errors and throttles above their thresholds. */
function errorAndThrottleAlarms(fn: string, name: string, t: AlarmThresholds): AlarmSpec[] {
  const base = alarmDefaults(t);
  return [
    {
      ...base,
      id: `${fn}-errors`,
      description: `${name} errors above ${t.errors}`,
      metrics: lambdaMetric(name, 'Errors'),
      threshold: t.errors,
    },
    {
      ...base,
      id: `${fn}-throttles`,
      description: `${name} throttles above ${t.throttles}`,
      metrics: lambdaMetric(name, 'Throttles'),
      threshold: t.throttles,
    },
  ];
}

/**
 * Every alarm of a stack: per function errors, throttles and dropped async events; per event-driven
 * function failed deliveries to its on-failure destination; per rule failed invocations; the
 * dead-letter queue's depth and age; per permanent failure code the rejections of the event-driven
 * functions summed; the image API's and the CDN's (`deliveryAlarms`); and a reconcile that has
 * reported no successful run in two schedule periods.
 * @example pipelineAlarms(targets, ENVIRONMENTS[0]!.alarms).map((a) => a.id)
 */
export function pipelineAlarms(targets: AlarmTargets, t: AlarmThresholds): AlarmSpec[] {
  const base = alarmDefaults(t);
  const nameOf = (fn: string): string => targets.functions[fn] ?? fn;
  const alarms: AlarmSpec[] = [];
  for (const [fn, name] of Object.entries(targets.functions)) {
    alarms.push(...errorAndThrottleAlarms(fn, name, t), {
      ...base,
      id: `${fn}-async-dropped`,
      description: `${name} dropped asynchronous events (too old, or retries exhausted without a destination)`,
      metrics: lambdaMetric(name, 'AsyncEventsDropped'),
      threshold: 0,
    });
  }
  for (const fn of targets.eventDriven) {
    alarms.push({
      ...base,
      id: `${fn}-destination-failures`,
      description: `${nameOf(fn)} could not deliver failed events to the dead-letter queue`,
      metrics: lambdaMetric(nameOf(fn), 'DestinationDeliveryFailures'),
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
  if (targets.delivery) alarms.push(...deliveryAlarms(targets.delivery, t));
  alarms.push({
    ...base,
    id: `${targets.scheduled}-not-succeeding`,
    description: `${nameOf(targets.scheduled)} reported no successful run in two schedule periods`,
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

/**
 * `IF(requests >= min, 100 * errors / requests, 0)`: a rate in percent that ignores periods too quiet
 * to mean anything (one failed request of two is not an outage).
 */
function ratePercent(errors: string, requests: string, minRequests: number): string {
  return `IF(${requests} >= ${minRequests}, 100 * ${errors} / ${requests}, 0)`;
}

/**
 * The image API's and the CDN's alarms: the HTTP functions' errors and throttles (synchronous: no
 * async drops, no destination), the HTTP API stage's 5xx rate, 4xx spikes (a broken client release,
 * expired tokens, throttling at the stage) and p99 latency, and the CDN's 5xx rate (render failures
 * and origin errors as viewers see them), the last in `us-east-1`, where CloudFront publishes.
 * @example deliveryAlarms(targets.delivery, ENVIRONMENTS[0]!.alarms).map((a) => a.id)
 */
export function deliveryAlarms(d: DeliveryTargets, t: AlarmThresholds): AlarmSpec[] {
  const base = alarmDefaults(t);
  const alarms = Object.entries(d.httpFunctions).flatMap(([fn, name]) => errorAndThrottleAlarms(fn, name, t));
  const stage = { ApiId: d.httpApi.apiId, Stage: d.httpApi.stage };
  const api = (metricName: string): AlarmMetric => ({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensions: stage,
  });
  const answered = [
    ['5xx', t.apiServerErrorPercent],
    ['4xx', t.apiClientErrorPercent],
  ] as const;
  for (const [status, percent] of answered)
    alarms.push({
      ...base,
      id: `api-${status}-rate`,
      description: `More than ${percent}% of API requests answered ${status} (periods with ${t.minRequests}+ requests)`,
      metrics: [api(status), api('Count')],
      expression: ratePercent('m0', 'm1', t.minRequests),
      threshold: percent,
    });
  alarms.push({
    ...base,
    id: 'api-latency-p99',
    description: `API p99 latency above ${t.apiLatencyP99Ms} ms`,
    statistic: 'p99',
    metrics: [api('Latency')],
    threshold: t.apiLatencyP99Ms,
  });
  // CloudFront's metrics are global: published in us-east-1 with Region=Global, whatever the stack's region.
  const cdn = { DistributionId: d.distributionId, Region: 'Global' };
  alarms.push({
    ...base,
    id: 'cdn-5xx-rate',
    description: `More than ${t.cdnServerErrorPercent}% of CDN requests answered 5xx (periods with ${t.minRequests}+ requests)`,
    statistic: 'Average',
    metrics: [
      { namespace: 'AWS/CloudFront', metricName: '5xxErrorRate', dimensions: cdn },
      { namespace: 'AWS/CloudFront', metricName: 'Requests', dimensions: cdn, statistic: 'Sum' },
    ],
    // 5xxErrorRate is already a percentage (Average); Requests (Sum) only gates quiet periods.
    expression: `IF(m1 >= ${t.minRequests}, m0, 0)`,
    threshold: t.cdnServerErrorPercent,
    home: 'us-east-1',
  });
  return alarms;
}
