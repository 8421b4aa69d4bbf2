import { TooManyPixelsError } from './errors';
import type { ImageLimits } from './types';

/**
 * Walks a GIF's blocks without decoding any LZW data and refuses a frame that reaches beyond the
 * pixel limit (a 44-byte GIF can declare a frame at offset 65280, which some decoders turn into a
 * multi-gigapixel canvas) or more frames than the frame limit. Stops quietly at truncation:
 * judging damaged data is the decoder's job.
 */
export function checkGifFrames(
  bytes: Uint8Array,
  limits: Pick<ImageLimits, 'maxPixels' | 'maxFrames'>,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  if (bytes.length < 13) return;
  let at = 13;
  const screen = bytes[10] ?? 0;
  if (screen & 0x80) at += 3 * 2 ** ((screen & 0x07) + 1);
  let frames = 0;
  const skipSubBlocks = (): void => {
    while (at < bytes.length) {
      const size = bytes[at] ?? 0;
      at += 1 + size;
      if (size === 0) return;
    }
  };
  while (at < bytes.length) {
    const introducer = bytes[at];
    if (introducer === 0x3b) return;
    if (introducer === 0x21) {
      at += 2;
      skipSubBlocks();
    } else if (introducer === 0x2c) {
      if (at + 10 > bytes.length) return;
      const left = u16(at + 1);
      const top = u16(at + 3);
      const width = u16(at + 5);
      const height = u16(at + 7);
      const packed = bytes[at + 9] ?? 0;
      const extent = (left + width) * (top + height);
      if (extent > limits.maxPixels) {
        throw new TooManyPixelsError(
          `GIF frame ${frames + 1} reaches ${left + width}x${top + height} (${extent} pixels); the limit is ${limits.maxPixels}`,
        );
      }
      frames += 1;
      if (frames > limits.maxFrames) {
        throw new TooManyPixelsError(`GIF has more than ${limits.maxFrames} frames, the frame limit`);
      }
      at += 10;
      if (packed & 0x80) at += 3 * 2 ** ((packed & 0x07) + 1);
      at += 1;
      skipSubBlocks();
    } else {
      return;
    }
  }
}
