import type { Image, ImageVariant } from '@imgpipe/contracts';
import type { CdnSpec } from '@imgpipe/pipeline';
import type { ImageRow, VariantRecord } from '../row';
import { variantVersion } from '../variant-files';
import { imageId } from '@imgpipe/contracts';

/** The CDN URL of a key: each path segment percent-encoded, `/` kept. */
export function cdnUrl(cdnBaseUrl: string, key: string): string {
  return `${cdnBaseUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The version in a variant's URL: the hash of its bytes recorded by resize, or, on rows written
 * before versions were recorded, a hash of what determines the bytes (the source version and the
 * presets), which also changes whenever they do.
 */
export function urlVersionOf(row: ImageRow, variant: VariantRecord): string {
  if (variant.version) return variant.version;
  const basis = [row.variantsSeqKey ?? row.seqKey, row.presetsHash ?? '', variant.key, String(variant.bytes)];
  return variantVersion(Buffer.from(basis.join('\n'), 'utf8'));
}

function variantOf(row: ImageRow, v: VariantRecord, cdnBaseUrl: string, cdn: CdnSpec): ImageVariant {
  const url = `${cdnUrl(cdnBaseUrl, v.key)}?${cdn.versionParameter}=${encodeURIComponent(urlVersionOf(row, v))}`;
  return { name: v.name, format: v.format, width: v.width, height: v.height, bytes: v.bytes, url };
}

/**
 * The API's view of a row. Variants are listed only for a `ready` row: a `pending` row may still hold
 * the previous version's variants.
 */
export function imageOfRow(row: ImageRow, cdnBaseUrl: string, cdn: CdnSpec): Image {
  const metadata = row.metadata ? { ...row.metadata } : null;
  const placeholder = typeof metadata?.['placeholder'] === 'string' ? metadata['placeholder'] : null;
  return {
    id: imageId(row.objectKey),
    key: row.objectKey,
    status: row.status,
    format: row.format ?? null,
    width: row.width ?? null,
    height: row.height ?? null,
    bytes: row.bytes ?? null,
    metadata,
    placeholder,
    error: row.error ? { code: row.error.code, message: row.error.message } : null,
    variants:
      row.status === 'ready' ? (row.variants ?? []).map((v) => variantOf(row, v, cdnBaseUrl, cdn)) : [],
    updatedAt: row.updatedAt ?? null,
  };
}

/** An uploaded object the pipeline has not recorded yet. */
export function pendingImage(key: string, bytes: number): Image {
  return {
    id: imageId(key),
    key,
    status: 'pending',
    format: null,
    width: null,
    height: null,
    bytes,
    metadata: null,
    placeholder: null,
    error: null,
    variants: [],
    updatedAt: null,
  };
}
