import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http-util';
import type { DlqEntry } from '../../runtime/types';
import { serveConsole } from './console';
import type { ImageReader } from './images';
import type { EventStream } from './stream';

/** What the `/_imgpipe/` routes need from the running stack. */
export interface ApiContext {
  readonly health: () => { ready: boolean; body: Record<string, unknown> };
  readonly images: ImageReader;
  readonly metrics: () => unknown;
  readonly dlq: () => DlqEntry[];
  readonly redrive: (ids?: readonly string[]) => number;
  readonly reconcile: () => Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
  readonly stream: EventStream;
  readonly consoleDir: string;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function apiError(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { error: { code, message } });
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
  const ids = (body as { ids?: unknown }).ids;
  if (ids === undefined) return {};
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
    return 'Expected "ids" to be an array of strings';
  return { ids: ids as string[] };
}

/**
 * The local stack's own routes: health, the JSON API under `/_imgpipe/api/`, server-sent events and the
 * console's static files (see docs/architecture.md, "The local stack's API").
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
          const limitText = url.searchParams.get('limit');
          const limit = limitText === null ? 100 : Number(limitText);
          if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
            return apiError(
              res,
              400,
              'INVALID_LIMIT',
              `Expected limit to be an integer from 1 to 1000 but received "${limitText}"`,
            );
          }
          const status = url.searchParams.get('status') || undefined;
          const prefix = url.searchParams.get('prefix') || undefined;
          const cursor = url.searchParams.get('cursor') || undefined;
          return json(
            res,
            200,
            await ctx.images.list({
              limit,
              ...(status ? { status } : {}),
              ...(prefix ? { prefix } : {}),
              ...(cursor ? { cursor } : {}),
            }),
          );
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
          const outcome = await ctx.reconcile();
          return outcome.ok ? json(res, 200, outcome.value ?? {}) : json(res, 500, { error: outcome.error });
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
