import type { Deadline } from './deadline';
import { decodeFailure, fromRaster, presetScale, type Raster } from './decode';
import type { Preset } from './types';

/** The size `preset` needs from a raster of `width` x `height` (never more than the raster). */
export function neededSize(
  width: number,
  height: number,
  preset: Pick<Preset, 'fit' | 'width' | 'height'>,
): { width: number; height: number } {
  const scale = Math.min(1, presetScale(width, height, preset));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function serves(source: Raster, need: { width: number; height: number }): boolean {
  return source.width >= need.width && source.height >= need.height;
}

async function shrinkTo(source: Raster, preset: Preset, deadline: Deadline): Promise<Raster> {
  try {
    const { data, info } = await deadline.race(
      fromRaster(source, deadline)
        .resize(preset.width, preset.height, { fit: 'inside', withoutEnlargement: true })
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true }),
    );
    return { data, width: info.width, height: info.height, channels: source.channels };
  } catch (cause) {
    throw decodeFailure(cause, `resampling for ${preset.name}`, deadline);
  }
}

/**
 * Picks the raster each still preset is rendered from: presets are taken largest first, and each
 * comes from the **smallest** raster made so far that still covers what it needs (so the 128 px
 * thumbnail's attention crop looks at the 320 px raster, not the 1280 px decode). Every `inside`
 * preset smaller than its source leaves its own resampled, uncropped raster for the smaller ones;
 * cropped (`cover`) results never feed another preset. Nothing is ever enlarged: when no raster
 * covers a preset's need, it comes from the decode itself, as without the cascade.
 * @example const sources = await cascade(raster, DEFAULT_PRESETS, deadline); sources.get(thumb) // the 320x180 raster
 */
export async function cascade(
  raster: Raster,
  presets: readonly Preset[],
  deadline: Deadline,
): Promise<Map<Preset, Raster>> {
  const needs = new Map(presets.map((p) => [p, neededSize(raster.width, raster.height, p)] as const));
  const area = (p: Preset): number => {
    const need = needs.get(p) ?? { width: 0, height: 0 };
    return need.width * need.height;
  };
  const order = [...presets].sort((a, b) => area(b) - area(a));
  const pool: Raster[] = [raster];
  const sources = new Map<Preset, Raster>();
  for (const preset of order) {
    const need = needs.get(preset) ?? raster;
    const source = pool
      .filter((r) => serves(r, need))
      .reduce((best, r) => (r.width * r.height < best.width * best.height ? r : best), raster);
    if (preset.fit === 'inside' && (need.width < source.width || need.height < source.height)) {
      const own = await shrinkTo(source, preset, deadline);
      pool.push(own);
      sources.set(preset, own);
    } else {
      sources.set(preset, source);
    }
  }
  return sources;
}
