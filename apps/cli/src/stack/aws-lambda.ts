import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import { fromAwsError, StackRequestError } from './errors';

/** Sends one invocation of `fn` with `payload` as JSON; an AWS error becomes the CLI's typed error. */
async function invoke(
  lambda: LambdaClient,
  fn: string,
  payload: unknown,
  type: 'RequestResponse' | 'Event',
): Promise<InvokeCommandOutput> {
  try {
    return await lambda.send(
      new InvokeCommand({
        FunctionName: fn,
        InvocationType: type,
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
  } catch (error) {
    throw fromAwsError(error, `invoking ${fn}`);
  }
}

/** Invokes `fn` and waits for its answer; a function error becomes a typed error with its type and message. */
export async function invokeSync(lambda: LambdaClient, fn: string, payload: unknown): Promise<unknown> {
  const out = await invoke(lambda, fn, payload, 'RequestResponse');
  const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (out.FunctionError) {
    const e = body as { errorType?: unknown; errorMessage?: unknown } | undefined;
    const detail =
      typeof e?.errorMessage === 'string' ? `${String(e.errorType ?? 'Error')}: ${e.errorMessage}` : text;
    throw new StackRequestError('FUNCTION_ERROR', `${fn} failed: ${detail}`, { retryable: true });
  }
  return body;
}

/**
 * Queues an asynchronous invocation of `fn` (`InvocationType: 'Event'`): Lambda's own retries and
 * on-failure destination then apply, as for an event from EventBridge. Resolves once Lambda accepted it.
 */
export async function invokeAsync(lambda: LambdaClient, fn: string, payload: unknown): Promise<void> {
  const out = await invoke(lambda, fn, payload, 'Event');
  if (out.StatusCode !== 202) {
    throw new StackRequestError(
      'INVOKE_NOT_ACCEPTED',
      `Lambda did not accept the event for ${fn} (HTTP ${String(out.StatusCode)})`,
      { retryable: true },
    );
  }
}
