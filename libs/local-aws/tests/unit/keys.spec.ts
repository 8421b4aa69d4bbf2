import { validateBucketName, validateKey, validateUploadId } from '../../src/edge/s3/keys';

describe('validateKey', () => {
  it('accepts spaces, plus, percent, unicode, folder markers, empty segments and long segments', () => {
    for (const key of [
      'my photos/a+b%20c.jpg',
      'ünïcødé/日本/😀.png',
      'folder/',
      'a.b/..c/d..',
      '/leading',
      'a//b',
      'x'.repeat(1024),
      'a._S3rver_object',
    ])
      expect(validateKey(key)).toBeUndefined();
  });

  it('rejects "." and ".." segments with InvalidArgument', () => {
    for (const key of ['../etc/passwd', 'a/../../b', 'a/./b', '..']) {
      expect(validateKey(key)).toEqual(expect.objectContaining({ status: 400, code: 'InvalidArgument' }));
    }
  });

  it('rejects keys over 1024 UTF-8 bytes with KeyTooLongError', () => {
    expect(validateKey('a/'.repeat(600))).toEqual(
      expect.objectContaining({ status: 400, code: 'KeyTooLongError' }),
    );
    expect(validateKey('é'.repeat(513))).toEqual(expect.objectContaining({ code: 'KeyTooLongError' }));
  });

  it('rejects NUL', () => {
    expect(validateKey('a\0b')).toEqual(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});

describe('validateBucketName and validateUploadId', () => {
  it('accepts S3 bucket names and refuses path-like ones', () => {
    expect(validateBucketName('imgpipe-source')).toBeUndefined();
    for (const bad of ['..', 'a..b', 'UPPER', 'x', 'a/b'])
      expect(validateBucketName(bad)).toEqual(expect.objectContaining({ code: 'InvalidBucketName' }));
  });

  it('refuses upload ids that could name a path', () => {
    expect(validateUploadId('9f2c1b7e-abc_DEF')).toBeUndefined();
    expect(validateUploadId('../../x')).toEqual(
      expect.objectContaining({ status: 404, code: 'NoSuchUpload' }),
    );
  });
});
