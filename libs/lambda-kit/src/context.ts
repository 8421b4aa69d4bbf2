/** The part of the Lambda context the handlers use (the local stack passes the same fields). */
export interface LambdaContext {
  readonly awsRequestId: string;
  readonly functionName?: string;
  readonly invokedFunctionArn?: string;
  getRemainingTimeInMillis(): number;
}
