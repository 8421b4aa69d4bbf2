import { ENV } from '@imgpipe/pipeline';
import { ConfigError } from '../errors';
import { CursorCodec } from './cursor';

/** What only the api function needs, set by the deployer (`DEPLOY_TIME_ENV`), read once at cold start. */
export interface ApiConfig {
  /** The CDN's base URL, without a trailing slash. */
  readonly cdnBaseUrl: string;
  readonly cursors: CursorCodec;
  /** What the issuer writes before the API's scopes (`imgpipe/` for the stack's Cognito pool; often empty). */
  readonly scopePrefix: string;
}

/**
 * Reads the api's deploy-time settings: `IMGPIPE_CDN_BASE_URL` (http or https URL) and
 * `IMGPIPE_CURSOR_KEYS` (comma-separated, each at least 32 characters) and `IMGPIPE_SCOPE_PREFIX`
 * (optional: the issuer's prefix before the API's scopes).
 * @example const api = readApiConfig(process.env);
 */
export function readApiConfig(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const base = env[ENV.cdnBaseUrl];
  let url: URL | undefined;
  try {
    url = base ? new URL(base) : undefined;
  } catch {
    url = undefined;
  }
  if (!base || !url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    throw new ConfigError(
      `Expected an http(s) URL without query in ${ENV.cdnBaseUrl} but received "${base ?? ''}"`,
    );
  }
  const keys = (env[ENV.cursorKeys] ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
  let cursors: CursorCodec;
  try {
    cursors = new CursorCodec(keys);
  } catch (cause) {
    throw new ConfigError(
      `Expected ${ENV.cursorKeys} to hold comma-separated keys of at least 32 characters but received ${keys.length} usable`,
      { cause },
    );
  }
  return { cdnBaseUrl: base.replace(/\/+$/, ''), cursors, scopePrefix: env[ENV.scopePrefix]?.trim() ?? '' };
}
