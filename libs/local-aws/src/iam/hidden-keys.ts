import type { S3OperationHandler } from '../edge/extensions';
import { sendS3Error } from '../edge/s3/xml';
import type { IamEnforcer } from './enforcer';

/**
 * S3 tells only callers allowed `s3:ListBucket` on the bucket that a key does not exist: a `GetObject` or
 * `HeadObject` of a missing key answers them 404 `NoSuchKey`, everyone else 403 `AccessDenied`. This handler
 * gives a function's requests the same answer, so a policy that drops `s3:ListBucket` turns the functions'
 * "object gone: the event is stale" into the errors it would be on AWS. Other signers are untouched.
 * @example startLocalStack({ ... }) // built in: handlers: [hiddenMissingKeys(iam), ...]
 */
export function hiddenMissingKeys(enforcer: IamEnforcer): S3OperationHandler {
  return (call, res, context) => {
    const { bucket, key, rawPath } = call.target;
    if (bucket === undefined || key === undefined) return false;
    if (call.operation !== 'GetObject' && call.operation !== 'HeadObject') return false;
    if (enforcer.functionOf(call.accessKeyId) === undefined) return false;
    const listing = {
      action: 's3:ListBucket',
      resource: `arn:aws:s3:::${bucket}`,
      context: { 's3:prefix': [key] },
    };
    if (enforcer.allows(call.accessKeyId, listing)) return false;
    if (context.objectExists(bucket, key)) return false;
    call.req.resume();
    sendS3Error(res, 403, 'AccessDenied', 'Access Denied', rawPath);
    return true;
  };
}
