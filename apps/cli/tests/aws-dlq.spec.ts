import type { Message } from '@aws-sdk/client-sqs';
import { decodeDlqMessage, functionNameOf } from '../src/stack/aws-dlq';

const S3_EVENT = {
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '123456789012',
  time: '2026-11-21T10:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:s3:::imgpipe-prod-source'],
  detail: {
    version: '0',
    bucket: { name: 'imgpipe-prod-source' },
    object: {
      key: 'photos/red+flower.jpg',
      size: 5,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      sequencer: '00617F08299329D189',
    },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    'source-ip-address': '1.2.3.4',
    reason: 'PutObject',
  },
};

/** What Lambda's on-failure destination puts on the queue after the retries of an async invocation. */
const DESTINATION_MESSAGE: Message = {
  MessageId: '9f4c8d0e-1111-4d2a-9c1e-2b5a1f0c7e11',
  ReceiptHandle: 'AQEB-destination',
  Attributes: { SentTimestamp: '1795255200000' },
  Body: JSON.stringify({
    version: '1.0',
    timestamp: '2026-11-21T10:03:12.461Z',
    requestContext: {
      requestId: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:imgpipe-prod-resize:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: S3_EVENT,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: {
      errorType: 'ProvisionedThroughputExceededException',
      errorMessage: 'Rate of requests exceeds the allowed throughput.',
      trace: [],
    },
  }),
};

/** What an EventBridge rule's DLQ receives when it cannot deliver to its target. */
const RULE_DLQ_MESSAGE: Message = {
  MessageId: '2a7d1b3c-2222-4e0f-8a9b-7c6d5e4f3a21',
  ReceiptHandle: 'AQEB-rule',
  Attributes: { SentTimestamp: '1795255200000' },
  Body: JSON.stringify(S3_EVENT),
  MessageAttributes: {
    ERROR_CODE: { DataType: 'String', StringValue: 'SDK_CLIENT_ERROR' },
    ERROR_MESSAGE: { DataType: 'String', StringValue: 'Lambda returned TooManyRequestsException' },
    RULE_ARN: {
      DataType: 'String',
      StringValue: 'arn:aws:events:eu-west-1:123456789012:rule/imgpipe-prod-object-created-metadata-sync',
    },
    TARGET_ARN: {
      DataType: 'String',
      StringValue: 'arn:aws:lambda:eu-west-1:123456789012:function:imgpipe-prod-metadata-sync',
    },
  },
};

describe('decodeDlqMessage', () => {
  it('decodes a Lambda on-failure destination record into the original event, error and attempts', () => {
    const parked = decodeDlqMessage(DESTINATION_MESSAGE);
    expect(parked.item).toEqual({
      id: '9f4c8d0e-1111-4d2a-9c1e-2b5a1f0c7e11',
      function: 'imgpipe-prod-resize',
      event: S3_EVENT,
      error: {
        type: 'ProvisionedThroughputExceededException',
        message: 'Rate of requests exceeds the allowed throughput.',
      },
      attempts: 3,
      failedAt: '2026-11-21T10:03:12.461Z',
    });
    expect(parked.target).toBe('arn:aws:lambda:eu-west-1:123456789012:function:imgpipe-prod-resize:$LATEST');
    expect(parked.payload).toEqual(S3_EVENT);
    expect(parked.receiptHandle).toBe('AQEB-destination');
  });

  it('explains an event that aged out, which has no response payload', () => {
    const body = JSON.parse(DESTINATION_MESSAGE.Body as string) as Record<string, unknown>;
    const aged = {
      ...body,
      requestContext: {
        ...(body['requestContext'] as object),
        condition: 'EventAgeExceeded',
        approximateInvokeCount: 1,
      },
      responseContext: undefined,
      responsePayload: undefined,
    };
    const parked = decodeDlqMessage({ ...DESTINATION_MESSAGE, Body: JSON.stringify(aged) });
    expect(parked.item.error).toEqual({
      type: 'EventAgeExceeded',
      message: 'the event grew older than the maximum event age before it could run',
    });
  });

  it('decodes an EventBridge rule DLQ message from its body and ERROR_* / TARGET_ARN attributes', () => {
    const parked = decodeDlqMessage(RULE_DLQ_MESSAGE);
    expect(parked.item).toEqual({
      id: '2a7d1b3c-2222-4e0f-8a9b-7c6d5e4f3a21',
      function: 'imgpipe-prod-metadata-sync',
      event: S3_EVENT,
      error: { type: 'SDK_CLIENT_ERROR', message: 'Lambda returned TooManyRequestsException' },
      failedAt: new Date(1795255200000).toISOString(),
    });
    expect(parked.target).toBe('arn:aws:lambda:eu-west-1:123456789012:function:imgpipe-prod-metadata-sync');
  });

  it('lists a message of another shape as UNKNOWN_MESSAGE with no target, so it is never redriven', () => {
    const parked = decodeDlqMessage({ MessageId: 'm-3', ReceiptHandle: 'h', Body: 'hello' });
    expect(parked.item).toMatchObject({
      id: 'm-3',
      function: 'unknown',
      event: 'hello',
      error: { type: 'UNKNOWN_MESSAGE' },
    });
    expect(parked.target).toBeUndefined();
  });
});

describe('functionNameOf', () => {
  it('takes the function name from a function ARN, with or without a qualifier', () => {
    expect(functionNameOf('arn:aws:lambda:eu-west-1:123456789012:function:imgpipe-prod-resize:$LATEST')).toBe(
      'imgpipe-prod-resize',
    );
    expect(functionNameOf('arn:aws:lambda:eu-west-1:123456789012:function:imgpipe-prod-resize')).toBe(
      'imgpipe-prod-resize',
    );
    expect(functionNameOf('imgpipe-prod-resize')).toBe('imgpipe-prod-resize');
  });
});
