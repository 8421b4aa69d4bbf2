/**
 * Variant presets as plain data. The image library validates them (`parsePresets`) and renders
 * them; this package only names the defaults so infra and the local stack agree on them.
 */
export const VARIANT_FORMATS = ['jpeg', 'webp', 'avif', 'png'] as const;
export type VariantFormat = (typeof VARIANT_FORMATS)[number];

export const VARIANT_FITS = ['cover', 'inside'] as const;
export type VariantFit = (typeof VARIANT_FITS)[number];

export interface PresetSpec {
  /** Name of the variant, used in the derived key `{sourceKey}/{name}.{ext}`. */
  readonly name: string;
  /** `cover` crops to exactly width×height (attention crop); `inside` fits within, keeping aspect. */
  readonly fit: VariantFit;
  readonly width: number;
  readonly height: number;
  readonly format: VariantFormat;
  /** Encoder quality 1-100 (ignored for PNG). */
  readonly quality: number;
  /** Keep all frames of an animated input (WebP/GIF/AVIF output only). Default: first frame. */
  readonly animated?: boolean;
}

/** The defaults of the contract: `thumb` 128×128 cover WebP, `small` inside 320 WebP, `large` inside 1280 JPEG. */
export const DEFAULT_PRESETS: readonly PresetSpec[] = [
  { name: 'thumb', fit: 'cover', width: 128, height: 128, format: 'webp', quality: 80 },
  { name: 'small', fit: 'inside', width: 320, height: 320, format: 'webp', quality: 80 },
  { name: 'large', fit: 'inside', width: 1280, height: 1280, format: 'jpeg', quality: 82 },
] as const;

/** File extension for a variant format. */
export const EXTENSION_BY_FORMAT: Readonly<Record<VariantFormat, string>> = {
  jpeg: 'jpg',
  webp: 'webp',
  avif: 'avif',
  png: 'png',
};

/** Content-Type for a variant format. */
export const CONTENT_TYPE_BY_FORMAT: Readonly<Record<VariantFormat, string>> = {
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  png: 'image/png',
};

/**
 * The derived key of a variant.
 * @example derivedKey('photos/cat.jpg', { name: 'thumb', format: 'webp' }) // 'photos/cat.jpg/thumb.webp'
 */
export function derivedKey(sourceKey: string, preset: Pick<PresetSpec, 'name' | 'format'>): string {
  return `${sourceKey}/${preset.name}.${EXTENSION_BY_FORMAT[preset.format]}`;
}
