import { randomUUID } from 'node:crypto';

/** The fields of the Lambda Node.js runtime's `context` the functions (and Powertools) read. */
export interface LambdaContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

export interface LambdaContextInput {
  readonly functionName?: string;
  readonly memoryMb?: number;
  readonly requestId?: string;
  /** Epoch ms when the invocation times out; default 60 s from now. */
  readonly deadline?: number;
  readonly region?: string;
  readonly account?: string;
}

/**
 * The one fake Lambda context: the local stack's workers, the bundle runner and in-process tests all
 * hand this to a handler.
 * @example await handler(event, createLambdaContext({ functionName: 'resize' }));
 */
export function createLambdaContext(input: LambdaContextInput = {}): LambdaContext {
  const functionName = input.functionName ?? 'test';
  const deadline = input.deadline ?? Date.now() + 60_000;
  const region = input.region ?? 'us-east-1';
  const account = input.account ?? '000000000000';
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
    memoryLimitInMB: String(input.memoryMb ?? 1024),
    awsRequestId: input.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
