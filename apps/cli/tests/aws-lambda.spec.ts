import type { InvokeCommand, InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { invokeAsync, invokeSync } from '../src/stack/aws-lambda';
import { StackRequestError } from '../src/stack/errors';

/** A Lambda client that records what it is sent and answers `answer` (or throws it when it is an Error). */
function fakeLambda(answer: Partial<InvokeCommandOutput> | Error): {
  lambda: LambdaClient;
  sent: { FunctionName?: string; InvocationType?: string; payload: unknown }[];
} {
  const sent: { FunctionName?: string; InvocationType?: string; payload: unknown }[] = [];
  const lambda = {
    send: async (command: InvokeCommand) => {
      const { FunctionName, InvocationType, Payload } = command.input;
      sent.push({
        FunctionName,
        InvocationType,
        payload: JSON.parse(Buffer.from(Payload as Uint8Array).toString('utf8')),
      });
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as LambdaClient;
  return { lambda, sent };
}

/** A JSON payload as the SDK hands it back (its blob adapter is a Uint8Array; the code reads only the bytes). */
const json = (value: unknown) =>
  Buffer.from(JSON.stringify(value)) as unknown as InvokeCommandOutput['Payload'];

describe('invokeSync', () => {
  it('sends a RequestResponse invocation with the JSON payload and answers the parsed body', async () => {
    const { lambda, sent } = fakeLambda({ StatusCode: 200, Payload: json({ repaired: 2 }) });
    await expect(invokeSync(lambda, 'imgpipe-dev-reconcile', { source: 'cli' })).resolves.toEqual({
      repaired: 2,
    });
    expect(sent).toEqual([
      {
        FunctionName: 'imgpipe-dev-reconcile',
        InvocationType: 'RequestResponse',
        payload: { source: 'cli' },
      },
    ]);
  });

  it("turns a function error into FUNCTION_ERROR with the function's error type and message", async () => {
    const { lambda } = fakeLambda({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: json({ errorType: 'AccessDeniedException', errorMessage: 'no BatchGetItem' }),
    });
    const error = await invokeSync(lambda, 'f', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StackRequestError);
    expect(error).toMatchObject({
      code: 'FUNCTION_ERROR',
      message: 'f failed: AccessDeniedException: no BatchGetItem',
      retryable: true,
    });
  });
});

describe('invokeAsync', () => {
  it('sends an Event invocation and resolves once Lambda accepted it (202)', async () => {
    const { lambda, sent } = fakeLambda({ StatusCode: 202 });
    await expect(invokeAsync(lambda, 'imgpipe-dev-resize', { id: 'e1' })).resolves.toBeUndefined();
    expect(sent).toEqual([
      { FunctionName: 'imgpipe-dev-resize', InvocationType: 'Event', payload: { id: 'e1' } },
    ]);
  });

  it('answers INVOKE_NOT_ACCEPTED for another status, and the AWS error by its name when the call fails', async () => {
    await expect(invokeAsync(fakeLambda({ StatusCode: 200 }).lambda, 'f', {})).rejects.toMatchObject({
      code: 'INVOKE_NOT_ACCEPTED',
    });
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    await expect(invokeAsync(fakeLambda(denied).lambda, 'f', {})).rejects.toMatchObject({
      code: 'AccessDeniedException',
      message: 'invoking f: not authorized',
    });
  });
});
