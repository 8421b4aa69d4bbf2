import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

/** How to get the metric: Debian's `butteraugli` (Google's reference implementation). */
export const BUTTERAUGLI_INSTALL =
  'bash tools/scripts/ensure-butteraugli.sh (apt-get install -y butteraugli)';

/** The butteraugli command: `IMGPIPE_BUTTERAUGLI` or `butteraugli` on PATH. */
export function butteraugliCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env['IMGPIPE_BUTTERAUGLI'] ?? 'butteraugli';
}

/** Every image as opaque 8-bit sRGB PNG: alpha flattened on mid grey, the same for both sides. */
async function opaquePng(image: Buffer): Promise<Buffer> {
  return sharp(image)
    .flatten({ background: '#808080' })
    .toColourspace('srgb')
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/**
 * The butteraugli distance between two encoded images of the same size (1.0: a just noticeable
 * difference at the viewing distance butteraugli assumes; below it, invisible).
 * @example await butteraugli(reference, variant) // 0.42
 */
export async function butteraugli(reference: Buffer, distorted: Buffer): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'imgpipe-butteraugli-'));
  try {
    const a = join(dir, 'reference.png');
    const b = join(dir, 'distorted.png');
    writeFileSync(a, await opaquePng(reference));
    writeFileSync(b, await opaquePng(distorted));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(butteraugliCommand(), [a, b], { timeout: 60_000 }, (error, out, err) =>
        error ? reject(new Error(`butteraugli failed: ${error.message} ${err}`)) : resolve(out),
      );
    });
    const value = Number(stdout.trim());
    if (!Number.isFinite(value)) throw new Error(`butteraugli printed "${stdout.trim()}", not a number`);
    return value;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `work` over `items` with at most `limit` in flight (butteraugli is one process per pair). */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}
