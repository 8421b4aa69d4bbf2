import { BatchGetCommand, GetCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  FailureRecord,
  ImageRow,
  ImageTable,
  MetadataFields,
  PartWriteOutcome,
  SourceVersion,
  UnreadFinish,
  UnreadPartWrite,
  VariantFields,
  WriteOutcome,
  Writer,
} from '@imgpipe/core';
import { ownerPrefixOf, ownerStatusKey } from '@imgpipe/pipeline';
import {
  finishWrite,
  identity,
  KEY,
  METADATA_ATTRS,
  metadataPart,
  moveUpdate,
  olderThan,
  OWN_SEQ,
  samePartCondition,
  tombstoneAt,
  TTL,
  VARIANT_ATTRS,
  variantsPart,
  withStatus,
} from './dynamo-row-writes';
import { conditionalUpdate } from './dynamo-row-update';
import { UpdateBuilder } from './update-expression';

const BATCH_GET = 100;

/**
 * The `ImageTable` port on DynamoDB: every write is a conditional UpdateItem on `seqKey`
 * (docs/architecture.md "The row"). A failed condition is an answer (`stale` / `duplicate`), not an error.
 */
export class DynamoImageTable implements ImageTable {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(objectKey: string): Promise<ImageRow | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { [KEY]: objectKey }, ConsistentRead: true }),
    );
    return out.Item as ImageRow | undefined;
  }

  async batchGet(objectKeys: readonly string[]): Promise<Map<string, ImageRow>> {
    const rows = new Map<string, ImageRow>();
    const unique = [...new Set(objectKeys)];
    for (let i = 0; i < unique.length; i += BATCH_GET) {
      let keys: Record<string, unknown>[] | undefined = unique
        .slice(i, i + BATCH_GET)
        .map((k) => ({ [KEY]: k }));
      for (let attempt = 0; keys && keys.length > 0; attempt += 1) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
        const out = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of out.Responses?.[this.tableName] ?? [])
          rows.set(String(item[KEY]), item as ImageRow);
        keys = out.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return rows;
  }

  async scan(options: { limit: number; cursor?: string }): Promise<{ rows: ImageRow[]; cursor?: string }> {
    const out = await this.db.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: options.limit,
        ...(options.cursor
          ? {
              ExclusiveStartKey: JSON.parse(
                Buffer.from(options.cursor, 'base64url').toString('utf8'),
              ) as Record<string, unknown>,
            }
          : {}),
      }),
    );
    const cursor = out.LastEvaluatedKey
      ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url')
      : undefined;
    return { rows: (out.Items ?? []) as ImageRow[], ...(cursor ? { cursor } : {}) };
  }

  writeMetadata(
    v: SourceVersion,
    fields: MetadataFields,
    now: string,
    before?: ImageRow,
  ): Promise<PartWriteOutcome> {
    return this.writeOwn(v, now, metadataPart(v, fields), 'metadata', before);
  }

  /**
   * The move (rule 1) and the same-version write (rule 2) in one UpdateItem: on a row at `v` with no
   * error and no metadata of `v` yet (so `pending`: `ready` needs both parts), the move's expression
   * changes nothing but this part (identity, status and index keys are already those of `v`; there is no
   * error, tombstone or TTL to remove). `ALL_OLD` tells which branch applied: a row already at `v` was
   * moved there by resize, which then wrote first, so the caller finalises. A refused write reads the row.
   */
  async writeMetadataUnread(v: SourceVersion, fields: MetadataFields, now: string): Promise<UnreadPartWrite> {
    const move = moveUpdate(v, now, metadataPart(v, fields));
    const old = await this.update(
      v.objectKey,
      move,
      (b) => {
        const seq = b.name('seqKey');
        const meta = b.name('metaSeqKey');
        const n = b.value('n', v.seqKey);
        const sameVersion =
          `${seq} = ${n} AND attribute_not_exists(${b.name('error')}) AND ${b.name('status')} = ` +
          `${b.value('pending', 'pending')} AND (attribute_not_exists(${meta}) OR ${meta} <> ${n})`;
        return `${olderThan(v.seqKey)(b)} OR (${sameVersion})`;
      },
      'ALL_OLD',
    );
    if (old === false) return { written: 'refused', row: await this.get(v.objectKey) };
    return { written: old?.seqKey === v.seqKey ? 'applied' : 'moved' };
  }

  writeVariants(
    v: SourceVersion,
    fields: VariantFields,
    now: string,
    before?: ImageRow,
  ): Promise<PartWriteOutcome> {
    return this.writeOwn(v, now, variantsPart(v, fields), 'variants', before, fields.presetsHash);
  }

  /**
   * resize's part and `ready` in one UpdateItem on a row metadata-sync already brought to `v` (the
   * `finished` write of `writeOwn`, without its row read); `ALL_OLD` gives the row as it was, for the
   * presets' clean-up. A refused write reads the row.
   */
  async finishVariantsUnread(v: SourceVersion, fields: VariantFields, now: string): Promise<UnreadFinish> {
    const { update, condition } = finishWrite(
      v,
      now,
      variantsPart(v, fields),
      'variants',
      fields.presetsHash,
    );
    const old = await this.update(v.objectKey, update, condition, 'ALL_OLD');
    // The condition needs a row at `v`, so an applied write always had one.
    if (old) return { written: 'finished', before: old };
    return { written: 'refused', row: await this.get(v.objectKey) };
  }

  /**
   * Rule 1-2: a newer version moves the row to it (`pending`, error cleared: `moved`); the same version
   * only gets this writer's attributes, unless they are already there (duplicate) or a failure won.
   * A row read (consistently) at `v` already never goes back below it (`seqKey` only grows), so for a
   * writer that saw it there the move cannot apply: it tries only the same-version write, one request
   * instead of two, with the same outcome. When that row also held the other writer's part of `v`
   * (`pending`, no error), this part and `ready` go in one write (`finished`), conditioned on all of it
   * still holding, instead of the part and then `finalize`; if anything changed since the read, the
   * usual writes decide as before.
   */
  private async writeOwn(
    v: SourceVersion,
    now: string,
    own: (b: UpdateBuilder) => UpdateBuilder,
    writer: Writer,
    before: ImageRow | undefined,
    presetsHash?: string,
  ): Promise<PartWriteOutcome> {
    const otherSeq = OWN_SEQ[writer === 'metadata' ? 'variants' : 'metadata'];
    const otherDone =
      before?.seqKey === v.seqKey &&
      before.status === 'pending' &&
      before.error === undefined &&
      before[otherSeq] === v.seqKey;
    if (otherDone) {
      const { update, condition } = finishWrite(v, now, own, writer, presetsHash);
      if (await this.update(v.objectKey, update, condition)) return 'finished';
    }
    if (before?.seqKey !== v.seqKey && (await this.moveTo(v, now, own))) return 'moved';
    const same = own(new UpdateBuilder()).set('updatedAt', now);
    if (await this.update(v.objectKey, same, samePartCondition(v, writer, presetsHash))) return 'applied';
    const row = await this.get(v.objectKey);
    return !row || row.seqKey !== v.seqKey || row.error ? 'stale' : 'duplicate';
  }

  /** Moves the row to version `v` with this writer's part (`pending`); false when it is at `v` or newer. */
  private moveTo(v: SourceVersion, now: string, own: (b: UpdateBuilder) => UpdateBuilder): Promise<boolean> {
    return this.update(v.objectKey, moveUpdate(v, now, own), olderThan(v.seqKey));
  }

  async writeFailure(
    v: SourceVersion,
    writer: Writer,
    error: FailureRecord,
    now: string,
  ): Promise<WriteOutcome> {
    const failed = (b: UpdateBuilder) =>
      withStatus(b, v.objectKey, 'failed')
        .set('error', { code: error.code, message: error.message })
        .set(OWN_SEQ[writer], v.seqKey)
        .remove(...VARIANT_ATTRS.filter((a) => a !== OWN_SEQ[writer]));
    const newer = failed(identity(new UpdateBuilder(), v, now))
      .remove(...METADATA_ATTRS.filter((a) => a !== OWN_SEQ[writer]))
      .remove('deletedAt', TTL);
    if (await this.update(v.objectKey, newer, olderThan(v.seqKey))) return 'applied';
    const same = failed(new UpdateBuilder()).set('updatedAt', now);
    if (
      await this.update(
        v.objectKey,
        same,
        (b) => `${b.name('seqKey')} = ${b.value('n', v.seqKey)} AND attribute_not_exists(${b.name('error')})`,
      )
    ) {
      return 'applied';
    }
    const row = await this.get(v.objectKey);
    return !row || row.seqKey !== v.seqKey ? 'stale' : 'duplicate';
  }

  async finalize(objectKey: string, seqKey: string, now: string): Promise<boolean> {
    const b = withStatus(new UpdateBuilder(), objectKey, 'ready').set('updatedAt', now);
    return this.update(objectKey, b, (c) => {
      const n = c.value('n', seqKey);
      return (
        `${c.name('seqKey')} = ${n} AND ${c.name('metaSeqKey')} = ${n} AND ${c.name('variantsSeqKey')} = ${n} ` +
        `AND attribute_not_exists(${c.name('error')}) AND ${c.name('status')} = ${c.value('pending', 'pending')}`
      );
    });
  }

  async writeTombstone(v: SourceVersion, now: string, expiresAt: number): Promise<WriteOutcome> {
    const b = tombstoneAt(v, now, expiresAt);
    if (await this.update(v.objectKey, b, olderThan(v.seqKey))) return 'applied';
    const row = await this.get(v.objectKey);
    return row && row.seqKey === v.seqKey && row.status === 'deleted' ? 'duplicate' : 'stale';
  }

  async writeIndexKeys(objectKey: string, status: ImageRow['status']): Promise<boolean> {
    // No `updatedAt` change: the backfill must not reorder the status index's newest-first listing.
    const owner = ownerPrefixOf(objectKey);
    const b = new UpdateBuilder().set('ownerPrefix', owner).set('ownerStatus', ownerStatusKey(owner, status));
    return this.update(objectKey, b, (c) => `${c.name('status')} = ${c.value('s', status)}`);
  }

  /** One conditional UpdateItem (`conditionalUpdate`): false when refused; with `ALL_OLD`, the row as it was. */
  private update(
    objectKey: string,
    b: UpdateBuilder,
    condition: (b: UpdateBuilder) => string,
  ): Promise<boolean>;
  private update(
    objectKey: string,
    b: UpdateBuilder,
    condition: (b: UpdateBuilder) => string,
    returnValues: 'ALL_OLD',
  ): Promise<ImageRow | undefined | false>;
  private update(
    objectKey: string,
    b: UpdateBuilder,
    condition: (b: UpdateBuilder) => string,
    returnValues?: 'ALL_OLD',
  ): Promise<ImageRow | boolean | undefined> {
    return conditionalUpdate(this.db, this.tableName, objectKey, b, condition, returnValues);
  }
}
