import type { AlarmSubscription, EnvironmentConfig } from './config';
import { InfraConfigError } from './errors';
import { type ApiSettings, readApiSettings } from './api-settings';

/** What settings may change in an environment's config (everything else lives in `config.ts`). */
export type EnvironmentOverrides = Partial<
  Pick<
    EnvironmentConfig,
    | 'region'
    | 'namePrefix'
    | 'allowedAccountIds'
    | 'bucketNames'
    | 'alarmSubscriptions'
    | 'reserveConcurrency'
  >
>;

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
  /**
   * Skip the deploy preflight (tools, a current image context). For synth and destroy only, which
   * build nothing; `cdktf deploy` must never run with it.
   */
  readonly skipPreflight?: boolean;
  /**
   * Synthesize the `imgpipe-state` stack that creates this state bucket (set with the S3 backend:
   * `cdktf deploy imgpipe-state` bootstraps it once).
   */
  readonly stateStack?: { readonly bucket: string; readonly region: string };
  /** Per environment name: what `IMGPIPE_<ENV>_*` variables change in its config. */
  readonly overrides?: Readonly<Record<string, EnvironmentOverrides>>;
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
  skipPreflight: 'IMGPIPE_SKIP_PREFLIGHT',
} as const;

/** Per-environment variables: `IMGPIPE_<ENV>_<suffix>`, e.g. `IMGPIPE_PROD_ACCOUNT_IDS`. */
export const ENVIRONMENT_SETTINGS = {
  region: 'REGION',
  namePrefix: 'NAME_PREFIX',
  accountIds: 'ACCOUNT_IDS',
  sourceBucket: 'SOURCE_BUCKET',
  derivedBucket: 'DERIVED_BUCKET',
  alarmSubscriptions: 'ALARM_SUBSCRIPTIONS',
  reservedConcurrency: 'RESERVED_CONCURRENCY',
} as const;

/** The variable of one per-environment setting: `environmentVariable('prod', 'ACCOUNT_IDS')`. */
export function environmentVariable(
  environment: string,
  suffix: (typeof ENVIRONMENT_SETTINGS)[keyof typeof ENVIRONMENT_SETTINGS],
): string {
  return `IMGPIPE_${environment.toUpperCase().replace(/-/g, '_')}_${suffix}`;
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** `email:ops@example.com,https:https://hooks.example.com/x` → subscriptions (split at the first `:`). */
function subscriptions(value: string): AlarmSubscription[] {
  return list(value).map((item) => {
    const colon = item.indexOf(':');
    return {
      protocol: (colon > 0 ? item.slice(0, colon) : item) as AlarmSubscription['protocol'],
      endpoint: colon > 0 ? item.slice(colon + 1) : '',
    };
  });
}

function readOverrides(
  env: Readonly<Record<string, string | undefined>>,
  environment: string,
): EnvironmentOverrides {
  const get = (suffix: (typeof ENVIRONMENT_SETTINGS)[keyof typeof ENVIRONMENT_SETTINGS]) =>
    env[environmentVariable(environment, suffix)] || undefined;
  const region = get('REGION');
  const namePrefix = get('NAME_PREFIX');
  const accountIds = get('ACCOUNT_IDS');
  const source = get('SOURCE_BUCKET');
  const derived = get('DERIVED_BUCKET');
  const alarms = get('ALARM_SUBSCRIPTIONS');
  const reserve = get('RESERVED_CONCURRENCY');
  if ((source === undefined) !== (derived === undefined)) {
    throw new InfraConfigError(
      `Expected both ${environmentVariable(environment, 'SOURCE_BUCKET')} and ${environmentVariable(environment, 'DERIVED_BUCKET')} or neither, but received one`,
    );
  }
  return {
    ...(region ? { region } : {}),
    ...(namePrefix ? { namePrefix } : {}),
    ...(accountIds ? { allowedAccountIds: list(accountIds) } : {}),
    ...(source && derived ? { bucketNames: { source, derived } } : {}),
    ...(alarms ? { alarmSubscriptions: subscriptions(alarms) } : {}),
    ...(reserve
      ? { reserveConcurrency: flag(reserve, environmentVariable(environment, 'RESERVED_CONCURRENCY')) }
      : {}),
  };
}

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new InfraConfigError(`Expected 1/true or 0/false for ${name} but received "${value}"`);
}

/**
 * Reads the app settings from an environment (normally `process.env`), once, including each named
 * environment's `IMGPIPE_<ENV>_*` overrides.
 * @example readAppSettings({ IMGPIPE_TF_STATE_BUCKET: 'my-state', IMGPIPE_TF_STATE_REGION: 'eu-west-1' })
 */
export function readAppSettings(
  env: Readonly<Record<string, string | undefined>>,
  environmentNames: readonly string[] = [],
): AppSettings {
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
  const overrides = Object.fromEntries(
    environmentNames
      .map((name) => [name, readOverrides(env, name)] as const)
      .filter(([, found]) => Object.keys(found).length > 0),
  );
  return {
    ...(backend.kind === 's3' ? { stateStack: { bucket: backend.bucket, region: backend.region } } : {}),
    ...(Object.keys(overrides).length > 0 ? { overrides } : {}),
    ...(environments && environments.length > 0 ? { environments } : {}),
    backend,
    offlinePlan: flag(env[SETTINGS_ENV.offlinePlan], SETTINGS_ENV.offlinePlan),
    ...(flag(env[SETTINGS_ENV.skipPreflight], SETTINGS_ENV.skipPreflight) ? { skipPreflight: true } : {}),
    ...(imageContextDir ? { imageContextDir } : {}),
    api: readApiSettings(env),
  };
}
