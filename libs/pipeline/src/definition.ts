import {
  API_ROUTES,
  API_SCOPES,
  type ApiScope,
  type ApiThrottleSpec,
  DEFAULT_API_THROTTLE,
  type RouteSpec,
} from './api';
import { type CdnSpec, DEFAULT_CDN } from './cdn';
import { checkCdn, checkRoutes, checkThrottle, checkUploads, positiveInteger } from './checks';
import { ENV } from './environment';
import { PipelineDefinitionError } from './errors';
import {
  type AnyFunctionName,
  type BaseFunctionSpec,
  DEFAULT_FUNCTIONS,
  DEFAULT_HTTP_FUNCTIONS,
  FUNCTION_NAMES,
  type FunctionName,
  type FunctionSpec,
  HTTP_FUNCTION_NAMES,
  type HttpFunctionName,
  type HttpFunctionSpec,
} from './functions';
import { DEFAULT_LIMITS, type LimitsSpec } from './limits';
import { DEFAULT_PRESETS, type PresetSpec } from './presets';
import {
  DEFAULT_POLICIES,
  type FunctionPolicies,
  type FunctionPolicy,
  policyHolders,
  policyProblem,
} from './policies';
import { DEFAULT_NAMES, type ResourceNames } from './resources';
import { type KeyFilter, type RuleSpec, s3Rules } from './rules';
import { DEFAULT_RECONCILE_SCHEDULE, scheduleProblem, type ScheduleSpec } from './schedules';
import type { UploadSpec } from './uploads';

/** The image API: its routes and scopes (from `API_ROUTES`, checked) and the stage's throttling. */
export interface ApiSpec {
  readonly routes: readonly RouteSpec[];
  readonly scopes: readonly ApiScope[];
  readonly throttle: ApiThrottleSpec;
}

type Sizing = Partial<Pick<BaseFunctionSpec, 'memoryMb' | 'timeoutSeconds' | 'reservedConcurrency'>>;

/** Everything that describes the pipeline, independent of where it runs. */
export interface PipelineDefinition {
  readonly names: ResourceNames;
  readonly presets: readonly PresetSpec[];
  readonly limits: LimitsSpec;
  readonly keyFilter: KeyFilter;
  /** The event functions (S3 rules, schedules; asynchronous). */
  readonly functions: Readonly<Record<FunctionName, FunctionSpec>>;
  /** The HTTP functions: `api` (behind the HTTP API) and `render` (the CDN's on-miss origin). */
  readonly httpFunctions: Readonly<Record<HttpFunctionName, HttpFunctionSpec>>;
  readonly api: ApiSpec;
  readonly uploads: UploadSpec;
  readonly cdn: CdnSpec;
  readonly rules: readonly RuleSpec[];
  readonly schedules: readonly ScheduleSpec[];
  /** Each function's IAM policy: infra builds the roles from it, the local stack enforces it. */
  readonly policies: FunctionPolicies;
  /** Store GPS coordinates on the row (never in variants). Off by default. */
  readonly storeGps: boolean;
  /** Days a tombstone is kept before DynamoDB's TTL removes it. */
  readonly tombstoneTtlDays: number;
  /** Source objects reconcile examines per page. */
  readonly reconcilePageSize: number;
  /** CloudWatch namespace of the functions' own metrics (`rejected` by code, `processed`, ...). */
  readonly metricsNamespace: string;
}

export interface PipelineOptions {
  readonly names?: Partial<ResourceNames>;
  readonly presets?: readonly PresetSpec[];
  readonly limits?: Partial<LimitsSpec>;
  readonly keyFilter?: Partial<KeyFilter>;
  readonly functions?: Partial<
    Record<FunctionName, Partial<Omit<FunctionSpec, 'name' | 'bundle' | 'command'>>>
  >;
  readonly httpFunctions?: Partial<Record<HttpFunctionName, Sizing>>;
  readonly apiThrottle?: Partial<ApiThrottleSpec>;
  /** Upload rules; `maxBytes` defaults to `limits.maxBytes`, `contentTypes` to every allowed type. */
  readonly uploads?: Partial<UploadSpec>;
  readonly cdn?: Partial<CdnSpec>;
  readonly reconcileSchedule?: string;
  /** Replaces a function's whole policy (tests use it to prove a missing grant is caught). */
  readonly policies?: Partial<Record<AnyFunctionName, FunctionPolicy>>;
  readonly storeGps?: boolean;
  readonly tombstoneTtlDays?: number;
  readonly reconcilePageSize?: number;
  readonly metricsNamespace?: string;
}

function checkSizing<S extends BaseFunctionSpec>(merged: S): S {
  positiveInteger(merged.memoryMb, `functions.${merged.name}.memoryMb`);
  positiveInteger(merged.timeoutSeconds, `functions.${merged.name}.timeoutSeconds`);
  positiveInteger(merged.reservedConcurrency, `functions.${merged.name}.reservedConcurrency`);
  return merged;
}

/**
 * Builds the pipeline definition from defaults and overrides, checking what can be checked here.
 * @example const pipeline = definePipeline({ names: { sourceBucket: 'prod-imgpipe-source' } });
 */
