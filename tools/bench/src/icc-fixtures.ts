/**
 * ICC-profiled inputs for the bench, made from a corpus photo at run time (never committed): the
 * 20 MP photo's sRGB pixels converted into Adobe RGB (1998), Wide Gamut RGB and Display P3 and
 * saved as JPEG q92 with that profile embedded, as a camera or phone would. Adobe RGB and Wide
 * Gamut come from Debian's colord-data profiles (`IMGPIPE_ICC_DIR`, default its install folder);
 * Display P3 is libvips' built-in profile.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { type BenchImage, iccSourceImage } from './images';
import type { Missing } from './types';

export const ICC_INSTALL = 'apt-get install -y colord-data';

/** Where Debian's colord-data installs its profiles; `IMGPIPE_ICC_DIR` overrides it. */
export function iccDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env['IMGPIPE_ICC_DIR'] ?? join('/usr', 'share', 'color', 'icc', 'colord');
}

const PROFILES: Readonly<
  Record<string, { readonly profile: (dir: string) => string; readonly label: string }>
> = {
  'adobe-rgb': { profile: (dir) => join(dir, 'AdobeRGB1998.icc'), label: 'Adobe RGB (1998)' },
  'wide-gamut': { profile: (dir) => join(dir, 'WideGamutRGB.icc'), label: 'Wide Gamut RGB' },
  'display-p3': { profile: () => 'p3', label: 'Display P3' },
};

/** Makes the fixtures asked for under `dir`; a profile that is not installed is reported missing. */
export async function iccFixtures(
  keys: readonly string[],
  dir: string,
): Promise<{ images: Record<string, BenchImage>; missing: Missing[] }> {
  const images: Record<string, BenchImage> = {};
  const missing: Missing[] = [];
  const source = iccSourceImage();
  mkdirSync(dir, { recursive: true });
  for (const key of keys) {
    const spec = PROFILES[key];
    if (!spec) continue;
    const profile = spec.profile(iccDirectory());
    if (profile !== 'p3' && !existsSync(profile)) {
      missing.push({ what: `image ${key}`, reason: `${profile} not found`, install: ICC_INSTALL });
      continue;
    }
    const path = join(dir, `${key}.jpg`);
    await sharp(source.path).withIccProfile(profile).jpeg({ quality: 92 }).toFile(path);
    images[key] = {
      key,
      id: `${source.id} as ${spec.label}`,
      path,
      width: source.width,
      height: source.height,
      bytes: statSync(path).size,
      note: `${spec.label} profile embedded, made from the 20 MP photo`,
    };
  }
  return { images, missing };
}

/** A file named with `--image`: measured like the built-in workloads. */
export async function imageFromPath(path: string, resolvedPath: string): Promise<BenchImage> {
  const meta = await sharp(resolvedPath).metadata();
  return {
    key: path,
    id: path,
    path: resolvedPath,
    width: meta.width,
    height: meta.height,
    bytes: statSync(resolvedPath).size,
    note: 'from --image',
  };
}
