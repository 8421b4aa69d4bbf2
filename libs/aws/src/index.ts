export * from './clients';
export * from './dynamo-control-table';
export * from './dynamo-image-table';
export * from './s3-object-store';
export * from './lambda';
export { DynamoImageIndex } from './dynamo-image-index';
export { createPresigningS3Client, S3UploadSigner } from './s3-upload-signer';
