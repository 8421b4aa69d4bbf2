import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * Replaces `file` with `text` so that a crash leaves the old content or the new, never half of either:
 * a temp file beside it, written whole and fsynced, then renamed over it (the rename is the commit).
 */
export function writeFileAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Writes all of `text` at the descriptor's position (one `writeSync` may write less). */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/**
 * A directory of JSON documents, one file each, written atomically (temp file, fsync, rename), so a
 * crash leaves either the old document or the new one, never half of one.
 */
export class DurableDir<T> {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Writes (or replaces) one document; returns once it is on disk. */
  put(id: string, value: T): void {
    writeFileAtomically(join(this.dir, `${id}.json`), JSON.stringify(value));
  }

  remove(id: string): void {
    rmSync(join(this.dir, `${id}.json`), { force: true });
  }

  get(id: string): T | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, `${id}.json`), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Every readable document (half-written temp files are ignored). */
  list(): T[] {
    const out: T[] = [];
    for (const name of readdirSync(this.dir).sort()) {
      if (!name.endsWith('.json')) continue;
      try {
        out.push(JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as T);
      } catch {
        // A document that cannot be parsed was never acknowledged (the rename is the commit point).
      }
    }
    return out;
  }

  count(): number {
    return readdirSync(this.dir).filter((name) => name.endsWith('.json')).length;
  }
}
