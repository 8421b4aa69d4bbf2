import {
  definePipeline,
  type FunctionName,
  type KeyFilter,
  type PipelineDefinition,
} from '@imgpipe/pipeline';

/** The CPU architecture of the functions (and of the one container image they share). */
export type Architecture = 'arm64' | 'x86_64';

/** Per-function sizing an environment may override; the rest comes from the pipeline definition. */
export interface FunctionSizing {
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
  readonly reservedConcurrency?: number;
}

/** One subscriber of the alarm topic (SNS sends a confirmation to email and http(s) endpoints). */
export interface AlarmSubscription {
  readonly protocol: (typeof SNS_PROTOCOLS)[number];
  readonly endpoint: string;
}

/** The protocols an SNS subscription may use. */
export const SNS_PROTOCOLS = [
  'email',
  'email-json',
  'http',
  'https',
  'sqs',
  'lambda',
  'sms',
  'firehose',
  'application',
] as const;

/** Alarm thresholds, each compared with `GreaterThanThreshold` over `periodSeconds`. */
export interface AlarmThresholds {
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** Function errors per period. */
  readonly errors: number;
  /** Function throttles per period. */
  readonly throttles: number;
  /** Messages waiting in the dead-letter queue. */
  readonly dlqDepth: number;
  /** Age of the oldest dead-letter message, in seconds. */
  readonly dlqAgeSeconds: number;
  /** Inputs rejected with one permanent failure code (`CORRUPT_IMAGE`, `INVALID_EVENT`, ...) per period. */
  readonly rejectedPerCode: number;
  /**
   * Reconcile's schedule period in seconds: the reconcile alarm fires when no run succeeded in two
   * of them. Keep it equal to (or a multiple of) the schedule's interval.
   */
  readonly reconcilePeriodSeconds: number;
  /** The image API's 5xx answers, in percent of its requests. */
  readonly apiServerErrorPercent: number;
  /** The image API's 4xx answers, in percent of its requests: a spike, not the everyday 404 or 401. */
  readonly apiClientErrorPercent: number;
  /** The image API's p99 latency at the stage, in milliseconds. */
  readonly apiLatencyP99Ms: number;
  /** The CDN's 5xx answers, in percent of its requests. */
  readonly cdnServerErrorPercent: number;
  /** Requests a period needs before an error rate counts (one failure of two requests is no outage). */
  readonly minRequests: number;
}

/** Everything that differs between environments. */
export interface EnvironmentConfig {
  /** Environment name, part of every resource name (`imgpipe-<name>-source`). */
  readonly name: string;
  /** Prefix of every resource name. Default `imgpipe-<name>`. */
  readonly namePrefix?: string;
  readonly region: string;
  /**
   * The only AWS accounts this environment may be deployed to (the provider's `allowed_account_ids`):
   * credentials for another account stop the plan before anything is touched.
   */
  readonly allowedAccountIds?: readonly string[];
  /**
   * Fixed bucket names. Default: unique names Terraform generates from `<prefix>-source-` /
   * `<prefix>-derived-` (`bucket_prefix`), because bucket names are global across every AWS account.
   */
  readonly bucketNames?: { readonly source: string; readonly derived: string };
  /**
   * Reserve each function's concurrency (`reservedConcurrency`). Off in dev: a fresh account's
   * concurrency quota is often 10, and Lambda refuses any reservation that leaves fewer than 100 unreserved.
   */
  readonly reserveConcurrency: boolean;
  /**
   * Refuse to destroy the data (buckets, tables) in Terraform's plan (`prevent_destroy`), before
   * anything else is deleted.
   */
  readonly protectData: boolean;
  readonly architecture: Architecture;
  readonly functions: Readonly<Partial<Record<FunctionName, FunctionSizing>>>;
  /** CloudWatch Logs retention of each function's log group, in days. */
  readonly logRetentionDays: number;
  readonly alarms: AlarmThresholds;
  /** Reconcile's schedule expression (`cron(...)` or `rate(...)`). */
  readonly reconcileSchedule: string;
  readonly keyFilter: Partial<KeyFilter>;
  /** Days after which noncurrent source/derived object versions expire. */
  readonly noncurrentVersionDays: number;
  /** Days after which an unfinished multipart upload is aborted. */
  readonly abortMultipartDays: number;
  /** Images kept in the ECR repository; older ones expire. */
  readonly imagesKept: number;
  /** Let `cdktf destroy` remove non-empty buckets and repositories (never in prod). */
  readonly forceDestroy: boolean;
  /** Subscribers of the alarm topic (an email address must confirm SNS's mail before it gets alarms). */
  readonly alarmSubscriptions: readonly AlarmSubscription[];
  readonly tags: Readonly<Record<string, string>>;
}

