import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { Construct } from 'constructs';

export interface UploadCorsProps {
  /** The source bucket browsers POST uploads to. */
  readonly bucket: S3Bucket;
  /** Web origins allowed to upload (`https://app.example.com`); at least one. */
  readonly origins: readonly string[];
}

/**
 * CORS on the source bucket for browser uploads by presigned POST from the configured origins only:
 * `POST` with any form-data headers the browser sends; the response exposes `ETag` and `Location`
 * (the object's address after `success_action_status` 201). The POST policy, not CORS, decides what
 * may be stored: CORS only lets the page read the answer.
 */
export class UploadCors extends Construct {
  readonly cors: S3BucketCorsConfiguration;

  constructor(scope: Construct, id: string, props: UploadCorsProps) {
    super(scope, id);
    this.cors = new S3BucketCorsConfiguration(this, 'cors', {
      bucket: props.bucket.id,
      corsRule: [
        {
          id: 'browser-uploads',
          allowedMethods: ['POST'],
          allowedOrigins: [...props.origins],
          allowedHeaders: ['*'],
          exposeHeaders: ['ETag', 'Location'],
          maxAgeSeconds: 3000,
        },
      ],
    });
  }
}
