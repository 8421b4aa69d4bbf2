import { randomUUID } from 'node:crypto';
import { createReadStream, renameSync, writeFileSync } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';

/** Writes a small file atomically (temporary file, then rename): readers see the old or the new file, never half. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${randomUUID()}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

/** Writes a data file atomically. */
export async function writeDataAtomic(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Concatenates files (byte ranges of them) into a new file, atomically. */
export async function concatAtomic(
  path: string,
  sources: readonly { path: string; start?: number; end?: number }[],
): Promise<void> {
  const tmp = `${path}.tmp`;
  const out = await open(tmp, 'w');
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
  await rename(tmp, path);
}
