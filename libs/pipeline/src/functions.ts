/**
 * The functions. They ship as one container image; `command` chooses the handler.
 * The event functions run asynchronously on S3 events and schedules (retries, event age, dead-letter
 * queue); the HTTP functions answer synchronously (API Gateway, a CloudFront origin's Function URL).
 */
export const FUNCTION_NAMES = ['resize', 'metadata-sync', 'reconcile'] as const;
/** An event (asynchronously invoked) function. */
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export const HTTP_FUNCTION_NAMES = ['api', 'render'] as const;
export type HttpFunctionName = (typeof HTTP_FUNCTION_NAMES)[number];

/** Every function in the container image, event functions first. */
export const ALL_FUNCTION_NAMES = [...FUNCTION_NAMES, ...HTTP_FUNCTION_NAMES] as const;
export type AnyFunctionName = (typeof ALL_FUNCTION_NAMES)[number];

/** What every function has: its handler in the image and its size. */
export interface BaseFunctionSpec<N extends AnyFunctionName = AnyFunctionName> {
  readonly name: N;
  /** Bundle file in the image's task root (also the local stack's entry point, `apps/<name>/dist/<bundle>`). */
  readonly bundle: string;
  /** Lambda `image_config.command`: `<bundle without extension>.handler`. */
  readonly command: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Reserved concurrency (also the local stack's per-function concurrency limit). */
  readonly reservedConcurrency: number;
}

export interface FunctionSpec extends BaseFunctionSpec<FunctionName> {
  /** Asynchronous invocation: retries after the first attempt (0-2 on AWS). */
  readonly maximumRetryAttempts: number;
  /** Asynchronous invocation: events older than this are sent to the dead-letter queue unprocessed. */
  readonly maximumEventAgeSeconds: number;
}

/**
 * What invokes an HTTP function, with payload format 2.0 events either way:
 * - `http-api`: API Gateway HTTP API routes (`API_ROUTES`) behind the JWT authorizer;
 * - `function-url`: a Function URL with `AWS_IAM` auth, reachable only as the CDN's origin (OAC).
 */
export type HttpTrigger = 'http-api' | 'function-url';

export interface HttpFunctionSpec extends BaseFunctionSpec<HttpFunctionName> {
  readonly trigger: HttpTrigger;
}

function base<N extends AnyFunctionName>(
  name: N,
  memoryMb: number,
  timeoutSeconds: number,
  reservedConcurrency: number,
): BaseFunctionSpec<N> {
  return {
    name,
    bundle: `${name}.mjs`,
    command: `${name}.handler`,
    memoryMb,
    timeoutSeconds,
    reservedConcurrency,
  };
}

function spec(
  name: FunctionName,
  memoryMb: number,
  timeoutSeconds: number,
  reservedConcurrency: number,
): FunctionSpec {
  return {
    ...base(name, memoryMb, timeoutSeconds, reservedConcurrency),
    maximumRetryAttempts: 2,
    maximumEventAgeSeconds: 6 * 60 * 60,
  };
}

/**
 * Defaults sized for sharp: 2048 MB gives a resize function more than one vCPU, which libvips uses.
 * Reconcile runs alone (concurrency 1) and resumes from its checkpoint when its time budget ends.
 */
export const DEFAULT_FUNCTIONS: Readonly<Record<FunctionName, FunctionSpec>> = {
  resize: spec('resize', 2048, 60, 10),
  'metadata-sync': spec('metadata-sync', 1024, 30, 10),
  // The next scheduled run is reconcile's retry: retrying a failed run (and parking it) repairs nothing.
  reconcile: { ...spec('reconcile', 1024, 300, 1), maximumRetryAttempts: 0 },
};

/**
 * `api` never loads sharp (512 MB is plenty for JSON, DynamoDB and presigning) and answers well inside
 * API Gateway's 30 s integration limit. `render` renders one image on a CDN miss: sharp's size, a
 * timeout under CloudFront's 30 s origin response timeout, and a small concurrency so a flood of
 * misses cannot starve resize.
 */
export const DEFAULT_HTTP_FUNCTIONS: Readonly<Record<HttpFunctionName, HttpFunctionSpec>> = {
  api: { ...base('api', 512, 10, 20), trigger: 'http-api' },
  render: { ...base('render', 2048, 25, 5), trigger: 'function-url' },
};

/** Every function's defaults by name (the image's bundles and commands). */
export const DEFAULT_ALL_FUNCTIONS: Readonly<Record<AnyFunctionName, BaseFunctionSpec>> = {
  ...DEFAULT_FUNCTIONS,
  ...DEFAULT_HTTP_FUNCTIONS,
};
