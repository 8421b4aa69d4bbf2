import { signingCredential } from '../../../src/iam/sigv4';

describe('signingCredential', () => {
  it('reads the SigV4 credential scope from the Authorization header', () => {
    const authorization =
      'AWS4-HMAC-SHA256 Credential=imgpipe-resize/20261127/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
    expect(signingCredential({ authorization }, '/b/k')).toEqual({
      accessKeyId: 'imgpipe-resize',
      region: 'us-east-1',
      service: 's3',
    });
  });

  it('reads X-Amz-Credential from a presigned URL', () => {
    const url =
      '/imgpipe-source/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=imgpipe-reconcile%2F20261127%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=0';
    expect(signingCredential({}, url)).toEqual({
      accessKeyId: 'imgpipe-reconcile',
      region: 'us-east-1',
      service: 's3',
    });
  });

  it('reads SigV2 in the header and in a presigned URL', () => {
    expect(signingCredential({ authorization: 'AWS imgpipe-resize:c2ln' }, '/')).toEqual({
      accessKeyId: 'imgpipe-resize',
    });
    expect(signingCredential({}, '/b/k?AWSAccessKeyId=imgpipe-metadata-sync&Signature=x&Expires=1')).toEqual({
      accessKeyId: 'imgpipe-metadata-sync',
    });
  });

  it('finds no credential on an unsigned request', () => {
    expect(signingCredential({}, '/b/k?prefix=a')).toBeUndefined();
    expect(signingCredential({ authorization: 'Bearer x' }, '/')).toBeUndefined();
  });
});
