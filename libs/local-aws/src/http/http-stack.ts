import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { ENV, HTTP_FUNCTION_NAMES, type HttpFunctionName, type PipelineDefinition } from '@imgpipe/pipeline';
import { CDN_PREFIX, createLocalCdn } from '../cdn/cdn';
import type { EdgeCache } from '../cdn/cache';
import type { EdgeRoute } from '../edge/extensions';
import type { S3Change } from '../events/s3-event';
import { LOCAL_ACCOUNT } from '@imgpipe/core';
import { openFunctionLogs } from '../data-dir';
import { workerEnvironment } from '../function-env';
import { LocalIssuer } from '../gateway/issuer';
import { OIDC_PREFIX, oidcRoute, tokensRoute } from '../issuer/routes';
import { FunctionPool } from './function-pool';
import { createHttpApi } from './http-api';
import { localSizing } from '../runtime/worker-pool';

/** The audience of local tokens and the one the local authorizer accepts. */
export const LOCAL_AUDIENCE = 'imgpipe-local';
/** The local HTTP API's id (the first label of its would-be domain). */
const LOCAL_API_ID = 'imgpipelocal';

export interface HttpFunctionsOptions {
  readonly pipeline: PipelineDefinition;
  readonly dataDir: string;
  readonly runner: string;
  readonly bundles: Readonly<Record<HttpFunctionName, string>>;
  /** Most concurrent invocations per function on this machine (on top of reserved concurrency). */
  readonly concurrency: number;
  readonly idleWorkerMs: number;
  readonly corsOrigins: readonly string[];
}

/** The HTTP side of the local stack: issuer, `/_api`, `/_cdn` and the `api`/`render` workers. */
export interface HttpFunctions {
  /** Edge routes, most specific first (they go before the built-in `/_imgpipe`). */
  readonly routes: readonly EdgeRoute[];
  readonly cache: EdgeCache;
  pool(fn: HttpFunctionName): FunctionPool;
  environment(fn: HttpFunctionName): Readonly<Record<string, string>>;
  /** Once the edge listens: opens the issuer (its `iss` names the endpoint) and fills the workers' env. */
  start(endpoint: string, s3: S3Client): Promise<void>;
  /** Changes to an image's source or variants invalidate the CDN's cache of its variants. */
  onChange(changes: readonly Pick<S3Change, 'bucket' | 'key'>[]): void;
  stop(): Promise<void>;
}

/** A cursor key kept in the data dir, so list cursors survive a restart as they survive a deploy. */
function cursorKey(dir: string): string {
  const file = join(dir, 'cursor-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64url');
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/**
 * Builds the HTTP functions' runtime and edge routes. The routes resolve the issuer and the S3 client
 * lazily: they exist before the edge listens, and answer only after `start`.
 */
export function createHttpFunctions(options: HttpFunctionsOptions): HttpFunctions {
  const { pipeline } = options;
  const envs = Object.fromEntries(HTTP_FUNCTION_NAMES.map((n) => [n, {}])) as Record<
    HttpFunctionName,
    Record<string, string>
  >;
  // Each function's output goes to `logs/<name>.log`, as the event functions' does.
  const logs = openFunctionLogs(options.dataDir, HTTP_FUNCTION_NAMES);
  const pools = Object.fromEntries(
    HTTP_FUNCTION_NAMES.map((name) => {
      const spec = pipeline.httpFunctions[name];
      return [
        name,
        new FunctionPool({
          name,
          bundle: options.bundles[name],
          runner: options.runner,
          env: envs[name],
          ...localSizing(spec, options.concurrency),
          idleMs: options.idleWorkerMs,
          log: logs[name],
        }),
      ];
    }),
  ) as Record<HttpFunctionName, FunctionPool>;

  let issuer: LocalIssuer | undefined;
  let s3: S3Client | undefined;
  const started = (): LocalIssuer => {
    if (!issuer) throw new Error('The local issuer is not open yet');
    return issuer;
  };
  const api = createHttpApi({
    pipeline,
    pool: pools.api,
    authorizer: () => ({
      issuer: started().issuer,
      audience: [LOCAL_AUDIENCE],
      keys: started().keyResolver(),
    }),
    accountId: LOCAL_ACCOUNT,
    apiId: LOCAL_API_ID,
    corsOrigins: options.corsOrigins,
  });
  const cdn = createLocalCdn({
    cdn: pipeline.cdn,
    derivedBucket: pipeline.names.derivedBucket,
    get s3(): S3Client {
      if (!s3) throw new Error('The local CDN has no S3 client yet');
      return s3;
    },
    render: pools.render,
    accountId: LOCAL_ACCOUNT,
  });

  return {
    routes: [oidcRoute(started), tokensRoute(started), api, cdn],
    cache: cdn.cache,
    pool: (fn) => pools[fn],
    environment: (fn) => ({ ...envs[fn] }),
    async start(endpoint, client) {
      s3 = client;
      issuer = await LocalIssuer.open({
        dir: join(options.dataDir, 'issuer'),
        issuer: `${endpoint}${OIDC_PREFIX}`,
        audience: LOCAL_AUDIENCE,
      });
      for (const name of HTTP_FUNCTION_NAMES) {
        Object.assign(
          envs[name],
          workerEnvironment(pipeline, pipeline.httpFunctions[name], options.bundles[name], endpoint),
        );
      }
      Object.assign(envs.api, {
        [ENV.cdnBaseUrl]: `${endpoint}${CDN_PREFIX}`,
        [ENV.cursorKeys]: cursorKey(join(options.dataDir, 'issuer')),
        // The local issuer writes the API's scopes bare.
        [ENV.scopePrefix]: '',
      });
    },
    onChange(changes) {
      // Resize invalidates `/<source key>/*` on CloudFront after removing a deleted image's variants;
      // locally, a change to any of an image's variants (or to its source) drops the image's folder.
      for (const change of changes) {
        if (change.bucket === pipeline.names.derivedBucket) {
          const folder = change.key.lastIndexOf('/');
          cdn.cache.invalidate(`/${folder < 0 ? change.key : change.key.slice(0, folder + 1)}`);
        } else if (change.bucket === pipeline.names.sourceBucket) {
          cdn.cache.invalidate(`/${change.key}/`);
        }
      }
    },
    async stop() {
      await Promise.all(HTTP_FUNCTION_NAMES.map((n) => pools[n].stop()));
      for (const stream of Object.values(logs)) stream.end();
    },
  };
}
