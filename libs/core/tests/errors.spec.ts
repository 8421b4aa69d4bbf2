import * as image from '@imgpipe/image';
import { classifyFailure, ConfigError, InvalidEventError, isRetryable, SourceTooLargeError } from '../src';

class FakeImageError extends Error {
  readonly permanent = true;
  constructor(readonly code: string) {
    super(`image failed with ${code}`);
  }
}

describe('classifyFailure', () => {
  it('treats image errors as permanent by code', () => {
    expect(classifyFailure(new FakeImageError('CORRUPT_IMAGE'))).toEqual({
      retryable: false,
      code: 'CORRUPT_IMAGE',
      message: 'image failed with CORRUPT_IMAGE',
    });
  });

  it('treats an unknown image code as transient', () => {
    expect(isRetryable(new FakeImageError('SOMETHING_NEW'))).toBe(true);
  });

  it('treats pipeline input errors as permanent', () => {
    expect(isRetryable(new InvalidEventError('bad'))).toBe(false);
    expect(isRetryable(new ConfigError('bad'))).toBe(false);
    expect(classifyFailure(new SourceTooLargeError('big')).code).toBe('TOO_LARGE');
  });

  it('treats AWS and unknown errors as transient, keeping their name', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ProvisionedThroughputExceededException',
    });
    expect(classifyFailure(throttled)).toMatchObject({
      retryable: true,
      code: 'ProvisionedThroughputExceededException',
    });
    expect(isRetryable('a string')).toBe(true);
  });

  it('keeps the cause', () => {
    const cause = new Error('root');
    expect(new InvalidEventError('wrapped', { cause }).cause).toBe(cause);
  });
});

describe('classifyFailure with the image library', () => {
  it('treats every real image error as permanent with its code', () => {
    for (const err of [
      new image.CorruptImageError('bad'),
      new image.UnsupportedFormatError('svg'),
      new image.TooManyPixelsError('huge'),
      new image.TooLargeError('big'),
    ]) {
      expect(classifyFailure(err)).toEqual({ retryable: false, code: err.code, message: err.message });
    }
  });
});
