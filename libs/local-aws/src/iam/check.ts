import type { RequestCheck, ServiceCall } from '../edge/extensions';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '@imgpipe/core';
import { dynamoDbAuthorization } from './dynamodb-actions';
import type { IamEnforcer, RequestAuthorization } from './enforcer';
import { s3Authorization } from './s3-actions';

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** What IAM authorizes for a call, mapped from the request itself (the edge's own `actions` are per operation). */
function authorizationOf(call: ServiceCall): RequestAuthorization {
  if (call.service === 'dynamodb')
    return dynamoDbAuthorization(call.operation, parseJson(call.body), LOCAL_REGION, LOCAL_ACCOUNT);
  const { headers } = call.req;
  const copySource = headers['x-amz-copy-source'];
  return s3Authorization({
    method: (call.req.method ?? 'GET').toUpperCase(),
    ...(call.target.bucket === undefined ? {} : { bucket: call.target.bucket }),
    ...(call.target.key === undefined ? {} : { key: call.target.key }),
    query: call.target.query,
    ...(typeof copySource === 'string' ? { copySource } : {}),
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
    const verdict = enforcer.authorize(call.accessKeyId, call.service, authorizationOf(call));
    if (verdict.allowed) return undefined;
    return call.service === 's3'
      ? { status: 403, code: 'AccessDenied', message: verdict.message }
      : { status: 400, code: 'AccessDeniedException', message: verdict.message };
  };
}
