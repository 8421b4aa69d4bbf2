import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  type AnyFunctionName,
  definePipeline,
  type FunctionName,
  type HttpFunctionName,
  type PipelineDefinition,
  type PipelineOptions,
} from '@imgpipe/pipeline';
import type { EdgeExtensions } from './edge/extensions';
import type { IamDecision } from './iam/enforcer';
import { LocalStackError } from './errors';
import type { InvocationReport } from './runtime/function-runtime';

/** How to start the local stack. Every field has a default; tests override ports, paths and timings. */
export interface LocalStackOptions {
  /** Edge port; 0 picks a free one. Default 4566. */
  readonly port?: number;
  /** Edge address. Default 127.0.0.1. */
  readonly host?: string;
  /** Where state lives. Default `./.imgpipe`. */
  readonly dataDir?: string;
  /** Start empty (removes the data directory first). */
  readonly fresh?: boolean;
  /** Upload the bundled sample images when the source bucket is empty. Default true. */
  readonly samples?: boolean;
  /** Fraction (0-1) of the functions' S3/DynamoDB requests answered with retryable errors. Default 0. */
  readonly faultRate?: number;
  /** Scale of Lambda's retry delays (about 1 and 2 minutes). Default 1/60, so about 1 s and 2 s. */
  readonly retryDelayScale?: number;
  /** Overrides of the pipeline definition (e.g. concurrency, retries, timeouts, schedule). */
  readonly pipeline?: PipelineOptions;
  /**
   * Most concurrent invocations per function on this machine, on top of each function's reserved
   * concurrency (a laptop has fewer cores than Lambda has sandboxes). Default: no cap.
   */
  readonly concurrency?: number;
  /** Function bundles by name (event and HTTP functions). Default `apps/<name>/dist/<bundle>` under the repository root. */
  readonly bundles?: Partial<Record<AnyFunctionName, string>>;
  /** Browser origins the local HTTP API's CORS allows (as infra's `corsOrigins`). Default none: same origin only. */
  readonly apiCorsOrigins?: readonly string[];
  /** The repository root (to find bundles, the console and samples). Default: found from the working directory. */
  readonly repoRoot?: string;
  /** The console's static build. Default `apps/console/dist`. */
  readonly consoleDir?: string;
  /** The sample images. Default `apps/local-stack/samples`. */
  readonly samplesDir?: string;
  /** Idle workers stop after this long (their next invocation is cold). Default 10 minutes. */
  readonly idleWorkerMs?: number;
  /** How often the terminal summary may print (it prints only after changes). 0 disables it. Default 10 s. */
  readonly summaryIntervalMs?: number;
  /** How long in-flight invocations may run on stop. Default 6 s (everything is gone within 10 s). */
  readonly stopGraceMs?: number;
  /** Where log lines go. Default: nowhere. */
  readonly log?: (line: string) => void;
  /** Called after every invocation attempt (tests and tools observe the runtime through it). */
  readonly onInvocation?: (report: InvocationReport) => void;
  /** Web origins allowed to call the edge from a browser besides its own (`IMGPIPE_ALLOWED_ORIGINS`). */
  readonly allowedOrigins?: readonly string[];
  /** Called on every IAM decision about a function's S3 or DynamoDB request (tests audit grants with it). */
  readonly onIamDecision?: (decision: IamDecision) => void;
  /** What colleagues plug into the edge: request checks, S3 handlers, routes (see edge/extensions.ts). */
  readonly extensions?: EdgeExtensions;
}

/** The options with defaults applied and the definition built. */
export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly fresh: boolean;
  readonly samples: boolean;
  readonly faultRate: number;
  readonly retryDelayScale: number;
  readonly pipeline: PipelineDefinition;
  readonly concurrency: number;
  readonly bundles: Readonly<Record<FunctionName, string>>;
  readonly httpBundles: Readonly<Record<HttpFunctionName, string>>;
  readonly apiCorsOrigins: readonly string[];
  readonly repoRoot: string;
  readonly consoleDir: string;
  readonly samplesDir: string;
  readonly idleWorkerMs: number;
  readonly summaryIntervalMs: number;
  readonly stopGraceMs: number;
  readonly log: (line: string) => void;
  readonly onInvocation: (report: InvocationReport) => void;
  readonly onIamDecision?: (decision: IamDecision) => void;
  readonly extensions: EdgeExtensions;
  readonly allowedOrigins: readonly string[];
}

/** Walks up from `start` to the directory that holds `apps/local-stack`. */
export function findRepoRoot(start = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'apps', 'local-stack', 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

function fraction(value: number, what: string, max = 1): number {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new LocalStackError(
      'INVALID_OPTION',
      `Expected a number from 0 to ${max} for ${what} but received ${String(value)}`,
    );
  }
  return value;
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new LocalStackError(
      'INVALID_OPTION',
      `Expected a positive integer for ${what} but received ${String(value)}`,
    );
  }
  return value;
}

/** Applies defaults and checks the options; the messages say what was expected and received. */
export function resolveOptions(options: LocalStackOptions = {}): ResolvedOptions {
  const port = options.port ?? 4566;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LocalStackError(
      'INVALID_OPTION',
      `Expected a port from 0 to 65535 but received ${String(port)}`,
    );
  }
  const repoRoot = options.repoRoot ?? findRepoRoot();
  const pipeline = definePipeline(options.pipeline);
  const bundles = Object.fromEntries(
    Object.values(pipeline.functions).map((fn) => [
      fn.name,
      options.bundles?.[fn.name] ?? join(repoRoot, 'apps', fn.name, 'dist', fn.bundle),
    ]),
  ) as Record<FunctionName, string>;
  const httpBundles = Object.fromEntries(
    Object.values(pipeline.httpFunctions).map((fn) => [
      fn.name,
      options.bundles?.[fn.name] ?? join(repoRoot, 'apps', fn.name, 'dist', fn.bundle),
    ]),
  ) as Record<HttpFunctionName, string>;
  return {
    port,
    host: options.host ?? '127.0.0.1',
    dataDir: resolve(options.dataDir ?? '.imgpipe'),
    fresh: options.fresh ?? false,
    samples: options.samples ?? true,
    faultRate: fraction(options.faultRate ?? 0, 'faultRate'),
    retryDelayScale: fraction(options.retryDelayScale ?? 1 / 60, 'retryDelayScale', 10),
    pipeline,
    concurrency: positiveInteger(options.concurrency ?? Number.MAX_SAFE_INTEGER, 'concurrency'),
    bundles,
    httpBundles,
    apiCorsOrigins: options.apiCorsOrigins ?? [],
    repoRoot,
    consoleDir: options.consoleDir ?? join(repoRoot, 'apps', 'console', 'dist'),
    samplesDir: options.samplesDir ?? join(repoRoot, 'apps', 'local-stack', 'samples'),
    idleWorkerMs: options.idleWorkerMs ?? 10 * 60_000,
    summaryIntervalMs: options.summaryIntervalMs ?? 10_000,
    stopGraceMs: options.stopGraceMs ?? 6_000,
    log: options.log ?? (() => undefined),
    onInvocation: options.onInvocation ?? (() => undefined),
    ...(options.onIamDecision ? { onIamDecision: options.onIamDecision } : {}),
    extensions: options.extensions ?? {},
    allowedOrigins: options.allowedOrigins ?? [],
  };
}
