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
} from '../src';

type Row = Record<string, unknown> & { seqKey?: string };

const OWN_SEQ = { metadata: 'metaSeqKey', variants: 'variantsSeqKey' } as const;
const METADATA_ATTRS = ['format', 'width', 'height', 'metadata', 'metaSeqKey'];
const VARIANT_ATTRS = ['variants', 'presetsHash', 'variantsSeqKey'];

/**
 * The row's conditional writes (docs/architecture.md "The row") in memory, one step per DynamoDB request
 * as `DynamoImageTable` makes them, so a use case's requests can be counted (`requests`: `get`,
 * `update`, `update refused`). The adapter's own tests check the same rules over the wire.
 * `beforeUpdate` runs before each update commits: where a test lets the other writer in.
 */
export class MemoryTable implements ImageTable {
  readonly rows = new Map<string, Row>();
  readonly requests: string[] = [];
  beforeUpdate?: () => Promise<void>;

  get(objectKey: string): Promise<ImageRow | undefined> {
    this.requests.push('get');
    const row = this.rows.get(objectKey);
    return Promise.resolve(row ? (structuredClone(row) as unknown as ImageRow) : undefined);
  }

  /** The row as stored (no request counted). */
  row(objectKey: string): ImageRow | undefined {
    return this.rows.get(objectKey) as unknown as ImageRow | undefined;
  }

  batchGet(): Promise<Map<string, ImageRow>> {
    return Promise.reject(new Error('not used by these tests'));
  }

  scan(): Promise<{ rows: ImageRow[] }> {
    return Promise.reject(new Error('not used by these tests'));
  }

  writeMetadata(v: SourceVersion, fields: MetadataFields, now: string, before?: ImageRow) {
    return this.writeOwn(v, now, { ...fields, metaSeqKey: v.seqKey }, 'metadata', before);
  }

  writeVariants(v: SourceVersion, fields: VariantFields, now: string, before?: ImageRow) {
    const part = { ...fields, variantsSeqKey: v.seqKey };
    return this.writeOwn(v, now, part, 'variants', before, fields.presetsHash);
  }

  async writeMetadataUnread(v: SourceVersion, fields: MetadataFields, now: string): Promise<UnreadPartWrite> {
    let old: Row | undefined;
    const applied = await this.update(v.objectKey, (row) => {
      const same =
        row?.seqKey === v.seqKey && !row.error && row.status === 'pending' && row.metaSeqKey !== v.seqKey;
      if (!olderThan(row, v) && !same) return undefined;
      old = row;
      return moved(row, v, now, { ...fields, metaSeqKey: v.seqKey });
    });
    if (!applied) return { written: 'refused', row: await this.get(v.objectKey) };
    return { written: old?.seqKey === v.seqKey ? 'applied' : 'moved' };
  }

  async writeFailure(
    v: SourceVersion,
    writer: Writer,
    error: FailureRecord,
    now: string,
  ): Promise<WriteOutcome> {
    const failed = (row: Row): Row =>
      omit(
        { ...row, status: 'failed', error, [OWN_SEQ[writer]]: v.seqKey },
        VARIANT_ATTRS.filter((a) => a !== OWN_SEQ[writer]),
      );
    const newer = (row: Row | undefined) =>
      olderThan(row, v)
        ? omit(failed({ ...row, ...identity(v, now) }), [
            ...METADATA_ATTRS.filter((a) => a !== OWN_SEQ[writer]),
            'deletedAt',
            'expiresAt',
          ])
        : undefined;
    if (await this.update(v.objectKey, newer)) return 'applied';
    const same = (row: Row | undefined) =>
      row?.seqKey === v.seqKey && !row.error ? { ...failed(row), updatedAt: now } : undefined;
    if (await this.update(v.objectKey, same)) return 'applied';
    const row = await this.get(v.objectKey);
    return !row || row.seqKey !== v.seqKey ? 'stale' : 'duplicate';
  }

  async finishVariantsUnread(v: SourceVersion, fields: VariantFields, now: string): Promise<UnreadFinish> {
    let old: Row | undefined;
    const part = { ...fields, variantsSeqKey: v.seqKey };
    const finish = finishOf(v, now, part, 'variants', fields.presetsHash);
    const applied = await this.update(v.objectKey, (row) => {
      old = row;
      return finish(row);
    });
    if (applied && old) return { written: 'finished', before: structuredClone(old) as unknown as ImageRow };
    return { written: 'refused', row: await this.get(v.objectKey) };
  }

  finalize(objectKey: string, seqKey: string, now: string): Promise<boolean> {
    return this.update(objectKey, (row) =>
      row?.seqKey === seqKey &&
      row.metaSeqKey === seqKey &&
      row.variantsSeqKey === seqKey &&
      !row.error &&
      row.status === 'pending'
        ? { ...row, status: 'ready', updatedAt: now }
        : undefined,
    );
  }

