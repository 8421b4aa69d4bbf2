import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { invokeAsync } from './aws-lambda';
import { describeError, fromAwsError } from './errors';
import type { DlqItem } from '@imgpipe/contracts';

/** Lambda's on-failure destination record (asynchronous invocation that exhausted retries or age). */
const DestinationRecordSchema = z.object({
  version: z.string(),
  timestamp: z.string(),
  requestContext: z.object({
    requestId: z.string(),
    functionArn: z.string(),
    condition: z.string(),
    approximateInvokeCount: z.number(),
  }),
  requestPayload: z.unknown(),
  responseContext: z.looseObject({ functionError: z.string().optional() }).optional(),
  responsePayload: z
    .looseObject({ errorType: z.string().optional(), errorMessage: z.string().optional() })
    .nullish(),
});

const CONDITIONS: Readonly<Record<string, string>> = {
  RetriesExhausted: 'the function failed on every attempt',
  EventAgeExceeded: 'the event grew older than the maximum event age before it could run',
};

/** A parked message, decoded: what `dlq list` shows and what `dlq redrive` re-invokes. */
export interface ParkedMessage {
  readonly item: DlqItem;
  /** The function to re-invoke (name or ARN), or undefined when the message is not one we can redrive. */
  readonly target?: string;
  /** The original event. */
  readonly payload: unknown;
  readonly receiptHandle?: string;
}

/** `my-fn` from `arn:aws:lambda:eu-west-1:123456789012:function:my-fn[:qualifier]`. */
export function functionNameOf(arn: string): string {
  const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(arn);
  return match?.[1] ?? arn;
}

function sentAt(message: Message): string | undefined {
  const ms = Number(message.Attributes?.SentTimestamp);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

function attribute(message: Message, name: string): string | undefined {
  return message.MessageAttributes?.[name]?.StringValue;
}

/**
 * Decodes one dead-letter queue message, in either shape the pipeline parks events: a Lambda
 * on-failure destination record (`requestPayload`, `responsePayload.errorMessage`), or an
 * EventBridge rule DLQ message (the raw event, with `ERROR_CODE`, `ERROR_MESSAGE`, `TARGET_ARN`
 * attributes). Anything else is listed as `UNKNOWN_MESSAGE` and never redriven.
 */
export function decodeDlqMessage(message: Message): ParkedMessage {
  const id = message.MessageId ?? '';
  const receipt = message.ReceiptHandle ? { receiptHandle: message.ReceiptHandle } : {};
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    body = message.Body;
  }
  const destination = DestinationRecordSchema.safeParse(body);
  if (destination.success) {
    const record = destination.data;
    const arn = record.requestContext.functionArn;
    const condition = record.requestContext.condition;
    return {
      item: {
        id,
        function: functionNameOf(arn),
        event: record.requestPayload,
        error: {
          type: record.responsePayload?.errorType ?? condition,
          message: record.responsePayload?.errorMessage ?? CONDITIONS[condition] ?? condition,
        },
        attempts: record.requestContext.approximateInvokeCount,
        failedAt: record.timestamp,
      },
      target: arn,
      payload: record.requestPayload,
      ...receipt,
    };
  }
  const targetArn = attribute(message, 'TARGET_ARN');
  if (targetArn) {
    const failedAt = sentAt(message);
    return {
      item: {
        id,
        function: functionNameOf(targetArn),
        event: body,
        error: {
          type: attribute(message, 'ERROR_CODE') ?? 'EventBridgeDeliveryFailed',
          message: attribute(message, 'ERROR_MESSAGE') ?? 'EventBridge could not deliver the event',
        },
        ...(failedAt ? { failedAt } : {}),
      },
      target: targetArn,
      payload: body,
      ...receipt,
    };
  }
  const failedAt = sentAt(message);
  return {
    item: {
      id,
      function: 'unknown',
      event: body,
      error: {
        type: 'UNKNOWN_MESSAGE',
        message: 'neither a Lambda destination record nor an EventBridge DLQ message',
      },
      ...(failedAt ? { failedAt } : {}),
    },
    payload: body,
    ...receipt,
  };
}

