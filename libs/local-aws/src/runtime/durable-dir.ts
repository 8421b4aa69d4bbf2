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
 * A directory of JSON documents, one file each, written atomically (temp file, fsync, rename), so a
 * crash leaves either the old document or the new one, never half of one.
 */
export class DurableDir<T> {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Writes (or replaces) one document; returns once it is on disk. */
  put(id: string, value: T): void {
    const file = join(this.dir, `${id}.json`);
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(value));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
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
