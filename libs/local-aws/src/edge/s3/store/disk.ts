import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

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
  const out = createWriteStream(tmp);
  try {
    for (const source of sources) {
      await pipeline(
        createReadStream(source.path, {
          ...(source.start === undefined ? {} : { start: source.start }),
          ...(source.end === undefined ? {} : { end: source.end }),
        }),
        out,
        { end: false },
      );
    }
  } finally {
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
  await rename(tmp, path);
}
