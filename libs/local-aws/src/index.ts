export { startLocalStack, type LocalStack, type MetricsDocument } from './stack';
export { findRepoRoot, type LocalStackOptions, resolveOptions } from './options';
export { LocalStackError, type LocalStackErrorCode, StackPhaseError, type StackPhaseName } from './errors';
export { matchesPattern, matchesWildcard } from './events/pattern';
export { Sequencer } from './events/sequencer';
export { s3Event, type S3Change, type S3EventBridgeEvent } from './events/s3-event';
export { decodeAwsChunked } from './edge/s3/aws-chunked';
export { validateKey, MAX_KEY_BYTES } from './edge/s3/keys';
export type {
  DynamoDbCall,
  EdgeExtensions,
  EdgeRoute,
  Refusal,
  RequestCheck,
  S3Call,
  S3HandlerContext,
  S3OperationHandler,
  S3Target,
  ServiceCall,
} from './edge/extensions';
export type { DlqEntry, InvocationError, InvocationOutcome } from './runtime/types';
export type { InvocationReport } from './runtime/function-runtime';
export {
  functionAccessKeyId,
  IamEnforcer,
  type IamDecision,
  type IamEnforcerOptions,
  type IamVerdict,
} from './iam/enforcer';
export { iamCheck, requestAuthorization } from './iam/check';
/** A function worker's environment, as the stack gives it (the bench runs handlers against a stack with it). */
export { workerEnvironment } from './function-env';
/** API Gateway's stage throttle as the local HTTP API applies it (the bench paces its API loop against it). */
export { TokenBucket } from './http/throttle';
