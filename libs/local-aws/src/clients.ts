import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_REGION } from '@imgpipe/core';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** An S3 client for a local endpoint (path style, any credentials). */
export function s3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: LOCAL_REGION, credentials, forcePathStyle: true, maxAttempts: 3 });
}

/** A DynamoDB document client for a local endpoint. */
export function documentClient(endpoint: string): { raw: DynamoDBClient; doc: DynamoDBDocumentClient } {
  const raw = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials, maxAttempts: 3 });
  return { raw, doc: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }) };
}
