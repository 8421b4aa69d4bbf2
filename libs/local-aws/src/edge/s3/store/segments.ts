import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyJournal } from './key-journal';

/** Bodies up to this size go into a segment (the edge reads objects up to it whole); larger ones get a file of their own. */
export const SEGMENT_OBJECT_MAX_BYTES = 1024 * 1024;
/** A segment takes appends until the next would take it past this size. */
export const SEGMENT_BYTES = 64 * 1024 * 1024;

/** Where a version's bytes are: a file of the bucket's `data/` directory, from `dataOffset` (0 if absent). */
export interface DataLocation {
  readonly dataFile?: string;
  readonly dataOffset?: number;
  readonly size: number;
}

interface Segment {
  readonly name: string;
  fd: number | undefined;
  size: number;
  liveObjects: number;
  liveBytes: number;
}

/** Writes all of `data` at `position` (a positional write may write less than asked). */
function writeAllAt(fd: number, data: Buffer, position: number): void {
  for (let done = 0; done < data.length;)
    done += writeSync(fd, data, done, data.length - done, position + done);
}

/**
 * A bucket's data files. Small bodies are appended to a segment, a file shared by many versions, each
 * at its own offset: creating a file costs a file system far more than appending to one (on this
 * machine's ext4, 250-850 us of kernel CPU per file created against about 15 us to write 30 KB:
 * `tools/bench/src/file-create-cost.ts`), and an upload stores four objects. Larger bodies, copies
 * and completed multipart uploads keep a file each (`disk.ts`).
 *
 * A segment's append is synchronous, as the key journal's line after it: both are in the kernel when
 * `putObject` answers, and no write is ever in flight on a descriptor. A segment whose last live version
 * goes is removed; one that is more than half dead is compacted when the store opens
 * (`ObjectStore.open`). Bytes a crash left after a segment's last recorded version are never named by
 * a record, so never served.
 */
export class DataFiles {
  private readonly segments = new Map<string, Segment>();
  private current: Segment | undefined;

  constructor(private readonly dir: string) {}

  path(dataFile: string): string {
    return join(this.dir, dataFile);
  }

  /** At open: what one stored version keeps alive. */
  adopt(location: DataLocation): void {
    if (location.dataFile === undefined || location.dataOffset === undefined) return;
    let segment = this.segments.get(location.dataFile);
    if (!segment) {
      segment = { name: location.dataFile, fd: undefined, size: 0, liveObjects: 0, liveBytes: 0 };
      this.segments.set(location.dataFile, segment);
    }
    segment.size = Math.max(segment.size, location.dataOffset + location.size);
    segment.liveObjects += 1;
    segment.liveBytes += location.size;
  }

  /** Appends `data` to the current segment (a new one when it is full); in the kernel on return. */
  append(data: Buffer): { readonly dataFile: string; readonly dataOffset: number } {
    let segment = this.current;
    if (!segment || (segment.size > 0 && segment.size + data.length > SEGMENT_BYTES)) {
      if (segment?.fd !== undefined) closeSync(segment.fd);
      if (segment) segment.fd = undefined;
      const name = `segment-${randomUUID()}`;
      segment = { name, fd: openSync(this.path(name), 'wx'), size: 0, liveObjects: 0, liveBytes: 0 };
      this.segments.set(name, segment);
      this.current = segment;
    }
    const offset = segment.size;
    writeAllAt(segment.fd as number, data, offset);
    segment.size += data.length;
    segment.liveObjects += 1;
    segment.liveBytes += data.length;
    return { dataFile: segment.name, dataOffset: offset };
  }

  /** Segments more than half dead that no write appends to: what a compaction moves out. */
  sparse(): string[] {
    return [...this.segments.values()]
      .filter((s) => s !== this.current && s.liveBytes * 2 < this.sizeOf(s))
      .map((s) => s.name);
  }

  /**
   * Lets go of a version's bytes (replaced, deleted, or a write that was refused): a file of its own is
   * removed, a segment once none of its versions lives.
   */
  async release(location: DataLocation): Promise<void> {
    if (location.dataFile === undefined) return;
    const segment = location.dataOffset === undefined ? undefined : this.segments.get(location.dataFile);
    if (!segment) {
      await rm(this.path(location.dataFile), { force: true });
      return;
    }
    segment.liveObjects -= 1;
    segment.liveBytes -= location.size;
    if (segment.liveObjects > 0) return;
    this.segments.delete(segment.name);
    if (segment === this.current) this.current = undefined;
    if (segment.fd !== undefined) closeSync(segment.fd);
    rmSync(this.path(segment.name), { force: true });
  }

  close(): void {
    for (const segment of this.segments.values()) if (segment.fd !== undefined) closeSync(segment.fd);
    this.current = undefined;
  }

  /** The bytes of a version in a segment (a compaction's read). */
  read(location: DataLocation): Buffer {
    const bytes = Buffer.alloc(location.size);
    const fd = openSync(this.path(location.dataFile ?? ''), 'r');
    try {
      for (let done = 0; done < bytes.length;) {
        const read = readSync(fd, bytes, done, bytes.length - done, (location.dataOffset ?? 0) + done);
        if (read === 0) throw new Error(`${location.dataFile ?? ''} ends before its version's bytes`);
        done += read;
      }
    } finally {
      closeSync(fd);
    }
    return bytes;
  }

  /** A segment's size on disk (a crash may have left bytes after its last recorded version). */
  private sizeOf(segment: Segment): number {
    if (segment.fd !== undefined) return segment.size;
    try {
      return statSync(this.path(segment.name)).size;
    } catch {
      return segment.size; // gone: its versions answer as a lost file does, and nothing moves
    }
  }
}

/**
 * Moves the live versions of segments more than half dead into the current segment, key by key (each
 * key's journal line names the new place once its bytes are in the kernel), then removes those
 * segments. A crash in between leaves every version readable where its record says.
 */
export function compactSegments(keys: KeyJournal, data: DataFiles): void {
  const sparse = new Set(data.sparse());
  if (sparse.size === 0) return;
  const inSparse = (v: DataLocation): boolean =>
    v.dataFile !== undefined && v.dataOffset !== undefined && sparse.has(v.dataFile);
  // A version whose bytes cannot be read (or written) stays where it is, and so does its segment.
  const moveOut = <V extends DataLocation>(v: V): V => {
    try {
      return { ...v, ...data.append(data.read(v)) };
    } catch {
      return v;
    }
  };
  for (const key of [...keys.keys()]) {
    const versions = keys.versions(key) ?? [];
    if (!versions.some(inSparse)) continue;
    const moved = versions.map((v) => (inSparse(v) ? moveOut(v) : v));
    keys.set(key, moved);
    // Segments let go synchronously: the old one is removed once its last version has moved.
    versions.forEach((v, i) => {
      if (moved[i] !== v) void data.release(v);
    });
  }
}
