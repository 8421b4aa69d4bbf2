import { type IncomingMessage, type ServerResponse, request } from 'node:http';
import { pickFault } from './faults';
import { dynamoDbAccessDenied } from '../iam/denials';
import { HOP_BY_HOP, readBody } from './http-util';

export interface DynamoDbProxyOptions {
  readonly target: { host: string; port: number };
  readonly faultRate: () => number;
  /**
   * Decides whether the request's signer may do it (`operation` from `X-Amz-Target`, the parsed JSON
   * body): undefined to allow, or AWS's AccessDeniedException message.
   */
  readonly authorize?: (req: IncomingMessage, operation: string, body: unknown) => string | undefined;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The DynamoDB half of the edge: JSON API requests pass through to dynalite, with injected faults for function traffic. */
export function createDynamoDbProxy(options: DynamoDbProxyOptions) {
  const { target } = options;
  return async function handleDynamoDb(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let payload: Buffer | undefined;
    if (options.authorize) {
      payload = await readBody(req);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const denied = options.authorize(req, operation, parseJson(payload));
      if (denied !== undefined) {
        const answer = dynamoDbAccessDenied(denied);
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
        return;
      }
    }
    const fault = pickFault(req, 'dynamodb', options.faultRate());
    if (fault) {
      req.resume();
      const body = JSON.stringify({
        __type: `com.amazonaws.dynamodb.v20120810#${fault.code}`,
        message: fault.message,
      });
      res.writeHead(fault.status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    headers['host'] = `${target.host}:${target.port}`;
    const proxied = request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers },
      (answer) => {
        const out = Object.fromEntries(
          Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
        );
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
      },
    );
    proxied.on('error', (error) => {
      const body = JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
        message: error.message,
      });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(body);
    });
    if (payload) proxied.end(payload);
    else req.pipe(proxied);
  };
}
