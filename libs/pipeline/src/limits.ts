/** Input limits applied before any pixel is decoded. */
export interface LimitsSpec {
  /** Largest source object accepted, in bytes (checked from the event before download). */
  readonly maxBytes: number;
  /** Largest width×height accepted (sharp's own default of 268 MP is far too high for a Lambda). */
  readonly maxPixels: number;
  /** Most frames/pages accepted in an animated or multi-page input. */
  readonly maxFrames: number;
  /** Wall-clock budget for one image job; a spinning decoder is stopped and the input rejected. */
  readonly jobTimeoutMs: number;
  /** SVG input is off by default: it is a document format with external references. */
  readonly allowSvg: boolean;
}

export const DEFAULT_LIMITS: LimitsSpec = {
  maxBytes: 50 * 1024 * 1024,
  maxPixels: 40_000_000,
  maxFrames: 200,
  jobTimeoutMs: 20_000,
  allowSvg: false,
};
