import { createHash } from 'node:crypto';
import type { RenderResult } from '@imgpipe/image';
import { derivedKey, variantCacheControl, type CdnSpec, type PresetSpec } from '@imgpipe/pipeline';
import { VariantWriteConflictError } from './errors';
import type { DeleteTarget, ObjectStore, PutCondition, PutOptions, StoredObject } from './ports';
import type { SourceVersion, VariantRecord } from './row';
import { seqKey } from './sequencer';

/**
 * The variant files in the derived bucket, `{sourceKey}/{variant}.{ext}`: their key limit, how they
 * are written (with the source version they come from in their metadata) and how they are removed.
 */

/** Object metadata names on every variant (S3 lower-cases user metadata). */
export const VARIANT_METADATA = { sourceEtag: 'source-etag', sourceSequencer: 'source-sequencer' } as const;

/**
 * The version of a variant: a hash of its bytes, so it changes exactly when the content does. It is
 * recorded on the row (`variants[].version`), stored as the variant's object metadata
 * (`cdn.versionMetadata`) and handed out in the variant's URL (`?v=`), so a CDN or browser can never
 * serve a stale variant under a current URL and an overwrite needs no invalidation.
 * @example variantVersion(Buffer.from('abc')) // 'ungWv48Bz-pBQUDe'
 */
export function variantVersion(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
}

/** S3's limit on a key, in UTF-8 bytes. */
export const S3_MAX_KEY_BYTES = 1024;

/**
 * The first preset whose variant key would pass S3's key limit for `sourceKey`, if any: its
 * variants can never be stored, which is known before anything is downloaded.
 */
export function variantKeyTooLong(
  sourceKey: string,
  presets: readonly PresetSpec[],
): { readonly name: string; readonly bytes: number } | undefined {
  for (const preset of presets) {
    const bytes = Buffer.byteLength(derivedKey(sourceKey, preset));
    if (bytes > S3_MAX_KEY_BYTES) return { name: preset.name, bytes };
  }
  return undefined;
}

/** How many conditional PUTs a variant write tries before it gives up (retryably). */
export const VARIANT_WRITE_ATTEMPTS = 5;

/** The normalised sequencer a variant file was written from (its metadata), if it carries a valid one. */
export function variantSeqKeyOf(object: StoredObject): string | undefined {
  const raw = object.metadata?.[VARIANT_METADATA.sourceSequencer];
  try {
    return raw ? seqKey(raw) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes one variant file only forward in sequencer order, with S3's conditional writes
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html: `If-None-Match: *`
 * stores only when the key is free, `If-Match: <etag>` only over that exact object, both checked
 * when the write commits; 412 or 409 otherwise). A new key costs the one PUT it always cost. Over an
 * existing file (refused, or `likelyExists`: the row lists it, so the HEAD comes first and saves a
 * refused PUT) it HEADs it: a file of a newer source version stays (`'newer'`: we are stale);
 * otherwise it replaces exactly the file it saw, and re-reads when someone wrote in between.
 */
async function putForward(
  objects: ObjectStore,
  bucket: string,
  key: string,
  body: Buffer,
  options: PutOptions,
  ours: string,
  likelyExists: boolean,
): Promise<'written' | 'newer'> {
  for (let attempt = 0; attempt < VARIANT_WRITE_ATTEMPTS; attempt += 1) {
    let condition: PutCondition = { ifNoneMatch: '*' };
    if (attempt > 0 || likelyExists) {
      const current = await objects.head(bucket, key);
      if (current) {
        const theirs = variantSeqKeyOf(current);
        if (theirs !== undefined && theirs > ours) return 'newer';
        condition = { ifMatch: current.etag };
      }
    }
    if (await objects.put(bucket, key, body, { ...options, condition })) return 'written';
  }
  throw new VariantWriteConflictError(
    `Expected to store s3://${bucket}/${key} but it changed under ${VARIANT_WRITE_ATTEMPTS} conditional writes in a row`,
  );
}

/**
 * Writes the rendered variants of `version` to the derived bucket, in parallel, each tagged with
 * the source's ETag and sequencer and its own version (a hash of its bytes), with the CDN's
 * `Cache-Control` (`variantCacheControl`: the URLs are versioned, so a long CDN lifetime is safe);
 * returns them as the row records them, and the bytes written. A file never replaces one of a newer
 * source version (`putForward`); `newer` says some file was left to it, so this version is stale.
 * `existing` are the keys the row listed before this run (files that are likely there).
 */
export async function storeVariants(
  objects: ObjectStore,
  derivedBucket: string,
  version: SourceVersion,
  rendered: RenderResult['variants'],
  cdn: CdnSpec,
  existing: ReadonlySet<string> = new Set(),
): Promise<{ readonly variants: VariantRecord[]; readonly bytesOut: number; readonly newer: boolean }> {
  const metadata = {
    [VARIANT_METADATA.sourceEtag]: version.etag ?? '',
    [VARIANT_METADATA.sourceSequencer]: version.sequencer,
  };
  const files = rendered.map((variant) => ({
    data: variant.data,
    contentType: variant.contentType,
    record: {
      name: variant.name,
      key: derivedKey(version.objectKey, { name: variant.name, format: variant.format }),
      format: variant.format,
      width: variant.width,
      height: variant.height,
      bytes: variant.bytes,
      version: variantVersion(variant.data),
    },
  }));
  const cacheControl = variantCacheControl(cdn);
  const outcomes = await Promise.all(
    files.map(({ data, contentType, record }) =>
      putForward(
        objects,
        derivedBucket,
        record.key,
        data,
        { contentType, cacheControl, metadata: { ...metadata, [cdn.versionMetadata]: record.version } },
        version.seqKey,
        existing.has(record.key),
      ),
    ),
  );
  const variants = files.map((file) => file.record);
  return {
    variants,
    bytesOut: rendered.reduce((sum, variant) => sum + variant.data.length, 0),
    newer: outcomes.includes('newer'),
  };
}

/**
 * Removes the variants of `sourceKey` (direct children `{sourceKey}/{file}` of the derived bucket)
 * whose `source-sequencer` metadata satisfies `shouldRemove` (missing metadata counts as removable).
 * Each delete is conditioned on the ETag its HEAD saw (a conditional delete,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html), so a file a newer
 * writer stored after the HEAD stays. Returns how many were removed.
 */
export async function removeVariants(
  objects: ObjectStore,
  derivedBucket: string,
  sourceKey: string,
  shouldRemove: (variantSeqKey: string | undefined, derivedKey: string) => boolean,
): Promise<number> {
  const prefix = `${sourceKey}/`;
  const doomed: DeleteTarget[] = [];
  let token: string | undefined;
  do {
    const page = await objects.list(derivedBucket, {
      prefix,
      delimiter: '/',
      ...(token ? { continuationToken: token } : {}),
    });
    const heads = await Promise.all(page.objects.map((o) => objects.head(derivedBucket, o.key)));
    for (const head of heads) {
      if (head && shouldRemove(variantSeqKeyOf(head), head.key))
        doomed.push({ key: head.key, etag: head.etag });
    }
    token = page.nextToken;
  } while (token);
  if (doomed.length === 0) return 0;
  const { refused } = await objects.deleteMany(derivedBucket, doomed);
  return doomed.length - refused.length;
}
