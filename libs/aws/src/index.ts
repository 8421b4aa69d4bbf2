export * from './clients';
export * from './dynamo-control-table';
export * from './dynamo-image-table';
export * from './s3-object-store';
export * from './lambda';
