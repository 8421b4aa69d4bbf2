import type { RequestCheck, ServiceCall } from '../edge/extensions';
import type { DeleteKeyCheck } from '../edge/s3/router';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '@imgpipe/core';
import { dynamoDbAuthorization } from './dynamodb-actions';
import type { IamEnforcer, RequestAuthorization } from './enforcer';
import { s3Authorization } from './s3-actions';

/**
 * What IAM authorizes for a call the edge decoded: the operation and each action on a resource, with
 * the request's condition keys. The one home of "which actions and resources does this request need".
 * @example requestAuthorization(call).requests // [{ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }]
 */
export function requestAuthorization(call: ServiceCall): RequestAuthorization {
  if (call.service === 'dynamodb')
    return dynamoDbAuthorization(call.operation, call.document, LOCAL_REGION, LOCAL_ACCOUNT);
  const { headers } = call.req;
  const copySource = headers['x-amz-copy-source'];
  const ifMatch = headers['if-match'];
  return s3Authorization({
    operation: call.operation,
    method: (call.req.method ?? 'GET').toUpperCase(),
    ...(call.target.bucket === undefined ? {} : { bucket: call.target.bucket }),
    ...(call.target.key === undefined ? {} : { key: call.target.key }),
    query: call.target.query,
    ...(typeof copySource === 'string' ? { copySource } : {}),
    ...(typeof ifMatch === 'string' && call.operation === 'DeleteObject' ? { ifMatch } : {}),
    setsTagging: headers['x-amz-tagging'] !== undefined,
    setsAcl: Object.keys(headers).some((h) => h === 'x-amz-acl' || h.startsWith('x-amz-grant-')),
  });
}

/**
 * The edge check that enforces each function's IAM policy: a request signed `imgpipe-<function>`
 * that the policy does not allow is refused as AWS refuses it (S3: 403 `AccessDenied`; DynamoDB:
 * 400 `AccessDeniedException`); any other signer passes.
 * @example createEdgeServer({ ..., extensions: { checks: [iamCheck(new IamEnforcer({ pipeline, region, account }))] } })
 */
export function iamCheck(enforcer: IamEnforcer): RequestCheck {
  return (call) => {
    if (enforcer.functionOf(call.accessKeyId) === undefined) return undefined;
    // Its keys are in the body: `iamDeleteCheck` authorizes them one by one, as AWS does.
    if (call.service === 's3' && call.operation === 'DeleteObjects') return undefined;
    const verdict = enforcer.authorize(call.accessKeyId, call.service, requestAuthorization(call));
    if (verdict.allowed) return undefined;
    return call.service === 's3'
      ? { status: 403, code: 'AccessDenied', message: verdict.message }
      : { status: 400, code: 'AccessDeniedException', message: verdict.message };
  };
}

/**
 * IAM's per-key authorization of a multi-object delete (the local S3 asks it for each key of the body):
 * a function may delete a key when its policy allows `s3:DeleteObject` on it (`s3:DeleteObjectVersion`
 * for a version; a delete conditioned on the key's `<ETag>` also needs `s3:GetObject`); a refused key answers `AccessDenied` inside the `DeleteResult` and the others go.
 * @example createS3Edge({ ..., deleteCheck: iamDeleteCheck(enforcer) })
 */
export function iamDeleteCheck(enforcer: IamEnforcer): DeleteKeyCheck {
  return (call, key, versionId, etag) => {
    if (enforcer.functionOf(call.accessKeyId) === undefined || call.target.bucket === undefined)
      return undefined;
    const authorization = s3Authorization({
      operation: 'DeleteObjects',
      method: 'POST',
      bucket: call.target.bucket,
      query: call.target.query,
      deleteKeys: [
        { key, ...(versionId === undefined ? {} : { versionId }), ...(etag === undefined ? {} : { etag }) },
      ],
    });
    const verdict = enforcer.authorize(call.accessKeyId, 's3', authorization);
    return verdict.allowed ? undefined : { status: 403, code: 'AccessDenied', message: 'Access Denied' };
  };
}
