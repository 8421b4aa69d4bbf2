export {
  CloudFrontCdnCache,
  invalidationBatches,
  INVALIDATION_LIMITS,
  type CloudFrontCdnCacheOptions,
} from './cloudfront-cdn-cache';
export { createAwsClients, type AwsClients } from './clients';
export { DynamoControlTable } from './dynamo-control-table';
export { DynamoImageTable } from './dynamo-image-table';
export { DeleteObjectsError, isAwsError } from './errors';
export { S3ObjectStore } from './s3-object-store';
export { DynamoImageIndex } from './dynamo-image-index';
export { createPresigningS3Client, S3UploadSigner } from './s3-upload-signer';
