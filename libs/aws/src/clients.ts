import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The SDK clients one function uses, created once per cold start. */
export interface AwsClients {
  readonly s3: S3Client;
  readonly dynamo: DynamoDBDocumentClient;
}

/**
 * The SDK's logger middleware, on every request, copies the input and the output through the schemas to
 * mask sensitive fields, and then hands them to the client's logger, which is a no-op unless one is
 * configured (none is here: functions log through Powertools). Removed, the requests are the same.
 */
const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

/**
 * Creates the clients of function `fn`. Endpoint, region and credentials come from the SDK's own
 * environment handling (`AWS_ENDPOINT_URL`, `AWS_REGION`, ...), so the same code runs on AWS and
 * against the local stack. Every client is tagged `imgpipe-fn/<fn>` (the local stack's fault
 * injection keys on it), and S3 goes path-style whenever a custom endpoint is configured.
 *
 * S3 flexible checksums only where an operation requires one (`WHEN_REQUIRED`, e.g. DeleteObjects):
 * by default the SDK adds a CRC32 to every PutObject and checks a checksum of every GetObject body that
 * S3 returns one for (on AWS, a CRC64NVME of every source, computed in JavaScript: about 1.5 ms per MB
 * per function). The bytes stay protected without them: a PutObject's SigV4 signature covers the
 * SHA-256 of its body (`x-amz-content-sha256`), which S3 checks, and every request to AWS goes over TLS,
 * whose authenticated records refuse altered bytes in transit; a download is also pinned to the version
 * the event names (`If-Match`). Measured in docs/benchmarks.md ("End to end (issue 11)", third pass).
 *
 * Not `cacheMiddleware: true`, though it saves resolving the middleware stack on every request
 * (0.17 ms CPU per S3 request): the cached handler shares one request context per command class, so
 * requests in flight together (resize's three variant uploads) overwrite each other's resolved
 * endpoint, and concurrent PutObjects to several buckets all went to one of them (tested). The DynamoDB
 * document client refuses the option outright (docs/benchmarks.md, "Fifth pass: the functions").
 */
export function createAwsClients(fn: string, env: Readonly<Record<string, string | undefined>>): AwsClients {
  const customUserAgent = `imgpipe-fn/${fn}`;
  const customEndpoint = Boolean(env['AWS_ENDPOINT_URL'] || env['AWS_ENDPOINT_URL_S3']);
  const s3 = new S3Client({
    customUserAgent,
    forcePathStyle: customEndpoint,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  s3.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  const base = new DynamoDBClient({ customUserAgent });
  base.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  const dynamo = DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  return { s3, dynamo };
}
