import type { IncomingHttpHeaders } from 'node:http';

/** Who signed a request, as far as the edge needs to know (it does not verify signatures). */
export interface SigningCredential {
  readonly accessKeyId: string;
  /** The credential scope's region (SigV4 only). */
  readonly region?: string;
  /** The credential scope's service (SigV4 only). */
  readonly service?: string;
}

/** `AKID/20260101/us-east-1/s3/aws4_request` → its parts. */
function fromScope(credential: string): SigningCredential | undefined {
  const [accessKeyId, , region, service] = credential.split('/');
  if (!accessKeyId) return undefined;
  return { accessKeyId, ...(region ? { region } : {}), ...(service ? { service } : {}) };
}

/**
 * The credential a request is signed with: SigV4 in the `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, ...`) or in a presigned URL's
 * `X-Amz-Credential`, and SigV2 (`AWS AKID:signature`, presigned `AWSAccessKeyId`). Undefined when unsigned.
 * @example signingCredential({ authorization: 'AWS4-HMAC-SHA256 Credential=imgpipe-resize/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' }, '/')
 */
export function signingCredential(headers: IncomingHttpHeaders, url: string): SigningCredential | undefined {
  const authorization = headers['authorization'];
  if (typeof authorization === 'string') {
    const v4 = /^AWS4-[A-Z0-9-]+\s+(?:.*[\s,])?Credential=([^,\s]+)/.exec(authorization);
    if (v4?.[1]) return fromScope(v4[1]);
    const v2 = /^AWS\s+([^:\s]+):/.exec(authorization);
    if (v2?.[1]) return { accessKeyId: v2[1] };
  }
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const query = new URLSearchParams(url.slice(q + 1));
  const presigned = query.get('X-Amz-Credential');
  if (presigned) return fromScope(presigned);
  const v2 = query.get('AWSAccessKeyId');
  return v2 ? { accessKeyId: v2 } : undefined;
}
