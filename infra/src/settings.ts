import { InfraConfigError } from './errors';
import { type ApiSettings, readApiSettings } from './api-settings';

/** Where Terraform keeps state: a local file (default) or an S3 bucket with locking. */
export type BackendSettings =
  | { readonly kind: 'local'; readonly directory?: string }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly region: string;
      readonly keyPrefix: string;
      /** DynamoDB lock table; without it S3's native lock file is used (Terraform >= 1.10). */
      readonly lockTable?: string;
    };

/** App-wide settings that come from the environment, read once by `main.ts`. */
export interface AppSettings {
  /** Only these environments (default: all). */
  readonly environments?: readonly string[];
  readonly backend: BackendSettings;
  /** The image API: issuer, CORS origins, sign-in client (see `api-settings.ts`). */
  readonly api?: ApiSettings;
  /**
   * Offline plan mode: the AWS provider skips credential, account, metadata and region checks.
   * Set only by `infra:plan`; a deploy never runs with it.
   */
  readonly offlinePlan: boolean;
  /** The image build context directory (default: `tools/lambda-image/dist/context`). */
  readonly imageContextDir?: string;
}

/** The environment variables `readAppSettings` understands. */
export const SETTINGS_ENV = {
  environments: 'IMGPIPE_ENVIRONMENTS',
  offlinePlan: 'IMGPIPE_TF_OFFLINE_PLAN',
  stateDir: 'IMGPIPE_TF_STATE_DIR',
  stateBucket: 'IMGPIPE_TF_STATE_BUCKET',
  stateRegion: 'IMGPIPE_TF_STATE_REGION',
  stateKeyPrefix: 'IMGPIPE_TF_STATE_KEY_PREFIX',
  stateLockTable: 'IMGPIPE_TF_STATE_LOCK_TABLE',
  imageContext: 'IMGPIPE_IMAGE_CONTEXT',
} as const;

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new InfraConfigError(`Expected 1/true or 0/false for ${name} but received "${value}"`);
}

/**
 * Reads the app settings from an environment (normally `process.env`), once.
 * @example readAppSettings({ IMGPIPE_TF_STATE_BUCKET: 'my-state', IMGPIPE_TF_STATE_REGION: 'eu-west-1' })
 */
export function readAppSettings(env: Readonly<Record<string, string | undefined>>): AppSettings {
  const environments = env[SETTINGS_ENV.environments]
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const bucket = env[SETTINGS_ENV.stateBucket];
  let backend: BackendSettings;
  if (bucket) {
    const region = env[SETTINGS_ENV.stateRegion];
    if (!region) {
      throw new InfraConfigError(
        `Expected ${SETTINGS_ENV.stateRegion} with ${SETTINGS_ENV.stateBucket} but received nothing`,
      );
    }
    const lockTable = env[SETTINGS_ENV.stateLockTable];
    backend = {
      kind: 's3',
      bucket,
      region,
      keyPrefix: env[SETTINGS_ENV.stateKeyPrefix] ?? 'imgpipe',
      ...(lockTable ? { lockTable } : {}),
    };
  } else {
    const directory = env[SETTINGS_ENV.stateDir];
    backend = { kind: 'local', ...(directory ? { directory } : {}) };
  }
  const imageContextDir = env[SETTINGS_ENV.imageContext];
  return {
    ...(environments && environments.length > 0 ? { environments } : {}),
    backend,
    offlinePlan: flag(env[SETTINGS_ENV.offlinePlan], SETTINGS_ENV.offlinePlan),
    ...(imageContextDir ? { imageContextDir } : {}),
    api: readApiSettings(env),
  };
}
