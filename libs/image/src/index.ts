// Public API of @imgpipe/image: safe inspection, decode-once variants and metadata on sharp. No AWS.
export * from './types';
export {
  CorruptImageError,
  IMAGE_ERROR_CODES,
  ImageError,
  type ImageErrorCode,
  InvalidPresetError,
  isImageError,
  TooLargeError,
  TooManyPixelsError,
  UnsupportedFormatError,
} from './errors';
export { inspectImage } from './inspect';
export { LOADER_BY_FORMAT } from './loaders';
export { MAX_PRESET_EDGE, parsePresets } from './presets';
export { extractMetadata, processImage, renderVariants } from './process';
export { type FfiRaster, type LibvipsFfi, loadLibvipsFfi } from './libvips-ffi';
export { DCT_MIN_RESIDUAL, dctShrink, decodePath, useLibvipsFfi } from './scaled-decode';
export { sniffFormat } from './sniff';
