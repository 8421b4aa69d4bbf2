import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { noSuchBucket, noSuchVersion, S3Error } from '../errors';
import { writeJsonAtomic, writeOwnDataFile } from './disk';
import { KeyJournal } from './key-journal';
import { compactSegments, DataFiles, SEGMENT_OBJECT_MAX_BYTES } from './segments';
import { type BucketRecord, type DeleteOutcome, newVersionId, type VersionRecord } from './records';
import { MultipartUploads } from './uploads';

import type { ObjectAttributes } from './uploads';

export type { ObjectAttributes } from './uploads';

/** A conditional request's check of the key's current version (throws the S3 error that refuses it). */
export type Precondition = (current: VersionRecord | undefined) => void;

interface BucketState {
  record: BucketRecord;
  /** Versions of each key, newest first (the bucket's key journal). */
  readonly keys: KeyJournal;
  /** Where their bytes are. */
  readonly data: DataFiles;
  sorted: string[] | undefined;
  seq: number;
}

/**
 * The local S3's own object store: buckets as directories, each bucket's key records in one append-only
 * journal (`KeyJournal`, `keys.ndjson`: a line per change with the key's versions), bytes in segments
 * shared by many versions (bodies up to 1 MiB) or in files of their own (`segments.ts`). A key's
 * line is appended after its data is written, so a crash leaves the old or the new object, never a torn
 * one (a torn last line is skipped at open). The index lives in memory and is rebuilt from the journal
 * at start. A PUT of a small body appends to a segment and to the journal, creating no file; its promise
 * resolves once the line is in the kernel, so the edge answers after the change is stored.
 */
export class ObjectStore {
  private readonly buckets = new Map<string, BucketState>();
  /** The bucket's multipart uploads in progress. */
  readonly multipart: MultipartUploads;

  private constructor(private readonly root: string) {
    this.multipart = new MultipartUploads(
      (bucket) => this.dir(bucket, 'uploads'),
      (bucket) => void this.state(bucket),
    );
  }

  /**
   * Opens (creating) a store under `root` and loads its index; removes data files no record names and
   * compacts segments more than half dead.
   */
  static open(root: string): ObjectStore {
    mkdirSync(root, { recursive: true });
    const store = new ObjectStore(root);
    for (const name of readdirSync(root)) {
      const file = join(root, name, 'bucket.json');
      if (!existsSync(file)) continue;
      const state: BucketState = {
        record: JSON.parse(readFileSync(file, 'utf8')) as BucketRecord,
        keys: KeyJournal.open(join(root, name)),
        data: new DataFiles(join(root, name, 'data')),
        sorted: undefined,
        seq: 0,
      };
      const referenced = new Set<string>();
      for (const versions of state.keys.all())
        for (const v of versions) {
          if (v.dataFile) referenced.add(v.dataFile);
          state.data.adopt(v);
          state.seq = Math.max(state.seq, v.seq);
        }
      for (const f of readdirSync(join(root, name, 'data')))
        if (!referenced.has(f)) rmSync(join(root, name, 'data', f), { force: true });
      compactSegments(state.keys, state.data);
      store.buckets.set(name, state);
    }
    return store;
  }

  private dir(bucket: string, ...rest: string[]): string {
    return join(this.root, bucket, ...rest);
  }

