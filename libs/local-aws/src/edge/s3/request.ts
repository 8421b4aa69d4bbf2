import type { IncomingMessage } from 'node:http';
import type { Refusal, S3Call, S3Target } from '../extensions';
import { accessKeyIdOf } from '../signature';
import { type KeyRejection, validateBucketName, validateKey, validateUploadId } from './keys';
import { s3OperationName } from './operation';

/** Splits a path-style S3 URL into bucket, key and query (decoded). */
export function parseTarget(url: string): S3Target | KeyRejection {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const slash = rawPath.indexOf('/', 1);
  try {
    const bucket = decodeURIComponent(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
    const key = slash < 0 ? undefined : decodeURIComponent(rawPath.slice(slash + 1));
    return { ...(bucket ? { bucket } : {}), ...(key ? { key } : {}), rawPath, query };
  } catch {
    return { status: 400, code: 'InvalidURI', message: 'Could not parse the specified URI.' };
  }
}

function validate(req: IncomingMessage, target: S3Target): KeyRejection | undefined {
  if (target.bucket !== undefined) {
    const bad = validateBucketName(target.bucket);
    if (bad) return bad;
  }
  if (target.key !== undefined) {
    const bad = validateKey(target.key);
    if (bad) return bad;
  }
  const uploadId = target.query.get('uploadId');
  if (uploadId !== null) {
    const bad = validateUploadId(uploadId);
    if (bad) return bad;
  }
  const copySource = req.headers['x-amz-copy-source'];
  if (typeof copySource === 'string') {
    const parsed = parseTarget(`/${copySource.replace(/^\//, '').split('?')[0] ?? ''}`);
    if ('status' in parsed) return parsed;
    if (!parsed.bucket || !parsed.key)
      return {
        status: 400,
        code: 'InvalidArgument',
        message: 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey.',
      };
    return validate({ headers: {} } as IncomingMessage, parsed);
  }
  return undefined;
}

/**
 * Parses and validates an S3 request into the call the edge's checks see (access key id, operation,
 * target); a refusal when the path, a key or an upload id is something the local S3 refuses.
 */
export function describeS3Call(req: IncomingMessage): S3Call | Refusal {
  const target = parseTarget(req.url ?? '/');
  if ('status' in target) return target;
  const rejection = validate(req, target);
  if (rejection) return rejection;
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    service: 's3',
    accessKeyId: accessKeyIdOf(req, target.query),
    operation: s3OperationName(method, target, typeof req.headers['x-amz-copy-source'] === 'string'),
    target,
    req,
  };
}
