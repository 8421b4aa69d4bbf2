/**
 * The quality metric beside each tool's bytes: butteraugli (Debian's `butteraugli`, the metric of
 * the library's quality gate) between a tool's `large` variant and the same size rendered from a
 * full-scale decode of the input (profile and orientation applied, Lanczos), both as PNG.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export const BUTTERAUGLI_INSTALL = 'bash tools/scripts/ensure-butteraugli.sh';

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 120_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/** Whether `butteraugli` runs here. */
export async function butteraugliAvailable(): Promise<boolean> {
  try {
    await run('sh', ['-c', 'command -v butteraugli']);
    return true;
  } catch {
    return false;
  }
}

/** Distance of the encoded variant at `variantPath` from the full-scale reference of `inputPath`. */
export async function largeDistance(inputPath: string, variantPath: string): Promise<number> {
  const variant = readFileSync(variantPath);
  const { width, height } = await sharp(variant).metadata();
  const dir = mkdtempSync(join(tmpdir(), 'imgpipe-bench-quality-'));
  try {
    const full = await sharp(readFileSync(inputPath), { autoOrient: true, limitInputPixels: false })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { width: full.info.width, height: full.info.height, channels: full.info.channels };
    await sharp(full.data, { raw, limitInputPixels: false })
      .resize(width, height, { fit: 'fill' })
      .flatten({ background: '#808080' })
      .png()
      .toFile(join(dir, 'reference.png'));
    await sharp(variant)
      .flatten({ background: '#808080' })
      .toColourspace('srgb')
      .png()
      .toFile(join(dir, 'variant.png'));
    const out = await run('butteraugli', [join(dir, 'reference.png'), join(dir, 'variant.png')]);
    return Number(out.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
