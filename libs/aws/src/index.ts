export { createAwsClients, type AwsClients } from './clients';
export { DynamoControlTable } from './dynamo-control-table';
export { DynamoImageTable } from './dynamo-image-table';
export { DeleteObjectsError, isAwsError } from './errors';
export { S3ObjectStore } from './s3-object-store';
