import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { Testing } from 'cdktf';
import { UploadCors } from '../src/constructs/upload-cors';

describe('UploadCors', () => {
  it('lets only the configured origins POST uploads and read the answer', () => {
    const synth = Testing.synthScope((scope) => {
      const bucket = new S3Bucket(scope, 'source', { bucket: 'imgpipe-test-source' });
      new UploadCors(scope, 'cors', {
        bucket,
        origins: ['https://app.example.com', 'http://localhost:5173'],
      });
    });
    expect(synth).toHaveResourceWithProperties(S3BucketCorsConfiguration, {
      bucket: '${aws_s3_bucket.source.id}',
      cors_rule: [
        {
          id: 'browser-uploads',
          allowed_methods: ['POST'],
          allowed_origins: ['https://app.example.com', 'http://localhost:5173'],
          allowed_headers: ['*'],
          expose_headers: ['ETag', 'Location'],
          max_age_seconds: 3000,
        },
      ],
    });
  });
});
