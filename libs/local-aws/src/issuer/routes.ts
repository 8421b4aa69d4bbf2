import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalTokenRequestSchema, type LocalTokenResponse } from '@imgpipe/contracts';
import type { EdgeRoute } from '../edge/extensions';
import type { LocalIssuer } from '../gateway/issuer';
import { readBodyWithin } from '../edge/http-util';

/** Where the local issuer lives: its `iss` is `<endpoint>/_imgpipe/oidc`. */
export const OIDC_PREFIX = '/_imgpipe/oidc';
export const TOKENS_PATH = '/_imgpipe/api/tokens';

function json(res: ServerResponse, status: number, body: unknown, cache = 'no-store'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': cache,
  });
  res.end(text);
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { error: { code, message } });
}

/**
 * Whether a browser page of another site is calling: token minting answers only the edge's own pages and
 * non-browser callers (no `Origin`), and only on a loopback `Host` (DNS rebinding).
 */
function foreignCaller(req: IncomingMessage): string | undefined {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host))
    return `Expected a loopback Host but received "${host}"`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`)
    return `Expected no Origin or the edge's own but received "${origin}"`;
  return undefined;
}

/** `GET /_imgpipe/oidc/.well-known/openid-configuration` and `GET /_imgpipe/oidc/jwks.json`. */
export function oidcRoute(issuer: () => LocalIssuer): EdgeRoute {
  return {
    prefix: OIDC_PREFIX,
    handle: (req, res) => {
      const path = (req.url ?? '').split('?')[0]?.slice(OIDC_PREFIX.length);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return refuse(res, 405, 'METHOD_NOT_ALLOWED', `Expected GET but received ${req.method ?? ''}`);
      if (path === '/.well-known/openid-configuration')
        return json(res, 200, issuer().openIdConfiguration(), 'public, max-age=300');
      if (path === '/jwks.json') return json(res, 200, issuer().jwks(), 'public, max-age=300');
      return refuse(res, 404, 'NOT_FOUND', `No such issuer document: ${path ?? ''}`);
    },
  };
}

/** `POST /_imgpipe/api/tokens {sub?, scope?, ttlSeconds?}` → 201 a signed access token (local callers only). */
export function tokensRoute(issuer: () => LocalIssuer): EdgeRoute {
  return {
    prefix: TOKENS_PATH,
    handle: async (req, res) => {
      if (req.method !== 'POST')
        return refuse(res, 405, 'METHOD_NOT_ALLOWED', `Expected POST but received ${req.method ?? ''}`);
      const foreign = foreignCaller(req);
      if (foreign) {
        req.resume();
        return refuse(res, 403, 'FORBIDDEN_ORIGIN', foreign);
      }
      const raw = await readBodyWithin(req, 16 * 1024);
      if (!raw) return refuse(res, 413, 'TOO_LARGE', 'Expected a body under 16 KiB');
      let body: unknown = {};
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return refuse(res, 400, 'INVALID_JSON', 'Expected a JSON body');
        }
      }
      const parsed = LocalTokenRequestSchema.safeParse(body);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
        return refuse(res, 400, 'VALIDATION_FAILED', `Expected a valid token request: ${detail.join('; ')}`);
      }
      const scope = parsed.data.scope.split(' ').filter(Boolean).join(' ');
      const minted = await issuer().mint({
        sub: parsed.data.sub,
        scope,
        ...(parsed.data.ttlSeconds === undefined ? {} : { ttlSeconds: parsed.data.ttlSeconds }),
      });
      const answer: LocalTokenResponse = {
        token: minted.token,
        tokenType: 'Bearer',
        expiresAt: minted.expiresAt,
        sub: parsed.data.sub,
        scope,
      };
      json(res, 201, answer);
    },
  };
}