  async writeTombstone(v: SourceVersion, now: string, expiresAt: number): Promise<WriteOutcome> {
    const tombstone = (row: Row | undefined) =>
      olderThan(row, v)
        ? omit(
            {
              ...row,
              status: 'deleted',
              bucket: v.bucket,
              sequencer: v.sequencer,
              seqKey: v.seqKey,
              updatedAt: now,
              deletedAt: now,
              expiresAt,
            },
            ['etag', 'bytes', 'versionId', 'error', ...METADATA_ATTRS, ...VARIANT_ATTRS],
          )
        : undefined;
    if (await this.update(v.objectKey, tombstone)) return 'applied';
    const row = await this.get(v.objectKey);
    return row?.seqKey === v.seqKey && row.status === 'deleted' ? 'duplicate' : 'stale';
  }

  writeIndexKeys(): Promise<boolean> {
    return Promise.reject(new Error('not used by these tests'));
  }

  /** `DynamoImageTable.writeOwn`'s three tries: finish in one write, move, same version; then a read. */
  private async writeOwn(
    v: SourceVersion,
    now: string,
    part: Row,
    writer: Writer,
    before: ImageRow | undefined,
    presetsHash?: string,
  ): Promise<PartWriteOutcome> {
    const other = OWN_SEQ[writer === 'metadata' ? 'variants' : 'metadata'];
    const otherDone =
      before?.seqKey === v.seqKey &&
      before.status === 'pending' &&
      !before.error &&
      before[other] === v.seqKey;
    const finish = finishOf(v, now, part, writer, presetsHash);
    if (otherDone && (await this.update(v.objectKey, finish))) return 'finished';
    const move = (row: Row | undefined) => (olderThan(row, v) ? moved(row, v, now, part) : undefined);
    if (before?.seqKey !== v.seqKey && (await this.update(v.objectKey, move))) return 'moved';
    const same = (row: Row | undefined) =>
      samePart(row, v, writer, presetsHash) ? { ...row, ...part, updatedAt: now } : undefined;
    if (await this.update(v.objectKey, same)) return 'applied';
    const row = await this.get(v.objectKey);
    return !row || row.seqKey !== v.seqKey || row.error ? 'stale' : 'duplicate';
  }

  /** One conditional update: `change` returns the new row, or undefined when its condition fails. */
  private async update(
    objectKey: string,
    change: (row: Row | undefined) => Row | undefined,
  ): Promise<boolean> {
    await this.beforeUpdate?.();
    const row = this.rows.get(objectKey);
    const next = change(row);
    this.requests.push(next ? 'update' : 'update refused');
    // `updatedAt` only moves forward (the adapter puts back a later time a write replaced, in a second
    // request only then: not counted here).
    const at = [row?.['updatedAt'], next?.['updatedAt']].filter((t): t is string => typeof t === 'string');
    if (next)
      this.rows.set(objectKey, {
        ...next,
        objectKey,
        ...(at.length === 2 ? { updatedAt: at.sort()[1] } : {}),
      });
    return next !== undefined;
  }
}

/** The row is at `v` with no error and this writer's part not there yet (or under other presets). */
function samePart(row: Row | undefined, v: SourceVersion, writer: Writer, presetsHash?: string): row is Row {
  const own = OWN_SEQ[writer];
  return (
    row?.seqKey === v.seqKey &&
    !row.error &&
    (row[own] !== v.seqKey || (presetsHash !== undefined && row.presetsHash !== presetsHash))
  );
}

/** The part and `ready` in one write, on a `pending` row at `v` that holds the other writer's part. */
function finishOf(
  v: SourceVersion,
  now: string,
  part: Row,
  writer: Writer,
  presetsHash?: string,
): (row: Row | undefined) => Row | undefined {
  const other = OWN_SEQ[writer === 'metadata' ? 'variants' : 'metadata'];
  return (row) =>
    samePart(row, v, writer, presetsHash) && row[other] === v.seqKey && row.status === 'pending'
      ? { ...row, ...part, updatedAt: now, status: 'ready' }
      : undefined;
}

function olderThan(row: Row | undefined, v: SourceVersion): boolean {
  return row?.seqKey === undefined || row.seqKey < v.seqKey;
}

function identity(v: SourceVersion, now: string): Row {
  const { bucket, sequencer, seqKey, etag, bytes, versionId } = v;
  return { bucket, sequencer, seqKey, etag, bytes, versionId, updatedAt: now };
}

/** The row moved to version `v` with a writer's part: `pending`, no error, no tombstone. */
function moved(row: Row | undefined, v: SourceVersion, now: string, part: Row): Row {
  return omit({ ...row, ...identity(v, now), ...part, status: 'pending' }, [
    'error',
    'deletedAt',
    'expiresAt',
  ]);
}

function omit(row: Row, attributes: readonly string[]): Row {
  const copy = { ...row };
  for (const a of attributes) delete copy[a];
  return copy;
}
