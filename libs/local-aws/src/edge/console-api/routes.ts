import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ImagesQuerySchema,
  RedriveRequestSchema,
  ReconcileReportSchema,
  type DlqItem,
  type ErrorBody,
  type Health,
  type ImagePageInput,
  type ImagesQuery,
  type LocalApiErrorCode,
  type Metrics,
  type RedriveResponse,
  type ReconcileReport,
  type RowInput,
} from '@imgpipe/contracts';
import { readBody } from '../http-util';
import { serveConsole } from './console';
import type { ImageReader } from './images';
import type { EventStream } from './stream';

/** What the `/_imgpipe/` routes need from the running stack. */
export interface ApiContext {
  readonly health: () => { ready: boolean; body: Health };
  readonly images: ImageReader;
  readonly metrics: () => Metrics;
  readonly dlq: () => DlqItem[];
  readonly redrive: (ids?: readonly string[]) => number;
  /** Runs reconcile synchronously: its answer, or how it failed (Lambda's `errorType`, `errorMessage`). */
  readonly reconcile: () => Promise<
    { ok: true; value: unknown } | { ok: false; error: { type: string; message: string } }
  >;
  readonly stream: EventStream;
  readonly consoleDir: string;
}

/**
 * The answer bodies, each typed from its schema in @imgpipe/contracts, so a server that drifts from the
 * contract fails to compile (the clients parse with the same schemas).
 */
type ApiBody =
  | Health
  | ImagePageInput
  | RowInput
  | Metrics
  | { items: DlqItem[] }
  | RedriveResponse
  | ReconcileReport
  | ErrorBody;

function json(res: ServerResponse, status: number, body: ApiBody): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** A refused request: the error body's code and message. */
interface Refusal {
  readonly code: LocalApiErrorCode;
  readonly message: string;
}

function apiError(res: ServerResponse, status: number, code: LocalApiErrorCode, message: string): void {
  json(res, status, { error: { code, message } });
}

/** The query of `GET /_imgpipe/api/images`; an empty value means "not given", as it always has. */
function parseImagesQuery(url: URL): ImagesQuery | Refusal {
  const given = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''));
  const parsed = ImagesQuerySchema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path[0];
  if (field === 'limit')
    return {
      code: 'INVALID_LIMIT',
      message: `Expected limit to be an integer from 1 to 1000 but received "${url.searchParams.get('limit')}"`,
    };
  return {
    code: 'INVALID_QUERY',
    message:
      issue?.code === 'unrecognized_keys'
        ? `Unknown query parameter(s): ${issue.keys.join(', ')} (expected status, prefix, limit, cursor)`
        : `Invalid ${String(field)}: ${issue?.message ?? ''}`,
  };
}

async function parseRedrive(req: IncomingMessage): Promise<{ ids?: string[] } | string> {
  const raw = (await readBody(req, 1024 * 1024)).toString('utf8').trim();
  if (!raw) return {};
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return 'Expected a JSON body like {"ids": ["..."]} but received text that is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'Expected a JSON object like {"ids": ["..."]}';
  const parsed = RedriveRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return issue?.code === 'unrecognized_keys'
    ? `Unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}: expected only "ids"`
    : 'Expected "ids" to be an array of strings';
}

/** Reconcile's answer as the route gives it: its report, or an error body (500). */
async function reconcileNow(ctx: ApiContext): Promise<ReconcileReport | Refusal> {
  const outcome = await ctx.reconcile();
  if (!outcome.ok)
    return { code: 'RECONCILE_FAILED', message: `${outcome.error.type}: ${outcome.error.message}` };
  // Once per request, not a hot path: a report that does not parse is the function's bug, said here.
  const report = ReconcileReportSchema.safeParse(outcome.value);
  if (report.success) return report.data;
  return {
    code: 'RECONCILE_FAILED',
    message: `reconcile answered something that is not its report: ${report.error.issues[0]?.message ?? ''}`,
  };
}

/**
 * The local stack's own routes: health, the JSON API under `/_imgpipe/api/`, server-sent events and the
 * console's static files (docs/contract.md, "The local stack's JSON API").
 */
export function createApi(ctx: ApiContext) {
  return async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    try {
      if (path === '/_imgpipe/health') {
        const { ready, body } = ctx.health();
        return json(res, ready ? 200 : 503, body);
      }
      if (path.startsWith('/_imgpipe/api/')) {
        const route = path.slice('/_imgpipe/api/'.length);
        if (method === 'GET' && route === 'images') {
          const query = parseImagesQuery(url);
          if ('code' in query) return apiError(res, 400, query.code, query.message);
          return json(res, 200, await ctx.images.list(query));
        }
        if (method === 'GET' && route.startsWith('images/')) {
          const key = decodeURIComponent(path.slice('/_imgpipe/api/images/'.length));
          const row = await ctx.images.get(key);
          return row ? json(res, 200, row) : apiError(res, 404, 'NOT_FOUND', `No row for key "${key}"`);
        }
        if (method === 'GET' && route === 'metrics') return json(res, 200, ctx.metrics());
        if (method === 'GET' && route === 'dlq') return json(res, 200, { items: ctx.dlq() });
        if (method === 'POST' && route === 'dlq/redrive') {
          const body = await parseRedrive(req);
          if (typeof body === 'string') return apiError(res, 400, 'INVALID_BODY', body);
          return json(res, 200, { redriven: ctx.redrive(body.ids) });
        }
        if (method === 'POST' && route === 'reconcile') {
          const answer = await reconcileNow(ctx);
          return 'code' in answer ? json(res, 500, { error: answer }) : json(res, 200, answer);
        }
        if (method === 'GET' && route === 'stream') return ctx.stream.attach(res);
        return apiError(res, 404, 'NOT_FOUND', `No route ${method} ${path}`);
      }
      if (method === 'GET' || method === 'HEAD')
        return serveConsole(ctx.consoleDir, path.slice('/_imgpipe'.length) || '/', res);
      return apiError(res, 405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`);
    } catch (error: unknown) {
      if (!res.headersSent)
        apiError(res, 500, 'INTERNAL', error instanceof Error ? error.message : String(error));
      else res.end();
    }
  };
}
