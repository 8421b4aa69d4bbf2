/**
 * The image library's one error hierarchy. Every error has a stable `code`, is `permanent`
 * (the same bytes will fail the same way, so a retry is never worth it) and keeps the original `cause`.
 */
export const IMAGE_ERROR_CODES = [
  'UNSUPPORTED_FORMAT',
  'CORRUPT_IMAGE',
  'TOO_MANY_PIXELS',
  'TOO_LARGE',
] as const;
export type ImageErrorCode = (typeof IMAGE_ERROR_CODES)[number];

/** Base class of every error the image library throws about an input. */
export abstract class ImageError extends Error {
  abstract readonly code: ImageErrorCode;
  /** Image errors describe the input itself: retrying the same bytes can never succeed. */
  readonly permanent = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The bytes are not one of the allowed formats (by magic bytes), or the format is switched off. */
export class UnsupportedFormatError extends ImageError {
  readonly code = 'UNSUPPORTED_FORMAT' as const;
}

/** The bytes claim an allowed format but cannot be read (damaged, truncated, or a decoder that timed out). */
export class CorruptImageError extends ImageError {
  readonly code = 'CORRUPT_IMAGE' as const;
}

/** The header declares more pixels (or frames) than the limits allow; nothing was decoded. */
export class TooManyPixelsError extends ImageError {
  readonly code = 'TOO_MANY_PIXELS' as const;
}

/** The input has more bytes than `limits.maxBytes`. */
export class TooLargeError extends ImageError {
  readonly code = 'TOO_LARGE' as const;
}

/**
 * True for every error of this library, whatever its subclass.
 * @example if (isImageError(e)) recordFailure(e.code, e.message);
 */
export function isImageError(e: unknown): e is ImageError {
  return e instanceof ImageError;
}

/** Thrown by `parsePresets`: a configuration mistake, not a property of an image. */
export class InvalidPresetError extends Error {
  readonly code = 'INVALID_PRESET' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidPresetError';
  }
}

/** The first line of a libvips message: the useful part, without its multi-line detail. */
export function firstLine(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.split('\n')[0]?.trim() || 'unknown libvips error';
}
