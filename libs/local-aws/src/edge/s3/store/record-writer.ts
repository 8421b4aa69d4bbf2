import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

/** Writes a small JSON file atomically off the event loop: a temporary file, then rename. */
export async function writeJsonAtomicAsync(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(value));
    await rename(tmp, path);
  } catch (error: unknown) {
    await rm(tmp, { force: true });
    throw error;
  }
}

interface Slot {
  /** Settles (never rejects) when the last write queued for the file is done. */
  tail: Promise<void>;
  /** The write not started yet, which a new change joins instead of queueing another. */
  queued: Promise<void> | null;
}

/**
 * Persists record files off the event loop, each still replaced atomically (temporary file + rename).
 * Writes of one file never overlap, so an older content can never be renamed over a newer one: at most
 * one write per file is in flight and one waits; changes made while a write runs join the waiting one,
 * which writes the value current when it starts (the in-memory index is the truth; the file follows it).
 * `persist` resolves once a write that started after the call is on disk (in the kernel, as before: the
 * store never fsyncs), so a caller that answers after it answers after its change is stored.
 */
export class RecordWriter {
  private readonly files = new Map<string, Slot>();

  /** Writes what `current()` returns when the write starts; `undefined` removes the file. */
  persist(path: string, current: () => unknown): Promise<void> {
    let slot = this.files.get(path);
    if (!slot) {
      slot = { tail: Promise.resolve(), queued: null };
      this.files.set(path, slot);
    }
    if (slot.queued) return slot.queued;
    const own = slot;
    const run = own.tail.then(async () => {
      own.queued = null;
      const value = current();
      if (value === undefined) await rm(path, { force: true });
      else await writeJsonAtomicAsync(path, value);
    });
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    own.queued = run;
    own.tail = settled;
    void settled.then(() => {
      if (own.tail === settled) this.files.delete(path);
    });
    return run;
  }

  /** Resolves when every write started or queued so far has settled. */
  async idle(): Promise<void> {
    await Promise.all([...this.files.values()].map((s) => s.tail));
  }
}
