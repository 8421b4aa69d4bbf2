import type { ImageRow, MetadataFields, SourceVersion, VariantFields, Writer } from '@imgpipe/core';
import { ownerPrefixOf, ownerStatusKey, TABLE_SCHEMA } from '@imgpipe/pipeline';
import { UpdateBuilder } from './update-expression';

/** The pieces of the row's conditional writes (docs/architecture.md "The row") that several writes share. */

export const KEY = TABLE_SCHEMA.partitionKey;
export const TTL = TABLE_SCHEMA.ttlAttribute;
export const METADATA_ATTRS = ['format', 'width', 'height', 'metadata', 'metaSeqKey'] as const;
export const VARIANT_ATTRS = ['variants', 'presetsHash', 'variantsSeqKey'] as const;
export const OWN_SEQ: Readonly<Record<Writer, 'metaSeqKey' | 'variantsSeqKey'>> = {
  metadata: 'metaSeqKey',
  variants: 'variantsSeqKey',
};
/**
 * Sets `status` with the index keys that follow it (`ownerPrefix`, `ownerStatus`), so every write keeps
 * the row findable by the API's listing indexes.
 */
export function withStatus(b: UpdateBuilder, objectKey: string, status: ImageRow['status']): UpdateBuilder {
  const owner = ownerPrefixOf(objectKey);
  return b.set('status', status).set('ownerPrefix', owner).set('ownerStatus', ownerStatusKey(owner, status));
}

/** The condition of a write that moves the row to version `seqKey`: no row yet, or an older version on it. */
export function olderThan(seqKey: string): (b: UpdateBuilder) => string {
  return (b) => `attribute_not_exists(${b.name('seqKey')}) OR ${b.name('seqKey')} < ${b.value('n', seqKey)}`;
}

/** Sets the identity attributes every writer shares for version `v`. */
export function identity(b: UpdateBuilder, v: SourceVersion, now: string): UpdateBuilder {
  return b
    .set('bucket', v.bucket)
    .set('sequencer', v.sequencer)
    .set('seqKey', v.seqKey)
    .set('etag', v.etag)
    .set('bytes', v.bytes)
    .set('versionId', v.versionId)
    .set('updatedAt', now);
}

/** metadata-sync's own part of the row for version `v`. */
export function metadataPart(v: SourceVersion, fields: MetadataFields): (b: UpdateBuilder) => UpdateBuilder {
  return (b) =>
    b
      .set('format', fields.format)
      .set('width', fields.width)
      .set('height', fields.height)
      .set('metadata', fields.metadata)
      .set('metaSeqKey', v.seqKey);
}

/**
 * The write that moves the row to version `v` with a writer's part (`own`): `pending`, the error, a
 * tombstone's `deletedAt` and its TTL cleared. Its condition is `olderThan(v.seqKey)` (or wider).
 */
export function moveUpdate(
  v: SourceVersion,
  now: string,
  own: (b: UpdateBuilder) => UpdateBuilder,
): UpdateBuilder {
  const b = own(identity(new UpdateBuilder(), v, now));
  return withStatus(b, v.objectKey, 'pending').remove('error', 'deletedAt', TTL);
}

/**
 * The condition of a writer's part on a row already at version `v`: no error, and the part not there yet
 * (for resize also: recorded under other presets, `presetsHash`).
 */
export function samePartCondition(
  v: SourceVersion,
  writer: Writer,
  presetsHash?: string,
): (b: UpdateBuilder) => string {
  return (b) => {
    const seq = b.name('seqKey');
    const mine = b.name(OWN_SEQ[writer]);
    const n = b.value('n', v.seqKey);
    const notYet = `attribute_not_exists(${mine}) OR ${mine} <> ${n}`;
    const hashDiffers =
      presetsHash === undefined ? '' : ` OR ${b.name('presetsHash')} <> ${b.value('h', presetsHash)}`;
    return `${seq} = ${n} AND attribute_not_exists(${b.name('error')}) AND (${notYet}${hashDiffers})`;
  };
}

/**
 * The write that adds a writer's part (`own`) and makes the row `ready` in one go, and its condition:
 * the part's (`samePartCondition`), the other writer's part of `v` there, the row still `pending`.
 */
export function finishWrite(
  v: SourceVersion,
  now: string,
  own: (b: UpdateBuilder) => UpdateBuilder,
  writer: Writer,
  presetsHash?: string,
): { readonly update: UpdateBuilder; readonly condition: (b: UpdateBuilder) => string } {
  const other = OWN_SEQ[writer === 'metadata' ? 'variants' : 'metadata'];
  const samePart = samePartCondition(v, writer, presetsHash);
  return {
    update: withStatus(own(new UpdateBuilder()).set('updatedAt', now), v.objectKey, 'ready'),
    condition: (b) =>
      `${samePart(b)} AND ${b.name(other)} = ${b.value('n', v.seqKey)} ` +
      `AND ${b.name('status')} = ${b.value('pending', 'pending')}`,
  };
}

/** resize's own part of the row for version `v`. */
export function variantsPart(v: SourceVersion, fields: VariantFields): (b: UpdateBuilder) => UpdateBuilder {
  return (b) =>
    b.set('variants', fields.variants).set('presetsHash', fields.presetsHash).set('variantsSeqKey', v.seqKey);
}

/** The deletion's tombstone at version `v` (rule 3): every part and identity of a created version goes. */
export function tombstoneAt(v: SourceVersion, now: string, expiresAt: number): UpdateBuilder {
  return withStatus(new UpdateBuilder(), v.objectKey, 'deleted')
    .set('bucket', v.bucket)
    .set('sequencer', v.sequencer)
    .set('seqKey', v.seqKey)
    .set('updatedAt', now)
    .set('deletedAt', now)
    .set(TTL, expiresAt)
    .remove('etag', 'bytes', 'versionId', 'error', ...METADATA_ATTRS, ...VARIANT_ATTRS);
}
