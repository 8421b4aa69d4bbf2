/** An HTTP answer the edge sends as is. */
export interface EdgeAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * DynamoDB's answer to a request IAM does not allow: 400 with the coral `AccessDeniedException`,
 * which the SDK raises as `AccessDeniedException` (not retryable).
 * @example dynamoDbAccessDenied('User: ... is not authorized to perform: dynamodb:BatchGetItem on resource: ...')
 */
export function dynamoDbAccessDenied(message: string): EdgeAnswer {
  const body = JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: message });
  return {
    status: 400,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  };
}