export function definePipeline(options: PipelineOptions = {}): PipelineDefinition {
  const names: ResourceNames = { ...DEFAULT_NAMES, ...options.names };
  const distinct = new Set([names.sourceBucket, names.derivedBucket]);
  if (distinct.size !== 2) {
    throw new PipelineDefinitionError(
      `Expected distinct source and derived buckets but received "${names.sourceBucket}" for both`,
    );
  }
  const limits: LimitsSpec = { ...DEFAULT_LIMITS, ...options.limits };
  positiveInteger(limits.maxBytes, 'limits.maxBytes');
  positiveInteger(limits.maxPixels, 'limits.maxPixels');
  positiveInteger(limits.maxFrames, 'limits.maxFrames');
  positiveInteger(limits.jobTimeoutMs, 'limits.jobTimeoutMs');

  const functions = Object.fromEntries(
    FUNCTION_NAMES.map((name) => {
      const merged = checkSizing<FunctionSpec>({ ...DEFAULT_FUNCTIONS[name], ...options.functions?.[name] });
      if (![0, 1, 2].includes(merged.maximumRetryAttempts)) {
        throw new PipelineDefinitionError(
          `Expected 0, 1 or 2 for functions.${name}.maximumRetryAttempts but received ${merged.maximumRetryAttempts}`,
        );
      }
      return [name, merged];
    }),
  ) as Record<FunctionName, FunctionSpec>;
  const httpFunctions = Object.fromEntries(
    HTTP_FUNCTION_NAMES.map((name) => [
      name,
      checkSizing<HttpFunctionSpec>({ ...DEFAULT_HTTP_FUNCTIONS[name], ...options.httpFunctions?.[name] }),
    ]),
  ) as Record<HttpFunctionName, HttpFunctionSpec>;

  const reconcileSchedule = options.reconcileSchedule ?? DEFAULT_RECONCILE_SCHEDULE;
  const scheduleIssue = scheduleProblem(reconcileSchedule);
  if (scheduleIssue) {
    throw new PipelineDefinitionError(
      `Expected cron(...) or rate(...) for reconcileSchedule but received "${reconcileSchedule}" (${scheduleIssue})`,
    );
  }
  const keyFilter: KeyFilter = { prefix: '', suffixes: [], ...options.keyFilter };
  const policies: FunctionPolicies = { ...DEFAULT_POLICIES, ...options.policies };
  for (const name of policyHolders(policies)) {
    const problem = policyProblem(name, policies[name] ?? []);
    if (problem) throw new PipelineDefinitionError(problem);
  }

  return {
    names,
    presets: options.presets ?? DEFAULT_PRESETS,
    limits,
    keyFilter,
    functions,
    httpFunctions,
    api: {
      routes: checkRoutes(API_ROUTES),
      scopes: API_SCOPES,
      throttle: checkThrottle({ ...DEFAULT_API_THROTTLE, ...options.apiThrottle }),
    },
    uploads: checkUploads(limits, options.uploads),
    cdn: checkCdn({ ...DEFAULT_CDN, ...options.cdn }),
    rules: s3Rules(names.sourceBucket, keyFilter),
    schedules: [
      {
        name: 'reconcile',
        description: 'Repair drift between the source bucket, the table and the derived bucket',
        expression: reconcileSchedule,
        target: 'reconcile',
      },
    ],
    policies,
    storeGps: options.storeGps ?? false,
    tombstoneTtlDays: positiveInteger(options.tombstoneTtlDays ?? 30, 'tombstoneTtlDays'),
    reconcilePageSize: positiveInteger(options.reconcilePageSize ?? 200, 'reconcilePageSize'),
    metricsNamespace: options.metricsNamespace ?? 'imgpipe',
  };
}

/**
 * The environment a function runs with: everything it needs from the definition, as strings.
 * Infra and the local stack both call this, so a function sees the same settings in both places.
 * The api function also needs `DEPLOY_TIME_ENV` (the CDN's URL, the cursor keys), which the deployer adds.
 */
export function functionEnvironment(
  pipeline: PipelineDefinition,
  fn: AnyFunctionName,
): Record<string, string> {
  return {
    [ENV.sourceBucket]: pipeline.names.sourceBucket,
    [ENV.derivedBucket]: pipeline.names.derivedBucket,
    [ENV.table]: pipeline.names.table,
    [ENV.controlTable]: pipeline.names.controlTable,
    [ENV.deadLetterQueue]: pipeline.names.deadLetterQueue,
    [ENV.presets]: JSON.stringify(pipeline.presets),
    [ENV.maxBytes]: String(pipeline.limits.maxBytes),
    [ENV.maxPixels]: String(pipeline.limits.maxPixels),
    [ENV.maxFrames]: String(pipeline.limits.maxFrames),
    [ENV.jobTimeoutMs]: String(pipeline.limits.jobTimeoutMs),
    [ENV.allowSvg]: String(pipeline.limits.allowSvg),
    [ENV.storeGps]: String(pipeline.storeGps),
    [ENV.tombstoneTtlDays]: String(pipeline.tombstoneTtlDays),
    [ENV.keyPrefix]: pipeline.keyFilter.prefix,
    [ENV.keySuffixes]: pipeline.keyFilter.suffixes.join(','),
    [ENV.reconcilePageSize]: String(pipeline.reconcilePageSize),
    [ENV.cdn]: JSON.stringify(pipeline.cdn),
    [ENV.uploads]: JSON.stringify(pipeline.uploads),
    POWERTOOLS_SERVICE_NAME: `imgpipe-${fn}`,
    POWERTOOLS_METRICS_NAMESPACE: pipeline.metricsNamespace,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    // sharp's advice for glibc: fewer malloc arenas, less fragmentation, lower peak memory.
    MALLOC_ARENA_MAX: '2',
  };
}
