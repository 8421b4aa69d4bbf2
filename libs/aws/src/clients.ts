import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The SDK clients one function uses, created once per cold start. */
export interface AwsClients {
  readonly s3: S3Client;
  readonly dynamo: DynamoDBDocumentClient;
}

/**
 * Creates the clients of function `fn`. Endpoint, region and credentials come from the SDK's own
 * environment handling (`AWS_ENDPOINT_URL`, `AWS_REGION`, ...), so the same code runs on AWS and
 * against the local stack. Every client is tagged `imgpipe-fn/<fn>` (the local stack's fault
 * injection keys on it), and S3 goes path-style whenever a custom endpoint is configured.
 * @example const clients = createAwsClients('resize', process.env);
 */
export function createAwsClients(fn: string, env: Readonly<Record<string, string | undefined>>): AwsClients {
  const customUserAgent = `imgpipe-fn/${fn}`;
  const customEndpoint = Boolean(env['AWS_ENDPOINT_URL'] || env['AWS_ENDPOINT_URL_S3']);
  const s3 = new S3Client({ customUserAgent, forcePathStyle: customEndpoint });
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ customUserAgent }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  return { s3, dynamo };
}
