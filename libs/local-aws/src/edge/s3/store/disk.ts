import { randomUUID } from 'node:crypto';
import { createReadStream, renameSync, writeFileSync } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes a small file atomically (temporary file, then rename): readers see the old or the new file, never half. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${randomUUID()}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

/** Writes a file atomically (a multipart part, which a re-upload of the part number replaces). */
export async function writeDataAtomic(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Concatenates files (byte ranges of them) into a file, atomically. */
export async function concatAtomic(
  path: string,
  sources: readonly { path: string; start?: number; end?: number }[],
): Promise<void> {
  const tmp = `${path}.tmp`;
  await concatInto(tmp, sources, 'w');
  await rename(tmp, path);
}

/*
 * An object's data files need no temporary file and rename: each has a fresh name (one per write) that no key
 * record names until the write is complete, and `ObjectStore.open` removes every data file no record
 * names, so a write a crash cuts short is never served and is cleaned up at the next start. `wx`
 * refuses to write over an existing file, so a name can never be reused by accident.
 */

/** Writes a body, or file ranges, to a new data file of its own in `dir`; answers its name. */
export async function writeOwnDataFile(
  dir: string,
  content: Buffer | readonly { path: string; start?: number; end?: number }[],
): Promise<string> {
  const name = randomUUID();
  if (Buffer.isBuffer(content)) await writeDataFile(join(dir, name), content);
  else await concatDataFile(join(dir, name), content);
  return name;
}

/** Writes a new data file (one open, write and close: no rename, see above). */
export async function writeDataFile(path: string, data: Buffer): Promise<void> {
  await removeOnFailure(path, writeFile(path, data, { flag: 'wx' }));
}

/** Concatenates files (byte ranges of them) into a new data file (see above). */
export async function concatDataFile(
  path: string,
  sources: readonly { path: string; start?: number; end?: number }[],
): Promise<void> {
  await removeOnFailure(path, concatInto(path, sources, 'wx'));
}

/** A write that failed (a full disk, say) leaves no partial file behind while the stack runs. */
async function removeOnFailure(path: string, write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (error: unknown) {
    // An EEXIST was not this write's file: leave it. (No `instanceof Error`: fs errors may come from
    // another realm, as under jest.)
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code !== 'EEXIST') await rm(path, { force: true });
    throw error;
  }
}

async function concatInto(
  path: string,
  sources: readonly { path: string; start?: number; end?: number }[],
  flag: 'w' | 'wx',
): Promise<void> {
  const out = await open(path, flag);
  try {
    for (const source of sources) {
      const chunks = createReadStream(source.path, {
        ...(source.start === undefined ? {} : { start: source.start }),
        ...(source.end === undefined ? {} : { end: source.end }),
      });
      for await (const chunk of chunks) await out.write(chunk as Buffer);
    }
  } finally {
    await out.close();
  }
}
