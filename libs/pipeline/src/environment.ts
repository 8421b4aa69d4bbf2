/**
 * The environment variables through which a function receives the pipeline definition.
 * Infra sets them on each Lambda; the local stack sets them on each worker; the functions
 * read them once at cold start (see `@imgpipe/core` `readConfig`).
 */
export const ENV = {
  sourceBucket: 'IMGPIPE_SOURCE_BUCKET',
  derivedBucket: 'IMGPIPE_DERIVED_BUCKET',
  table: 'IMGPIPE_TABLE',
  controlTable: 'IMGPIPE_CONTROL_TABLE',
  deadLetterQueue: 'IMGPIPE_DLQ',
  presets: 'IMGPIPE_PRESETS',
  maxBytes: 'IMGPIPE_MAX_BYTES',
  maxPixels: 'IMGPIPE_MAX_PIXELS',
  maxFrames: 'IMGPIPE_MAX_FRAMES',
  jobTimeoutMs: 'IMGPIPE_JOB_TIMEOUT_MS',
  allowSvg: 'IMGPIPE_ALLOW_SVG',
  storeGps: 'IMGPIPE_STORE_GPS',
  tombstoneTtlDays: 'IMGPIPE_TOMBSTONE_TTL_DAYS',
  keyPrefix: 'IMGPIPE_KEY_PREFIX',
  keySuffixes: 'IMGPIPE_KEY_SUFFIXES',
  reconcilePageSize: 'IMGPIPE_RECONCILE_PAGE_SIZE',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
