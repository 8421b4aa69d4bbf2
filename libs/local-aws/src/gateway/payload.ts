import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The HTTP API payload format 2.0 request event, as API Gateway (and a Function URL) sends it. */
export interface HttpApiEventV2 {
  readonly version: '2.0';
  readonly routeKey: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly cookies?: string[];
  readonly headers: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly pathParameters?: Record<string, string>;
  readonly requestContext: {
    readonly accountId: string;
    readonly apiId: string;
    readonly authorizer?: { readonly jwt: { claims: Record<string, string>; scopes: string[] | null } };
    readonly domainName: string;
    readonly domainPrefix: string;
    readonly http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    readonly requestId: string;
    readonly routeKey: string;
    readonly stage: string;
    readonly time: string;
    readonly timeEpoch: number;
  };
  readonly body?: string;
  readonly isBase64Encoded: boolean;
}

export interface EventContext {
  /** The path below the local prefix (`/_api` or `/_cdn`), still percent-encoded, with its query. */
  readonly url: string;
  readonly routeKey: string;
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly authorizer?: { claims: Readonly<Record<string, string>>; scopes: readonly string[] | null };
  readonly apiId: string;
  readonly accountId: string;
  readonly body: Buffer;
  readonly now?: Date;
}

/** Content types API Gateway passes as text; every other body reaches the function base64-encoded. */
const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript)|[^;]*\+(json|xml))/i;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the CLF time of `requestContext.time`. */
function clfTime(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Builds the payload 2.0 event API Gateway would send for this request: headers lower-cased and
 * comma-joined, cookies split out, the query both raw and as comma-joined parameters, a decoded `rawPath`
 * and path parameters, the JWT authorizer's claims and scopes, and the body base64-encoded unless it is text.
 */
export function httpApiEvent(req: IncomingMessage, context: EventContext): HttpApiEventV2 {
  const now = context.now ?? new Date();
  const q = context.url.indexOf('?');
  const rawPath = safeDecode(q < 0 ? context.url : context.url.slice(0, q)) || '/';
  const rawQueryString = q < 0 ? '' : context.url.slice(q + 1);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    const value = req.rawHeaders[i + 1] ?? '';
    if (name === 'cookie') {
      cookies = [
        ...(cookies ?? []),
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      ];
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  const contentType = headers['content-type'] ?? '';
  const text = context.body.length === 0 || TEXT_TYPES.test(contentType);
  const host = headers['host'] ?? 'localhost';
  return {
    version: '2.0',
    routeKey: context.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(context.pathParameters && Object.keys(context.pathParameters).length
      ? {
          pathParameters: Object.fromEntries(
            Object.entries(context.pathParameters).map(([k, v]) => [k, safeDecode(v)]),
          ),
        }
      : {}),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      ...(context.authorizer
        ? {
            authorizer: {
              jwt: {
                claims: { ...context.authorizer.claims },
                scopes: context.authorizer.scopes ? [...context.authorizer.scopes] : null,
              },
            },
          }
        : {}),
      domainName: host,
      domainPrefix: host.split('.')[0]?.split(':')[0] ?? host,
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: context.routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(context.body.length
      ? { body: text ? context.body.toString('utf8') : context.body.toString('base64') }
      : {}),
    isBase64Encoded: !text,
  };
}

/** What the edge writes back. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/**
 * Maps a function's result to the HTTP response the way API Gateway does for payload 2.0: an object with
 * `statusCode` is a full response (headers, `cookies` as Set-Cookie, `body`, `isBase64Encoded`); anything
 * else is JSON with status 200.
 */
export function httpApiResponse(result: unknown): HttpResponse {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const r = result as {
      statusCode: number;
      headers?: Record<string, string | number | boolean>;
      cookies?: string[];
      body?: string;
      isBase64Encoded?: boolean;
    };
    const headers: Record<string, string | string[]> = Object.fromEntries(
      Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    if (r.cookies?.length) headers['set-cookie'] = r.cookies;
    const body =
      r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8');
    return { status: r.statusCode, headers, body };
  }
  const body = Buffer.from(typeof result === 'string' ? result : JSON.stringify(result ?? null), 'utf8');
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

/** API Gateway's own answers (`{"message": ...}`) for what never reached, or failed in, the integration. */
export function gatewayMessage(status: number, message: string): HttpResponse {
  const body = Buffer.from(JSON.stringify({ message }));
  return { status, headers: { 'content-type': 'application/json' }, body };
}
