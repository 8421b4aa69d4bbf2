/** The three functions. They ship as one container image; `command` chooses the handler. */
export const FUNCTION_NAMES = ['resize', 'metadata-sync', 'reconcile'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export interface FunctionSpec {
  readonly name: FunctionName;
  /** Bundle file in the image's task root (also the local stack's entry point). */
  readonly bundle: string;
  /** Lambda `image_config.command`: `<bundle without extension>.handler`. */
  readonly command: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Reserved concurrency (also the local stack's per-function concurrency limit). */
  readonly reservedConcurrency: number;
  /** Asynchronous invocation: retries after the first attempt (0-2 on AWS). */
  readonly maximumRetryAttempts: number;
  /** Asynchronous invocation: events older than this are sent to the dead-letter queue unprocessed. */
  readonly maximumEventAgeSeconds: number;
}

function spec(
  name: FunctionName,
  memoryMb: number,
  timeoutSeconds: number,
  reservedConcurrency: number,
): FunctionSpec {
  const bundle = name;
  return {
    name,
    bundle: `${bundle}.mjs`,
    command: `${bundle}.handler`,
    memoryMb,
    timeoutSeconds,
    reservedConcurrency,
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
