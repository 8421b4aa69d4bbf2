import { closeSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppendJournal } from '../../../runtime/append-journal';
import type { VersionRecord } from './records';

/** A bucket's key records: one line per change, under the bucket's directory. */
export const KEY_JOURNAL = 'keys.ndjson';
/** The older layout: one JSON file per key (named by the key's hash), replaced by rename on every write. */
const KEY_FILES = 'keys';
/**
 * The journal is compacted once it holds more than twice as many lines as live keys and at least this
 * many more: its size stays within about twice the live records, and a compaction (a rewrite of every
 * live record) comes at most once per this many writes, however few keys the bucket holds.
 */
export const COMPACT_MIN_SLACK = 1_000;

/** One key's versions, newest first (one journal entry, replaced whole by each change to the key). */
interface KeyEntry {
  readonly key: string;
  readonly versions: readonly VersionRecord[];
}

/** The key files of the older layout, still readable (a rename was their commit: none is ever half written). */
function readKeyFiles(dir: string): KeyEntry[] {
  const entries: KeyEntry[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue; // a `.tmp` is a write a crash cut short: the record it replaced stands
    const versions = JSON.parse(readFileSync(join(dir, name), 'utf8')) as VersionRecord[];
    if (versions[0]) entries.push({ key: versions[0].key, versions });
  }
  return entries;
}

/**
 * A bucket's index of keys, kept as an append-only journal (`AppendJournal`): a PUT, a delete or a tag
 * change appends one line with the key's versions, so the store creates one file per PUT (its data
 * file) and frees none for its records (issue 11, sixth pass: on this machine's journal-less ext4 every
 * file created walks past the inodes recently freed). The line is in the kernel when `set` returns, in
 * the same synchronous step that changes the index, so the journal's order is the order of commits.
 * Like the rest of the store it never fsyncs a change; only a compaction's rewrite is fsynced before its
 * rename, as it replaces every record at once.
 */
export class KeyJournal {
  private constructor(private readonly journal: AppendJournal<KeyEntry>) {}

  /**
   * An empty journal for a new bucket, replacing any left by a bucket of the same name whose delete a
   * crash cut short (its record was removed first, so that bucket was gone).
   */
  static create(bucketDir: string): KeyJournal {
    const journal = new AppendJournal<KeyEntry>(join(bucketDir, KEY_JOURNAL), (entry) => entry.key);
    journal.rewrite();
    return new KeyJournal(journal);
  }

  /**
   * Reads a bucket's journal, taking over the key files of the older layout once (the journal is
   * rewritten with them, then they are removed; a crash in between reads them again, and the journal's
   * lines replay over them).
   */
  static open(bucketDir: string): KeyJournal {
    const journal = new AppendJournal<KeyEntry>(join(bucketDir, KEY_JOURNAL), (entry) => entry.key);
    const keyFiles = join(bucketDir, KEY_FILES);
    const migrating = existsSync(keyFiles);
    if (migrating) for (const entry of readKeyFiles(keyFiles)) journal.adopt(entry);
    journal.replay();
    const keys = new KeyJournal(journal);
    if (migrating || keys.due()) journal.rewrite();
    else journal.open();
    if (migrating) rmSync(keyFiles, { recursive: true, force: true });
    return keys;
  }

  /** The key's versions, newest first; undefined when it has none. */
  versions(key: string): readonly VersionRecord[] | undefined {
    return this.journal.get(key)?.versions;
  }

  /** Makes `versions` the key's list (none: the key is gone); stored in the kernel when this returns. */
  set(key: string, versions: readonly VersionRecord[]): void {
    if (versions.length === 0) this.journal.remove(key);
    else this.journal.put({ key, versions });
    if (this.due()) {
      const retired = this.journal.rewrite();
      if (retired !== undefined) closeSync(retired);
    }
  }

  keys(): IterableIterator<string> {
    return this.journal.ids();
  }

  /** Every key's versions. */
  *all(): Generator<readonly VersionRecord[]> {
    for (const entry of this.journal.entries()) yield entry.versions;
  }

  get count(): number {
    return this.journal.count;
  }

  close(): void {
    this.journal.close();
  }

  private due(): boolean {
    return this.journal.slack > Math.max(COMPACT_MIN_SLACK, this.journal.count);
  }
}
