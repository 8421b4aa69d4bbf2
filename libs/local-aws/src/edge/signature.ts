import type { IncomingMessage } from 'node:http';

const HEADER_CREDENTIAL = /Credential=([^/,\s]+)\//;

/**
 * The SigV4 access key id of a request: from `Authorization: AWS4-HMAC-SHA256 Credential=<id>/...` or a
 * presigned URL's `X-Amz-Credential=<id>/...`. The edge does not verify signatures (any key is the
 * account's administrator locally); it only needs to know who claims to call.
 */
export function accessKeyIdOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const authorization = req.headers['authorization'];
  if (typeof authorization === 'string') {
    const match = HEADER_CREDENTIAL.exec(authorization);
    if (match?.[1]) return match[1];
    // Signature V2 (`AWS <id>:<signature>`), which old clients still send.
    const v2 = /^AWS ([^:\s]+):/.exec(authorization);
    if (v2?.[1]) return v2[1];
  }
  const credential = query.get('X-Amz-Credential');
  if (credential) return credential.split('/')[0] || undefined;
  return undefined;
}
