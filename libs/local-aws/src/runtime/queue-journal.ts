import { closeSync, fdatasync, fsyncSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppendJournal } from './append-journal';
import { DurableDir } from './durable-dir';

/** `fs.fdatasync`'s callback form. */
export type DataSync = (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => void;

const JOURNAL = 'journal.ndjson';
/** Rewrite the journal once it holds this many more records than live entries. */
const COMPACT_SLACK = 2_000;
/**
 * At most one `fdatasync` starts per this many ms. Back to back, a burst ran about three per upload,
 * each a threadpool job and a wake-up of the loop: ~1-2 ms of the stack's CPU per upload (issue 11,
 * fourth pass). A crash loses nothing either way (the kernel has every change when `put` returns);
 * only a power cut's window grows, to this gap plus one sync, while the S3 store beside it never syncs.
 */
export const SYNC_GAP_MS = 100;

/**
 * A function's durable queue: one append-only journal (`AppendJournal`: JSON lines, `{"put": entry}`
 * or `{"del": id}`, replayed on open). Every change is one `write` system call, so the edge's event loop
 * no longer creates, fsyncs, renames and unlinks a file per event (the end-to-end profile of issue 11
 * found those synchronous calls blocking it for about a third of a burst).
 *
 * Durability: a change is in the kernel when `put`/`remove` return, so a crash of the stack (or a
 * SIGKILL) loses nothing, as with the S3 object store and dynalite beside it. An `fdatasync` of the
 * journal then runs off the event loop, batched, at most one per `SYNC_GAP_MS`, so a power cut loses at
 * most the changes of the last ~100 ms. A torn last line (a power cut mid-write) is skipped on replay: it was never synced.
 * On open the journal is compacted to its live entries; documents of the older one-file-per-entry
 * layout (`<id>.json`) in the same directory are taken over, so queued work survives an upgrade.
 */
export class QueueJournal<T extends { readonly id: string }> {
  private readonly journal: AppendJournal<T>;
  private syncing = false;
  private dirty = false;
  /** When the last sync started, and the timer of the next when it must wait for the gap. */
  private lastSync = 0;
  private waiting: NodeJS.Timeout | undefined;
  private closed = false;
  private closing = false;
  private readonly synced: (() => void)[] = [];
  private readonly retired: number[] = [];

  constructor(
    readonly dir: string,
    /** The data sync of the journal's descriptor (a test counts them). */
    private readonly sync: DataSync = fdatasync,
  ) {
    // The older one-file-per-entry layout: its readable documents are taken over (DurableDir skips
    // the ones that cannot be parsed: never acknowledged, the rename was the commit point).
    this.journal = new AppendJournal<T>(join(dir, JOURNAL), (entry) => entry.id);
    for (const value of new DurableDir<T>(dir).list()) this.journal.adopt(value);
    this.journal.replay();
    this.journal.rewrite();
    for (const name of readdirSync(dir))
      if (name.endsWith('.json') || name.endsWith('.json.tmp')) rmSync(join(dir, name), { force: true });
  }

  /** Writes (or replaces) one entry (the journal keys it by its own `id`); returns once the kernel has it. */
  put(_id: string, value: T): void {
    // After a stop nothing more is recorded: an entry whose removal is skipped runs again on the next
    // start (at least once), never less.
    this.journal.put(value);
    if (!this.closed) this.scheduleSync();
  }

  /** Removes one entry (nothing when it is not there). */
  remove(id: string): void {
    if (!this.journal.remove(id)) return;
    if (!this.closed) this.scheduleSync();
    if (!this.closed && this.journal.slack > COMPACT_SLACK) {
      const old = this.journal.rewrite();
      // A sync may still be running on the old descriptor: it is closed once that sync is done.
      if (old === undefined) return;
      if (this.syncing) this.retired.push(old);
      else closeSync(old);
    }
  }

  get(id: string): T | undefined {
    return this.journal.get(id);
  }

  /** Every entry, in the order they were first written. */
  list(): T[] {
    return [...this.journal.entries()];
  }

  count(): number {
    return this.journal.count;
  }

  /** Waits for the pending sync and closes the journal. */
  async close(): Promise<void> {
    if (this.closed) return;
    // A sync waiting for its gap, or due after the running one, is the fsync below.
    this.closing = true;
    clearTimeout(this.waiting);
    this.waiting = undefined;
    if (this.syncing) await new Promise<void>((resolve) => this.synced.push(resolve));
    this.closed = true;
    fsyncSync(this.journal.descriptor);
    this.journal.close();
  }

  /**
   * One fdatasync at a time, off the event loop, at most one per `SYNC_GAP_MS`; changes made meanwhile
   * are covered by the next.
   */
  private scheduleSync(): void {
    if (this.syncing || this.waiting) {
      this.dirty = true;
      return;
    }
    const wait = this.lastSync + SYNC_GAP_MS - Date.now();
    if (wait > 0) {
      this.waiting = setTimeout(() => {
        this.waiting = undefined;
        if (!this.closing) this.startSync();
      }, wait);
      // A stack that exits without closing loses nothing: the kernel has every change.
      this.waiting.unref();
      return;
    }
    this.startSync();
  }

  private startSync(): void {
    this.syncing = true;
    this.dirty = false;
    this.lastSync = Date.now();
    this.sync(this.journal.descriptor, () => {
      this.syncing = false;
      for (const fd of this.retired.splice(0)) closeSync(fd);
      if (this.dirty && !this.closing) this.scheduleSync();
      else for (const done of this.synced.splice(0)) done();
    });
  }
}