async function receive(sqs: SQSClient, queueUrl: string, visibilitySeconds: number): Promise<Message[]> {
  try {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: visibilitySeconds,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      }),
    );
    return out.Messages ?? [];
  } catch (error) {
    throw fromAwsError(error, `reading the dead-letter queue ${queueUrl}`);
  }
}

/** Rounds in a row that bring nothing new before we take the queue as read (SQS samples its servers). */
const QUIET_ROUNDS = 3;

/**
 * Lists the queue without taking anything: every receive uses a visibility timeout of 0, so the
 * messages stay visible to everyone else, and rounds repeat until a few bring nothing new.
 */
export async function listAwsDlq(sqs: SQSClient, queueUrl: string, max = 1000): Promise<DlqItem[]> {
  const seen = new Map<string, DlqItem>();
  for (let quiet = 0; quiet < QUIET_ROUNDS && seen.size < max;) {
    const before = seen.size;
    for (const message of await receive(sqs, queueUrl, 0)) {
      const parked = decodeDlqMessage(message);
      if (!seen.has(parked.item.id)) seen.set(parked.item.id, parked.item);
    }
    quiet = seen.size === before ? quiet + 1 : 0;
  }
  return [...seen.values()].sort((a, b) => (a.failedAt ?? '').localeCompare(b.failedAt ?? ''));
}

export interface RedriveResult {
  readonly redriven: number;
  readonly failed: readonly { id: string; code: string; message: string }[];
}

/**
 * Re-invokes parked events (all, or those `ids`) asynchronously with their original payload, and
 * deletes each message only after Lambda accepted the invocation: a failure leaves it in the queue.
 * Messages not chosen are released at once (visibility back to 0).
 */
export async function redriveAwsDlq(
  sqs: SQSClient,
  lambda: LambdaClient,
  queueUrl: string,
  ids?: readonly string[],
): Promise<RedriveResult> {
  const wanted = ids ? new Set(ids) : undefined;
  const handled = new Set<string>();
  const failed: { id: string; code: string; message: string }[] = [];
  let redriven = 0;
  const release = (handle: string) =>
    sqs
      .send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: handle,
          VisibilityTimeout: 0,
        }),
      )
      .catch(() => undefined);
  // A round that handles nothing new is quiet: messages we skip or could not redrive are released
  // at once and will be received again.
  for (let quiet = 0; quiet < QUIET_ROUNDS;) {
    if (wanted && [...wanted].every((id) => handled.has(id))) break;
    let progressed = false;
    for (const message of await receive(sqs, queueUrl, 300)) {
      const parked = decodeDlqMessage(message);
      const id = parked.item.id;
      const handle = parked.receiptHandle;
      if (!handle) continue;
      if ((wanted && !wanted.has(id)) || handled.has(id)) {
        await release(handle);
        continue;
      }
      handled.add(id);
      progressed = true;
      if (!parked.target) {
        failed.push({ id, code: parked.item.error.type, message: parked.item.error.message });
        await release(handle);
        continue;
      }
      try {
        await invokeAsync(lambda, parked.target, parked.payload);
      } catch (error) {
        const { code, message: text } = describeError(error);
        failed.push({ id, code, message: text });
        await release(handle);
        continue;
      }
      try {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: handle }));
      } catch (error) {
        // The event was re-invoked; if the message comes back it may run twice, which the row rules make safe.
        const { code, message: text } = describeError(fromAwsError(error, `deleting redriven message ${id}`));
        failed.push({ id, code, message: text });
      }
      redriven += 1;
    }
    quiet = progressed ? 0 : quiet + 1;
  }
  for (const id of wanted ?? []) {
    if (!handled.has(id))
      failed.push({ id, code: 'NOT_FOUND', message: `no message ${id} in the dead-letter queue` });
  }
  return { redriven, failed };
}
