import type { DynamoDbRequest } from '../../src/emulators/dynamodb-thread';

/**
 * A DynamoDB JSON-API request as the edge hands it to dynalite's thread: signed headers (dynalite checks
 * their presence, not the signature) and the document as its JSON body.
 */
export function dynamoDbCall(
  operation: string,
  document: unknown,
  headers: Record<string, string> = {},
): DynamoDbRequest {
  return {
    method: 'POST',
    url: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      'x-amz-date': '20261127T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc',
      ...headers,
    },
    body: JSON.stringify(document),
  };
}
