/**
 * The public shapes of the image library. `@imgpipe/core` and the CLI build on these;
 * change them only together with their callers.
 */
import type { LimitsSpec, PresetSpec, VariantFormat } from '@imgpipe/pipeline';

/** Formats recognised by magic bytes. Only `DECODABLE_FORMATS` are ever decoded. */
export const SNIFFED_FORMATS = [
  'jpeg',
  'png',
  'webp',
  'gif',
  'avif',
  'heif',
  'tiff',
  'svg',
  'jp2',
  'pdf',
  'bmp',
] as const;
export type SniffedFormat = (typeof SNIFFED_FORMATS)[number];

/** The allow-list. SVG is decoded only when `limits.allowSvg` is set. */
export const DECODABLE_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff', 'svg'] as const;
export type DecodableFormat = (typeof DECODABLE_FORMATS)[number];

export type ImageLimits = LimitsSpec;
export type Preset = PresetSpec;

/** What the header says, before any pixel is decoded. */
export interface Inspection {
  readonly format: DecodableFormat;
  /** Stored width and height (before orientation). */
  readonly width: number;
  readonly height: number;
  readonly pages: number;
  /** EXIF orientation 1-8 (0 and missing count as 1). */
  readonly orientation: number;
  readonly bytes: number;
}

/** The EXIF subset kept on the row. */
export interface ExifSubset {
  readonly make?: string;
  readonly model?: string;
  readonly lens?: string;
  /** ISO-8601 local date-time as recorded by the camera (no zone unless the file has one). */
  readonly takenAt?: string;
  /** Seconds. */
  readonly exposureTime?: number;
  readonly fNumber?: number;
  readonly iso?: number;
  /** Millimetres. */
  readonly focalLength?: number;
}

export interface GpsPosition {
  readonly latitude: number;
  readonly longitude: number;
  readonly altitude?: number;
}

export interface ImageMetadata {
  readonly format: DecodableFormat;
  /** As displayed: after EXIF orientation. */
  readonly width: number;
  readonly height: number;
  readonly orientation: number;
  readonly hasAlpha: boolean;
  /** libvips interpretation of the input, e.g. `srgb`, `cmyk`, `b-w`, `rgb16`. */
  readonly colorSpace: string;
  /** Bits per sample of the input (8 or 16 usually). */
  readonly bitDepth: number;
  readonly pages: number;
  readonly progressive: boolean;
  readonly iccDescription?: string;
  readonly exif?: ExifSubset;
  /** Only when `gps: true` was asked for. */
  readonly gps?: GpsPosition;
  /** `#rrggbb`. */
  readonly dominantColor: string;
  /** ThumbHash of the displayed image, base64. */
  readonly placeholder: string;
}

export interface RenderedVariant {
  readonly name: string;
  readonly format: VariantFormat;
  readonly contentType: string;
  readonly extension: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly data: Buffer;
}

export interface ImageJobOptions {
  readonly limits: ImageLimits;
  /** Extract GPS position into metadata (never into variants). Default false. */
  readonly gps?: boolean;
}

/** What rendering variants alone needs (`renderVariants`). */
export interface RenderOptions {
  readonly limits: ImageLimits;
  readonly presets: readonly Preset[];
}

export interface ProcessOptions extends ImageJobOptions, RenderOptions {}

/** The variants of one input, and the displayed facts of that input (no metadata work done). */
export interface RenderResult {
  readonly format: DecodableFormat;
  /** As displayed: after EXIF orientation. */
  readonly width: number;
  readonly height: number;
  readonly variants: readonly RenderedVariant[];
}

export interface ProcessResult {
  readonly metadata: ImageMetadata;
  readonly variants: readonly RenderedVariant[];
}
