import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, truncateSync } from 'node:fs';
import { writeAll, writeFileAtomically } from './durable-dir';

/** One line of a journal: an entry written (or replaced), or removed by its id. */
type JournalLine<T> = { readonly put: T } | { readonly del: string };

/**
 * A map kept on disk as one append-only journal of JSON lines, `{"put": entry}` or `{"del": id}`,
 * replayed on open: every change is one `write` system call on a file that already exists, never a file
 * created, renamed or unlinked (issue 11: on a journal-less ext4 each file created walks the inode
 * allocator). The home of the journal's format for the function queues (`QueueJournal`) and the local
 * S3's key records (`KeyJournal`); each decides when to sync and when to compact.
 *
 * A change is in the kernel when `put`/`remove` return (a crash of the process loses nothing). A line
 * that cannot be parsed (a torn last line: a write a power cut cut short, never acknowledged as synced)
 * is skipped on replay, and `open` cuts the file back to its last whole line, so the next append starts
 * a line of its own. `rewrite` compacts: the live entries to a temporary file, fsynced, renamed over the
 * journal (the rename is the commit: a crash leaves the old journal or the new, whole).
 */
export class AppendJournal<T> {
  private readonly live = new Map<string, T>();
  private fd: number | undefined;
  /** Lines in the file, what a rewrite shrinks to the live entries. */
  private lines = 0;
  /** Bytes of whole lines in the file: a failed append is cut back to it. */
  private bytes = 0;
  private closed = false;
  private replayed = false;

  constructor(
    readonly file: string,
    private readonly idOf: (entry: T) => string,
  ) {}

  /** Adds an entry read from elsewhere (an older layout) without writing it; the journal's own lines replay over it. */
  adopt(entry: T): void {
    this.live.set(this.idOf(entry), entry);
  }

  /** Reads the journal's lines into the entries (nothing when there is no file yet). */
  replay(): void {
    this.replayed = true;
    if (!existsSync(this.file)) return;
    const text = readFileSync(this.file);
    // Only whole lines count: what follows the last newline is a torn write.
    this.bytes = text.lastIndexOf(10) + 1;
    for (const line of text.subarray(0, this.bytes).toString('utf8').split('\n')) {
      if (!line) continue;
      let record: JournalLine<T>;
      try {
        record = JSON.parse(line) as JournalLine<T>;
      } catch {
        continue; // a torn line: never synced, never acknowledged after a power cut
      }
      this.lines += 1;
      if ('put' in record) this.live.set(this.idOf(record.put), record.put);
      else this.live.delete(record.del);
    }
  }

  /** Opens the journal for appending (replayed first, if not yet), first cutting off a torn last line. */
  open(): void {
    if (!this.replayed) this.replay();
    if (existsSync(this.file)) truncateSync(this.file, this.bytes);
    this.fd = openSync(this.file, 'a');
  }

  /**
   * Replaces the file with the live entries and appends from there. Returns the descriptor it retired,
   * which the caller closes once nothing uses it (a sync may still run on it).
   */
  rewrite(): number | undefined {
    const text = [...this.live.values()].map((entry) => `${JSON.stringify({ put: entry })}\n`).join('');
    writeFileAtomically(this.file, text);
    const retired = this.fd;
    this.fd = openSync(this.file, 'a');
    this.lines = this.live.size;
    this.bytes = Buffer.byteLength(text);
    return retired;
  }

  /** Writes (or replaces) an entry: in the kernel when this returns. */
  put(entry: T): void {
    this.append({ put: entry });
    this.live.set(this.idOf(entry), entry);
  }

  /** Removes an entry; false (and nothing written) when there is none. */
  remove(id: string): boolean {
    if (!this.live.has(id)) return false;
    this.append({ del: id });
    this.live.delete(id);
    return true;
  }

  get(id: string): T | undefined {
    return this.live.get(id);
  }

  /** The entries, in the order their ids were first written. */
  entries(): IterableIterator<T> {
    return this.live.values();
  }

  ids(): IterableIterator<string> {
    return this.live.keys();
  }

  get count(): number {
    return this.live.size;
  }

  /** Lines a rewrite would drop (replaced and removed entries). */
  get slack(): number {
    return this.lines - this.live.size;
  }

  /** The open descriptor (for a caller's own sync). */
  get descriptor(): number {
    if (this.fd === undefined) throw new Error(`the journal ${this.file} is not open`);
    return this.fd;
  }

  /** Closes the descriptor; changes after this stay in memory only. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
  }

  private append(record: JournalLine<T>): void {
    if (this.closed) return;
    const line = `${JSON.stringify(record)}\n`;
    const fd = this.descriptor;
    try {
      writeAll(fd, line);
    } catch (error: unknown) {
      // A write cut short (a full disk) would glue its half line to the next: cut it off.
      try {
        ftruncateSync(fd, this.bytes);
      } catch {
        // The next open cuts it off.
      }
      throw error;
    }
    this.bytes += Buffer.byteLength(line);
    this.lines += 1;
  }
}
