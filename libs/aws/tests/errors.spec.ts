import type { S3Client } from '@aws-sdk/client-s3';
import { classifyFailure } from '@imgpipe/core';
import { DeleteObjectsError, isAwsError, S3ObjectStore } from '../src';

/** An S3 client whose every call answers `answer` (DeleteObjects reports refused keys in a 200 body). */
function answering(answer: unknown): S3Client {
  return { send: async () => answer } as unknown as S3Client;
}

describe('isAwsError', () => {
  it('matches an SDK error by name, by Code or by HTTP status', () => {
    expect(isAwsError({ name: 'NoSuchKey' }, ['NoSuchKey'])).toBe(true);
    expect(isAwsError({ Code: 'PreconditionFailed' }, ['PreconditionFailed'])).toBe(true);
    expect(isAwsError({ name: 'Other', $metadata: { httpStatusCode: 404 } }, [], 404)).toBe(true);
    expect(isAwsError({ name: 'Other', $metadata: { httpStatusCode: 500 } }, ['NoSuchKey'], 404)).toBe(false);
    expect(isAwsError('NoSuchKey', ['NoSuchKey'])).toBe(false);
  });
});

describe('S3ObjectStore.deleteMany', () => {
  it('throws a retryable DeleteObjectsError naming the first refused key, ignoring keys already gone', async () => {
    expect.assertions(4);
    const store = new S3ObjectStore(
      answering({
        Errors: [
          { Key: 'gone.webp', Code: 'NoSuchKey', Message: 'gone' },
          { Key: 'a.webp', Code: 'AccessDenied', Message: 'Access Denied' },
        ],
      }),
    );
    try {
      await store.deleteMany('imgpipe-derived', ['gone.webp', 'a.webp']);
    } catch (err) {
      expect(err).toBeInstanceOf(DeleteObjectsError);
      expect((err as DeleteObjectsError).s3Code).toBe('AccessDenied');
      expect((err as Error).message).toBe(
        'DeleteObjects refused 1 of 2 keys in s3://imgpipe-derived: AccessDenied Access Denied',
      );
      expect(classifyFailure(err)).toEqual({
        retryable: true,
        code: 'DELETE_OBJECTS_FAILED',
        message: (err as Error).message,
      });
    }
  });

  it('succeeds when the only refusals are keys that no longer exist', async () => {
    const store = new S3ObjectStore(answering({ Errors: [{ Key: 'x', Code: 'NoSuchKey' }] }));
    await expect(store.deleteMany('imgpipe-derived', ['x'])).resolves.toBeUndefined();
  });
});