  private state(bucket: string): BucketState {
    const state = this.buckets.get(bucket);
    if (!state) throw noSuchBucket();
    return state;
  }

  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()].map((s) => s.record).sort((a, b) => a.name.localeCompare(b.name));
  }

  bucket(name: string): BucketRecord {
    return this.state(name).record;
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  /** Creates a bucket; false when it already exists. */
  createBucket(name: string): boolean {
    if (this.buckets.has(name)) return false;
    for (const sub of ['data', 'uploads']) mkdirSync(this.dir(name, sub), { recursive: true });
    const record: BucketRecord = { name, created: new Date().toISOString() };
    const keys = KeyJournal.create(this.dir(name));
    // The bucket exists once its record does (written last: `open` skips a directory without one).
    writeJsonAtomic(this.dir(name, 'bucket.json'), record);
    this.buckets.set(name, {
      record,
      keys,
      data: new DataFiles(this.dir(name, 'data')),
      sorted: undefined,
      seq: 0,
    });
    return true;
  }

  deleteBucket(name: string): void {
    const state = this.state(name);
    if (state.keys.count > 0 || readdirSync(this.dir(name, 'uploads')).length > 0)
      throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty');
    rmSync(this.dir(name, 'bucket.json'));
    state.keys.close();
    state.data.close();
    this.buckets.delete(name);
    rmSync(this.dir(name), { recursive: true, force: true });
  }

  setVersioning(name: string, status: 'Enabled' | 'Suspended'): void {
    const state = this.state(name);
    state.record = { ...state.record, versioning: status };
    writeJsonAtomic(this.dir(name, 'bucket.json'), state.record);
  }

  /** Every key with at least one version (delete markers included), sorted by UTF-8 bytes as S3 sorts. */
  sortedKeys(bucket: string): readonly string[] {
    const state = this.state(bucket);
    state.sorted ??= [...state.keys.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return state.sorted;
  }

  versions(bucket: string, key: string): readonly VersionRecord[] {
    return this.state(bucket).keys.versions(key) ?? [];
  }

  /** The current version (which may be a delete marker). */
  latest(bucket: string, key: string): VersionRecord | undefined {
    return this.versions(bucket, key)[0];
  }

  /** One version by id; throws NoSuchVersion (or NoSuchKey semantics are the caller's). */
  version(bucket: string, key: string, versionId: string): VersionRecord {
    const found = this.versions(bucket, key).find((v) => v.versionId === versionId);
    if (!found) throw noSuchVersion();
    return found;
  }

  /** The file holding a version's bytes and where in it they start. */
  dataRange(bucket: string, record: VersionRecord): { readonly path: string; readonly start: number } {
    return { path: this.state(bucket).data.path(record.dataFile ?? ''), start: record.dataOffset ?? 0 };
  }

  /** Makes `versions` the key's current list: in the index and in the kernel (its journal line) on return. */
  private commit(bucket: string, key: string, versions: readonly VersionRecord[]): void {
    const state = this.state(bucket);
    const known = state.keys.versions(key) !== undefined;
    state.keys.set(key, versions);
    if (known !== versions.length > 0) state.sorted = undefined;
  }

  /** Removes the bytes of versions no record names any more (after the record that dropped them is stored). */
  private async dropData(bucket: string, gone: readonly VersionRecord[]): Promise<void> {
    const { data } = this.state(bucket);
    await Promise.all(gone.map((v) => data.release(v)));
  }

  /** Adds a version (or replaces the `null` version), dropping the data of what it replaced. */
  private async addVersion(
    bucket: string,
    record: Omit<VersionRecord, 'versionId' | 'seq'>,
  ): Promise<VersionRecord> {
    const state = this.state(bucket);
    const versioned = state.record.versioning === 'Enabled';
    const full: VersionRecord = {
      ...record,
      versionId: versioned ? newVersionId() : 'null',
      seq: ++state.seq,
    };
    const old = state.keys.versions(record.key) ?? [];
    const replaced = versioned ? [] : old.filter((v) => v.versionId === 'null');
    this.commit(bucket, record.key, [full, ...old.filter((v) => !replaced.includes(v))]);
    await this.dropData(bucket, replaced);
    return full;
  }

  /** Stores an object from bytes or from file ranges; the new version becomes current. */
  async putObject(
    bucket: string,
    key: string,
    content: Buffer | readonly { path: string; start?: number; end?: number }[],
    attributes: ObjectAttributes,
    facts: { size: number; etag: string; parts?: readonly number[]; precondition?: Precondition },
  ): Promise<VersionRecord> {
    const { data } = this.state(bucket);
    const location =
      Buffer.isBuffer(content) && content.length <= SEGMENT_OBJECT_MAX_BYTES
        ? data.append(content)
        : { dataFile: await writeOwnDataFile(this.dir(bucket, 'data'), content) };
    const stored = { ...location, size: facts.size };
    try {
      // The bucket may have been deleted while a file of its own was written.
      if (!this.buckets.has(bucket)) throw noSuchBucket();
      // The write's conditions, checked against the current version in the synchronous step that
      // commits (addVersion does not await before its commit), so they hold at commit as S3's do.
      facts.precondition?.(this.latest(bucket, key));
    } catch (error: unknown) {
      await data.release(stored); // a refused write leaves no data behind
      throw error;
    }
    return this.addVersion(bucket, {
      key,
      deleteMarker: false,
      size: facts.size,
      etag: facts.etag,
      lastModified: new Date().toISOString(),
      ...attributes,
      ...(facts.parts ? { parts: facts.parts } : {}),
      ...location,
    });
  }

  /**
   * DeleteObject: a delete marker in a versioned bucket, a permanent delete with a version id or without
   * versioning. `precondition` (a conditional delete) sees the current version in the step that commits.
   */
  async deleteObject(
    bucket: string,
    key: string,
    versionId?: string,
    precondition?: Precondition,
  ): Promise<DeleteOutcome> {
    const state = this.state(bucket);
    const versions = state.keys.versions(key) ?? [];
    precondition?.(versions[0]);
    if (versionId !== undefined) {
      const target = versions.find((v) => v.versionId === versionId);
      if (!target)
        return { versionId, deleteMarker: false, deletionType: 'Permanently Deleted', changed: false };
      this.commit(
        bucket,
        key,
        versions.filter((v) => v !== target),
      );
      await this.dropData(bucket, [target]);
      return {
        versionId,
        deleteMarker: target.deleteMarker,
        deletionType: 'Permanently Deleted',
        changed: true,
      };
    }
    if (state.record.versioning === undefined) {
      const target = versions[0];
      if (!target) return { deleteMarker: false, deletionType: 'Permanently Deleted', changed: false };
      this.commit(bucket, key, []);
      await this.dropData(bucket, [target]);
      return { deleteMarker: false, deletionType: 'Permanently Deleted', changed: true };
    }
    const marker = await this.addVersion(bucket, {
      key,
      deleteMarker: true,
      size: 0,
      etag: '',
      lastModified: new Date().toISOString(),
      headers: {},
      metadata: {},
      tags: {},
    });
    return {
      versionId: marker.versionId,
      deleteMarker: true,
      deletionType: 'Delete Marker Created',
      changed: true,
    };
  }

  /** Replaces the tags of a version. */
  setTags(
    bucket: string,
    key: string,
    versionId: string,
    tags: Readonly<Record<string, string>>,
  ): Promise<void> {
    const versions = this.versions(bucket, key).map((v) => (v.versionId === versionId ? { ...v, tags } : v));
    this.commit(bucket, key, versions);
    return Promise.resolve();
  }
}
