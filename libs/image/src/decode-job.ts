import type { Header } from './inspect';

/** A job's facts the decode needs, from its header. */
export interface DecodeJob {
  readonly header: Header;
  /** As displayed (after EXIF orientation). */
  readonly displayed: { width: number; height: number };
  /** The raster size to produce (upright), at most `displayed`. */
  readonly size: { width: number; height: number };
  /**
   * Lanczos shrink that must remain after a DCT-scaled JPEG decode: `DCT_MIN_RESIDUAL` when
   * variants come from the raster (the quality gate), 1 when only the placeholder and dominant
   * colour do (a 100 px raster blurred into a ThumbHash: the smallest covering scale is enough).
   */
  readonly minResidual: number;
}
