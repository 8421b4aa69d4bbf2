import { sep } from 'node:path';

/*
 * The defaults: 64 MiB holds a whole 200-upload burst of the bench's photos (94 KiB on average, 19 MB)
 * or about forty 1.5 MB phone photos waiting for their functions; 8 MiB per object covers photos up to
 * about 20 MP, while larger objects (videos, archives) stream from disk as before instead of pushing
 * out many photos. The stack's memory grows by at most the budget.
 */
/** The cache's byte budget in all. */
export const DATA_CACHE_BUDGET_BYTES = 64 * 1024 * 1024;
/** The largest object kept. */
export const DATA_CACHE_MAX_OBJECT_BYTES = 8 * 1024 * 1024;

/**
 * The bytes of recently written data files, by path, so a GET right after a PUT (every upload is
 * downloaded by both functions moments after it lands) is answered from memory: one socket write
 * instead of an open, a read per 64 KiB and a close on libuv's threadpool. Correct by construction:
 * a data file is written once under a fresh name and never modified (`disk.ts`), so cached bytes can
 * only go stale by being deleted, and the store drops them when it removes the file.
 *
 * Bounded: `budgetBytes` in all, objects over `maxObjectBytes` are never cached; when full, the oldest
 * writes go first (a burst's uploads are read in the order they were written).
 */
export class DataCache {
  /** Insertion order is write order: the first entry is the oldest. */
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(
    readonly budgetBytes = DATA_CACHE_BUDGET_BYTES,
    readonly maxObjectBytes = DATA_CACHE_MAX_OBJECT_BYTES,
  ) {}

  /** Keeps the bytes of a data file just written (ignored when larger than an object may be). */
  set(path: string, data: Buffer): void {
    if (data.length > this.maxObjectBytes || data.length > this.budgetBytes) return;
    this.delete(path);
    this.entries.set(path, data);
    this.bytes += data.length;
    for (const [oldest, buffer] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(oldest);
      this.bytes -= buffer.length;
    }
  }

  get(path: string): Buffer | undefined {
    return this.entries.get(path);
  }

  /** Forgets a data file (before it is removed from disk). */
  delete(path: string): void {
    const buffer = this.entries.get(path);
    if (!buffer) return;
    this.entries.delete(path);
    this.bytes -= buffer.length;
  }

  /** Forgets every data file under a directory (a deleted bucket). */
  deleteUnder(dir: string): void {
    for (const path of [...this.entries.keys()]) if (path.startsWith(`${dir}${sep}`)) this.delete(path);
  }

  /** Bytes held now. */
  size(): number {
    return this.bytes;
  }
}
