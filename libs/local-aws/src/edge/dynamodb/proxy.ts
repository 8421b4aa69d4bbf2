import type { ServerResponse } from 'node:http';
import type { DynamoDbAnswer, DynamoDbThread } from '../../emulators/dynamodb-thread';
import type { DynamoDbCall } from '../extensions';
import { pickFault } from '../faults';

export interface DynamoDbProxyOptions {
  readonly target: Pick<DynamoDbThread, 'send'>;
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

/**
 * The DynamoDB half of the edge: JSON API requests go to dynalite's thread over its MessagePort (the edge
 * has read them already; no second HTTP hop), with injected faults for function traffic. A paused or
 * failed emulator answers 500, as a refused connection did.
 */
export function createDynamoDbProxy(options: DynamoDbProxyOptions) {
  const { target } = options;
  return async function handleDynamoDb(call: DynamoDbCall, res: ServerResponse): Promise<void> {
    const { req } = call;
    const fault = pickFault(req, 'dynamodb', options.faultRate());
    if (fault) return sendDynamoDbError(res, fault.status, fault.code, fault.message);
    let answer: DynamoDbAnswer;
    try {
      answer = await target.send({
        method: req.method ?? 'POST',
        url: req.url ?? '/',
        headers: req.headers,
        body: call.body.toString('utf8'),
      });
    } catch {
      // Not the error's message: it would name the emulator's state.
      return sendDynamoDbError(res, 500, 'InternalServerError', 'The local DynamoDB emulator failed.');
    }
    if (res.destroyed) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };
}
