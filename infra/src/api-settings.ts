import { InfraConfigError } from './errors';

/** An external OpenID Connect issuer the API trusts instead of the stack's Cognito user pool. */
export interface ExternalIssuerSettings {
  /** `iss` of its tokens, https. */
  readonly url: string;
  /** Accepted `aud` (or `client_id`) values. */
  readonly audience: readonly string[];
  /** How the issuer spells the API's scopes: `<prefix>images.read`. Default: bare (`images.read`). */
  readonly scopePrefix: string;
}

/** The image API's settings (both stacks). */
export interface ApiSettings {
  /** Trust this issuer; without it the stack manages a Cognito user pool. */
  readonly issuer?: ExternalIssuerSettings;
  /** Browser origins allowed to call the API and to POST uploads to the source bucket (CORS). */
  readonly corsOrigins: readonly string[];
  /** The user pool's web client: where sign-in may return (https, or http on localhost). */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  /** The user pool's sign-in domain is `<prefix>-<environment>` (unique per region across AWS). */
  readonly authDomainPrefix: string;
}

export const API_SETTINGS_ENV = {
  issuer: 'IMGPIPE_API_JWT_ISSUER',
  audience: 'IMGPIPE_API_JWT_AUDIENCE',
  scopePrefix: 'IMGPIPE_API_SCOPE_PREFIX',
  corsOrigins: 'IMGPIPE_API_CORS_ORIGINS',
  callbackUrls: 'IMGPIPE_API_CALLBACK_URLS',
  logoutUrls: 'IMGPIPE_API_LOGOUT_URLS',
  authDomainPrefix: 'IMGPIPE_API_AUTH_DOMAIN_PREFIX',
} as const;

/** The local console, the one web client the repository ships. */
const DEFAULT_CALLBACK = 'http://localhost:4566/_imgpipe/';

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function isLocalhost(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1';
}

function parseUrl(value: string, name: string): URL {
  try {
    return new URL(value);
  } catch (cause) {
    throw new InfraConfigError(`Expected a URL in ${name} but received "${value}"`, { cause });
  }
}

/** https anywhere, http only on localhost (what Cognito and browsers accept). */
function secureUrl(value: string, name: string): URL {
  const url = parseUrl(value, name);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalhost(url))) {
    throw new InfraConfigError(
      `Expected an https URL (http only on localhost) in ${name} but received "${value}"`,
    );
  }
  return url;
}

function origin(value: string, name: string): string {
  const url = secureUrl(value, name);
  if (url.origin !== value) {
    throw new InfraConfigError(
      `Expected an origin (scheme://host[:port], no path or trailing slash) in ${name} but received "${value}"`,
    );
  }
  return value;
}

/**
 * Reads the API's settings from an environment (normally `process.env`, through `readAppSettings`).
 * @example readApiSettings({ IMGPIPE_API_CORS_ORIGINS: 'https://app.example.com' }).corsOrigins // ['https://app.example.com']
 */
export function readApiSettings(env: Readonly<Record<string, string | undefined>>): ApiSettings {
  const E = API_SETTINGS_ENV;
  const issuerUrl = env[E.issuer]?.trim();
  const audience = list(env[E.audience]);
  if (Boolean(issuerUrl) !== audience.length > 0) {
    throw new InfraConfigError(
      `Expected both ${E.issuer} and ${E.audience} or neither but received only ${issuerUrl ? E.issuer : E.audience}`,
    );
  }
  if (issuerUrl && parseUrl(issuerUrl, E.issuer).protocol !== 'https:') {
    throw new InfraConfigError(`Expected an https issuer in ${E.issuer} but received "${issuerUrl}"`);
  }
  const callbackUrls = list(env[E.callbackUrls]);
  const logoutUrls = list(env[E.logoutUrls]);
  for (const url of [...callbackUrls, ...logoutUrls]) secureUrl(url, `${E.callbackUrls}/${E.logoutUrls}`);
  const domainPrefix = env[E.authDomainPrefix]?.trim() || 'imgpipe';
  if (
    !/^[a-z0-9](?:[a-z0-9-]{0,40}[a-z0-9])?$/.test(domainPrefix) ||
    /aws|amazon|cognito/.test(domainPrefix)
  ) {
    throw new InfraConfigError(
      `Expected lower-case letters, digits and hyphens without aws/amazon/cognito in ${E.authDomainPrefix} but received "${domainPrefix}"`,
    );
  }
  return {
    ...(issuerUrl
      ? { issuer: { url: issuerUrl, audience, scopePrefix: env[E.scopePrefix]?.trim() ?? '' } }
      : {}),
    corsOrigins: list(env[E.corsOrigins]).map((value) => origin(value, E.corsOrigins)),
    callbackUrls: callbackUrls.length > 0 ? callbackUrls : [DEFAULT_CALLBACK],
    logoutUrls:
      logoutUrls.length > 0 ? logoutUrls : callbackUrls.length > 0 ? callbackUrls : [DEFAULT_CALLBACK],
    authDomainPrefix: domainPrefix,
  };
}

/** The settings when nothing is configured: a Cognito pool, no CORS origins, the local console as client. */
export const DEFAULT_API_SETTINGS: ApiSettings = readApiSettings({});
