import { DEFAULT_LIMITS } from '@imgpipe/pipeline';
import sharp, { type Sharp } from 'sharp';
import type { ImageLimits, Preset } from '../src';

export const LIMITS: ImageLimits = DEFAULT_LIMITS;

/** An animated WebP of the corpus: 9 frames. */
export const ANIMATED_WEBP = 'sharp-fixtures/rotating-squares.webp';

/** A preset that keeps every frame (40x40 WebP), named `anim`. */
export const ANIMATED_PRESET: Preset = {
  name: 'anim',
  fit: 'inside',
  width: 40,
  height: 40,
  format: 'webp',
  quality: 70,
  animated: true,
};

/**
 * A 64-bit difference hash (dHash) of an image: greyscale 9x8, one bit per horizontal gradient.
 * Two renderings of the same picture differ in a few bits; a rotated or mirrored one in many.
 */
export async function dHash(image: Buffer | Sharp): Promise<bigint> {
  const pipeline = Buffer.isBuffer(image) ? sharp(image) : image;
  const pixels = await pipeline.greyscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer();
  let hash = 0n;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      hash = (hash << 1n) | ((pixels[y * 9 + x] ?? 0) > (pixels[y * 9 + x + 1] ?? 0) ? 1n : 0n);
    }
  }
  return hash;
}

/** Number of differing bits between two hashes. */
export function hamming(a: bigint, b: bigint): number {
  let diff = a ^ b;
  let count = 0;
  while (diff > 0n) {
    count += Number(diff & 1n);
    diff >>= 1n;
  }
  return count;
}

/** Bits two hashes of the same picture may differ by (resampling and re-encoding noise). */
export const SAME_PICTURE_BITS = 8;

/** What an error-throwing promise rejected with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('Expected the promise to reject, but it resolved');
}