const BASE_ALARMS: AlarmThresholds = {
  periodSeconds: 300,
  evaluationPeriods: 1,
  errors: 0,
  throttles: 0,
  dlqDepth: 0,
  dlqAgeSeconds: 3600,
  rejectedPerCode: 10,
  reconcilePeriodSeconds: 3600,
  apiServerErrorPercent: 5,
  apiClientErrorPercent: 25,
  apiLatencyP99Ms: 3000,
  cdnServerErrorPercent: 5,
  minRequests: 20,
};

/** The two environments `main.ts` creates. */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [
  {
    name: 'dev',
    region: 'eu-west-1',
    architecture: 'arm64',
    functions: {
      resize: { memoryMb: 2048, reservedConcurrency: 5 },
      'metadata-sync': { memoryMb: 1024, reservedConcurrency: 5 },
      reconcile: { reservedConcurrency: 1 },
    },
    reserveConcurrency: false,
    protectData: false,
    logRetentionDays: 14,
    alarms: { ...BASE_ALARMS, errors: 5, throttles: 5 },
    reconcileSchedule: 'cron(17 * * * ? *)',
    keyFilter: {},
    noncurrentVersionDays: 7,
    abortMultipartDays: 1,
    imagesKept: 5,
    forceDestroy: true,
    alarmSubscriptions: [],
    tags: { project: 'imgpipe', environment: 'dev' },
  },
  {
    name: 'prod',
    region: 'eu-west-1',
    architecture: 'arm64',
    functions: {
      resize: { memoryMb: 2048, reservedConcurrency: 50 },
      'metadata-sync': { memoryMb: 1024, reservedConcurrency: 20 },
      reconcile: { memoryMb: 1024, reservedConcurrency: 1 },
    },
    reserveConcurrency: true,
    protectData: true,
    logRetentionDays: 90,
    alarms: { ...BASE_ALARMS, errors: 0, throttles: 10, dlqAgeSeconds: 900, rejectedPerCode: 50 },
    reconcileSchedule: 'cron(17 * * * ? *)',
    keyFilter: {},
    noncurrentVersionDays: 30,
    abortMultipartDays: 7,
    imagesKept: 10,
    forceDestroy: false,
    alarmSubscriptions: [],
    tags: { project: 'imgpipe', environment: 'prod' },
  },
];

/** Prefix of every resource name of an environment: `imgpipe-dev` unless the config names another. */
export function namePrefix(config: Pick<EnvironmentConfig, 'name' | 'namePrefix'>): string {
  return config.namePrefix ?? `imgpipe-${config.name}`;
}

/** The bucket names a stack gives the pipeline: fixed ones, or the unique ones Terraform generated. */
export interface BucketNames {
  readonly source: string;
  readonly derived: string;
}

/**
 * The pipeline definition of an environment: the shared defaults with per-environment names,
 * sizing, schedule and key filter. Functions and rules are built from this, nothing else. The stack
 * passes the buckets it created (their names are unique, generated by Terraform, unless configured).
 * @example pipelineFor(ENVIRONMENTS[0]!).names.sourceBucket // 'imgpipe-dev-source'
 */
export function pipelineFor(
  config: EnvironmentConfig,
  buckets: BucketNames = config.bucketNames ?? {
    source: `${namePrefix(config)}-source`,
    derived: `${namePrefix(config)}-derived`,
  },
): PipelineDefinition {
  const prefix = namePrefix(config);
  return definePipeline({
    names: {
      sourceBucket: buckets.source,
      derivedBucket: buckets.derived,
      table: `${prefix}-images`,
      controlTable: `${prefix}-control`,
      deadLetterQueue: `${prefix}-dlq`,
    },
    functions: config.functions,
    reconcileSchedule: config.reconcileSchedule,
    keyFilter: config.keyFilter,
    // Each environment's metrics under its own namespace: dev's rejections never trip prod's alarms.
    metricsNamespace: `imgpipe/${config.name}`,
  });
}
