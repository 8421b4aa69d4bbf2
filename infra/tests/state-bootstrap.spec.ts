import { BucketAlreadyOwnedByYou } from '@aws-sdk/client-s3';
import { backendExports, bootstrapStateBucket, stateBucketPolicy } from '../src/state-bootstrap';
import { readAppSettings } from '../src/settings';

/** An S3 client that records each command's name and input and answers CreateBucket with `create`. */
function recordingS3(create: () => Promise<unknown> = () => Promise.resolve({})) {
  const sent: [string, Record<string, unknown>][] = [];
  const s3 = {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push([command.constructor.name, command.input]);
      return command.constructor.name === 'CreateBucketCommand' ? create() : Promise.resolve({});
    },
  } as unknown as Parameters<typeof bootstrapStateBucket>[0];
  return { s3, sent };
}

describe('bootstrapStateBucket', () => {
  it('creates a private, owner-enforced, encrypted, versioned, TLS-only bucket in the region', async () => {
    const { s3, sent } = recordingS3();
    const steps = await bootstrapStateBucket(s3, { bucket: 'acme-imgpipe-tfstate', region: 'eu-west-1' });
    expect(steps).toEqual([
      'created',
      'public access blocked',
      'owner enforced',
      'encrypted',
      'versioned',
      'TLS only',
    ]);
    expect(sent).toEqual([
      [
        'CreateBucketCommand',
        {
          Bucket: 'acme-imgpipe-tfstate',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
          ObjectOwnership: 'BucketOwnerEnforced',
        },
      ],
      [
        'PutPublicAccessBlockCommand',
        {
          Bucket: 'acme-imgpipe-tfstate',
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        },
      ],
      [
        'PutBucketOwnershipControlsCommand',
        {
          Bucket: 'acme-imgpipe-tfstate',
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        },
      ],
      [
        'PutBucketEncryptionCommand',
        {
          Bucket: 'acme-imgpipe-tfstate',
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
        },
      ],
      [
        'PutBucketVersioningCommand',
        { Bucket: 'acme-imgpipe-tfstate', VersioningConfiguration: { Status: 'Enabled' } },
      ],
      [
        'PutBucketPolicyCommand',
        {
          Bucket: 'acme-imgpipe-tfstate',
          Policy: JSON.stringify(stateBucketPolicy({ bucket: 'acme-imgpipe-tfstate', region: 'eu-west-1' })),
        },
      ],
    ]);
  });

  it('names no location in us-east-1 (S3 refuses it there)', async () => {
    const { s3, sent } = recordingS3();
    await bootstrapStateBucket(s3, { bucket: 'acme-tfstate', region: 'us-east-1' });
    expect(sent[0]?.[1]).not.toHaveProperty('CreateBucketConfiguration');
  });

  it('re-applies the settings to a bucket it already owns (idempotent)', async () => {
    const { s3 } = recordingS3(() =>
      Promise.reject(new BucketAlreadyOwnedByYou({ message: 'yours', $metadata: {} })),
    );
    expect((await bootstrapStateBucket(s3, { bucket: 'acme-tfstate', region: 'eu-west-1' }))[0]).toBe(
      'already yours',
    );
  });

  it('lets any other error through (a name another account took)', async () => {
    const taken = Object.assign(new Error('The requested bucket name is not available'), {
      name: 'BucketAlreadyExists',
    });
    const { s3, sent } = recordingS3(() => Promise.reject(taken));
    await expect(bootstrapStateBucket(s3, { bucket: 'acme-tfstate', region: 'eu-west-1' })).rejects.toBe(
      taken,
    );
    expect(sent).toHaveLength(1);
  });

  it('denies non-TLS requests in the partition given', () => {
    expect(stateBucketPolicy({ bucket: 'b-state', region: 'cn-north-1', partition: 'aws-cn' })).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: ['arn:aws-cn:s3:::b-state', 'arn:aws-cn:s3:::b-state/*'],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  });

  it('prints the settings that put every stack state in the bucket', () => {
    const exports = backendExports({ bucket: 'acme-tfstate', region: 'eu-west-1' });
    const env = Object.fromEntries(
      exports.split('\n').map((line) => line.replace(/^export /, '').split('=') as [string, string]),
    );
    expect(readAppSettings(env).backend).toEqual({
      kind: 's3',
      bucket: 'acme-tfstate',
      region: 'eu-west-1',
      keyPrefix: 'imgpipe',
    });
  });
});
