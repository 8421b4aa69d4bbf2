import { type ServerResponse, request } from 'node:http';
import type { DynamoDbCall } from '../extensions';
import { pickFault } from '../faults';
import { HOP_BY_HOP } from '../http-util';

export interface DynamoDbProxyOptions {
  readonly target: { host: string; port: number };
  readonly faultRate: () => number;
}

/** Errors of AWS's request layer (authentication, authorization): coral's namespace and `Message`, as AWS sends them. */
const CORAL_ERRORS: ReadonlySet<string> = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'MissingAuthenticationTokenException',
]);

/** Writes a DynamoDB JSON-API error (`__type` + `message`), as the SDKs parse it. */
export function sendDynamoDbError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify(
    CORAL_ERRORS.has(code)
      ? { __type: `com.amazon.coral.service#${code}`, Message: message }
      : { __type: `com.amazonaws.dynamodb.v20120810#${code}`, message },
  );
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The DynamoDB half of the edge: JSON API requests pass through to dynalite, with injected faults for function traffic. */
export function createDynamoDbProxy(options: DynamoDbProxyOptions) {
  const { target } = options;
  return function handleDynamoDb(call: DynamoDbCall, res: ServerResponse): void {
    const { req } = call;
    const fault = pickFault(req, 'dynamodb', options.faultRate());
    if (fault) return sendDynamoDbError(res, fault.status, fault.code, fault.message);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    headers['host'] = `${target.host}:${target.port}`;
    headers['content-length'] = String(call.body.length);
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
    // Not error.message: it names the emulator's private address.
    proxied.on('error', () =>
      sendDynamoDbError(res, 500, 'InternalServerError', 'The local DynamoDB emulator failed.'),
    );
    proxied.end(call.body);
  };
}
