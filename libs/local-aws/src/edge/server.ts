import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { describeDynamoDbCall, isDynamoDbRequest } from './dynamodb/operation';
import { sendDynamoDbError } from './dynamodb/proxy';
import type { DynamoDbCall, EdgeExtensions, EdgeRoute, Refusal, RequestCheck, S3Call } from './extensions';
import { readBody } from './http-util';
import { describeS3Call } from './s3/request';
import { sendS3Error } from './s3/xml';

/** A check on the raw request before anything else (e.g. the Host/Origin guard); a refusal answers 403. */
export type EdgeGuard = (req: IncomingMessage) => Refusal | undefined;

export interface EdgeOptions {
  /** Built-in guards, run first on every path. */
  readonly guards: readonly EdgeGuard[];
  /** Built-in routes (`/_imgpipe`); extension routes are tried after them. */
  readonly routes: readonly EdgeRoute[];
  readonly s3: (call: S3Call, res: ServerResponse) => void | Promise<void>;
  readonly dynamodb: (call: DynamoDbCall, res: ServerResponse) => void | Promise<void>;
  /** The plug-in point (see extensions.ts). */
  readonly extensions: EdgeExtensions;
  readonly log: (line: string) => void;
}

/** DynamoDB's own limit on a request body is 16 MB (BatchWriteItem); the edge buffers no more. */
const DYNAMODB_BODY_LIMIT = 16 * 1024 * 1024;

function routeFor(routes: readonly EdgeRoute[], url: string): EdgeRoute | undefined {
  const path = url.split('?')[0] ?? '/';
  return routes.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
}

function sendJsonError(res: ServerResponse, refusal: Refusal): void {
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
  res.writeHead(refusal.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function runChecks(
  checks: readonly RequestCheck[],
  call: S3Call | DynamoDbCall,
): Promise<Refusal | undefined> {
  for (const check of checks) {
    const refusal = await check(call);
    if (refusal) return refusal;
  }
  return undefined;
}

/**
 * The edge's dispatcher, one request at a time, in this order:
 * 1. guards (every path; refusal → 403 in the path's dialect),
 * 2. routes by path prefix (`/_imgpipe` built in, then `extensions.routes`),
 * 3. DynamoDB (`X-Amz-Target: DynamoDB_20120810.*`) or else S3: the request is parsed into a call
 *    (access key id, operation, IAM actions, resources), `extensions.checks` run, then the service handler
 *    (for S3, `extensions.s3Handlers` first, then the local S3 in `edge/s3/router.ts`).
 */
export function createEdgeServer(options: EdgeOptions): Server {
  const routes = [...options.routes, ...(options.extensions.routes ?? [])];
  const checks = options.extensions.checks ?? [];

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const route = routeFor(routes, url);
    const dynamo = !route && isDynamoDbRequest(req);
    for (const guard of options.guards) {
      const refusal = guard(req);
      if (!refusal) continue;
      req.resume();
      if (route) return sendJsonError(res, refusal);
      // DynamoDB names the same refusal AccessDeniedException.
      if (dynamo) return sendDynamoDbError(res, refusal.status, `${refusal.code}Exception`, refusal.message);
      return sendS3Error(res, refusal.status, refusal.code, refusal.message, url.split('?')[0]);
    }
    if (route) return route.handle(req, res);
    if (dynamo) {
      const call = describeDynamoDbCall(req, await readBody(req, DYNAMODB_BODY_LIMIT));
      const refusal = await runChecks(checks, call);
      if (refusal) return sendDynamoDbError(res, refusal.status, refusal.code, refusal.message);
      return options.dynamodb(call, res);
    }
    const call = describeS3Call(req);
    if ('status' in call) {
      req.resume();
      return sendS3Error(res, call.status, call.code, call.message, url.split('?')[0]);
    }
    const refusal = await runChecks(checks, call);
    if (refusal) {
      req.resume();
      return sendS3Error(res, refusal.status, refusal.code, refusal.message, call.target.rawPath);
    }
    return options.s3(call, res);
  }

  const server = createServer((req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      options.log(
        `edge: ${req.method} ${req.url ?? '/'} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!res.headersSent)
        sendS3Error(res, 500, 'InternalError', 'The local stack failed to handle the request.');
      else res.destroy();
    });
  });
  server.requestTimeout = 0;
  return server;
}
