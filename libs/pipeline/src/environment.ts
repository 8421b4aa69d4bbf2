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
  /** JSON `CdnSpec`: variant Cache-Control, version parameter and metadata (every function). */
  cdn: 'IMGPIPE_CDN',
  /** JSON `UploadSpec` (every function; the api issues uploads by it). */
  uploads: 'IMGPIPE_UPLOADS',
  /**
   * Set by the deployer, not by `functionEnvironment`: the CDN's base URL the api builds variant URLs on
   * (`https://<distribution>` on AWS, `http://127.0.0.1:4566/_cdn` locally).
   */
  cdnBaseUrl: 'IMGPIPE_CDN_BASE_URL',
  /**
   * Set by the deployer (a secret): comma-separated HMAC keys for list cursors, at least 32 characters
   * each; the first signs, all verify (rotation).
   */
  cursorKeys: 'IMGPIPE_CURSOR_KEYS',
  /**
   * Set by the deployer: the prefix the JWT issuer writes before the API's scopes in the `scope`
   * claim (`imgpipe/` for the stack's Cognito pool, whose resource server names them
   * `imgpipe/images.read`; empty for an issuer that writes them bare). The api strips it.
   */
  scopePrefix: 'IMGPIPE_SCOPE_PREFIX',
  /**
   * Set by the deployer on resize: the CloudFront distribution whose `/<key>/*` it invalidates after
   * removing a deleted image's variants. Absent (the local stack): nothing to invalidate.
   */
  cdnDistributionId: 'IMGPIPE_CDN_DISTRIBUTION_ID',
} as const;

/** The variables a deployer adds to the api function's environment (they are not in the definition). */
export const DEPLOY_TIME_ENV = [ENV.cdnBaseUrl, ENV.cursorKeys] as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
