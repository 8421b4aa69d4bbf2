/**
 * The sharp comparators. Every one renders the same presets as imgpipe (`DEFAULT_PRESETS`) with
 * each encoder's defaults for the preset's quality (no mozjpeg, WebP effort 4).
 */
import type { PresetSpec } from '@imgpipe/pipeline';
import { dctShrink, loadLibvipsFfi } from '@imgpipe/image';
import sharp, { type Sharp } from 'sharp';
import type { Rendered } from './worker-protocol';

function encode(pipeline: Sharp, preset: PresetSpec): Sharp {
  switch (preset.format) {
    case 'jpeg':
      return pipeline.jpeg({ quality: preset.quality });
    case 'webp':
      return pipeline.webp({ quality: preset.quality });
    case 'avif':
      return pipeline.avif({ quality: preset.quality });
    case 'png':
      return pipeline.png();
  }
}

function resizeTo(pipeline: Sharp, preset: PresetSpec): Sharp {
  return pipeline.resize(preset.width, preset.height, {
    fit: preset.fit,
    position: preset.fit === 'cover' ? sharp.strategy.attention : 'centre',
    withoutEnlargement: true,
  });
}

async function finish(pipeline: Sharp, preset: PresetSpec): Promise<Rendered> {
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return {
    name: preset.name,
    format: info.format,
    width: info.width,
    height: info.height,
    bytes: data.length,
    data,
  };
}

/** One independent pipeline per preset from the full-size input, one after the other. */
export async function sharpNaive(input: Buffer, presets: readonly PresetSpec[]): Promise<Rendered[]> {
  const out: Rendered[] = [];
  for (const preset of presets)
    out.push(await finish(encode(resizeTo(sharp(input).rotate(), preset), preset), preset));
  return out;
}

/** The same independent pipelines started together (`Promise.all`), as much sharp code does. */
export function sharpNaiveParallel(input: Buffer, presets: readonly PresetSpec[]): Promise<Rendered[]> {
  return Promise.all(
    presets.map((preset) => finish(encode(resizeTo(sharp(input).rotate(), preset), preset), preset)),
  );
}

/**
 * The JPEG shrink-on-load factor libjpeg could decode at (1, 2, 4 or 8: the largest whose
 * output, ceil(side / factor), still covers `need`). Pillow's `draft()` reaches this one.
 */
export function libjpegShrinkFactor(
  width: number,
  height: number,
  need: { width: number; height: number },
): number {
  let factor = 1;
  for (const f of [2, 4, 8]) {
    if (Math.ceil(width / f) >= need.width && Math.ceil(height / f) >= need.height) factor = f;
  }
  return factor;
}

/**
 * The factor sharp 0.35 actually asks libjpeg for when resizing by `shrink` (src/pipeline.cc): the
 * largest of 8/4/2 not above `shrink`, halved when `floor(shrink)` equals it ("known libjpeg
 * rounding errors"), so a factor-2 decode needs a shrink of at least 3.
 */
export function sharpJpegShrinkFactor(shrink: number): number {
  let factor = shrink >= 8 ? 8 : shrink >= 4 ? 4 : shrink >= 2 ? 2 : 1;
  if (factor > 1 && Math.floor(shrink) === factor) factor /= 2;
  return factor;
}

/** Smallest size covering every preset (cover presets must fill their box, inside ones fit it). */
export function neededSize(
  width: number,
  height: number,
  presets: readonly PresetSpec[],
): { width: number; height: number } {
  let scale = 0;
  for (const p of presets) {
    const s =
      p.fit === 'cover'
        ? Math.max(p.width / width, p.height / height)
        : Math.min(p.width / width, p.height / height);
    scale = Math.max(scale, s);
  }
  scale = Math.min(1, scale);
  return { width: Math.ceil(width * scale), height: Math.ceil(height * scale) };
}

interface Raw {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
}

async function toRaw(pipeline: Sharp): Promise<Raw> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function fromRaw(raw: Raw): Sharp {
  return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
}

/**
 * The decode of the true floor: a JPEG at libjpeg's largest DCT scale that still covers `need`
 * (libvips' `jpegload` with `shrink`, through the same binding as imgpipe), then one resample;
 * anything else (or without the binding) through sharp, whose shrink-on-load is all there is.
 */
async function floorDecode(
  input: Buffer,
  meta: { format?: string; width: number; height: number },
  need: { width: number; height: number },
  minResidual: number,
): Promise<Raw> {
  const ffi = meta.format === 'jpeg' ? (await loadLibvipsFfi(sharp)).ffi : undefined;
  if (ffi) {
    const shrink = dctShrink(meta.width, meta.height, need, minResidual);
    const d = await ffi.jpegDecode(input, shrink, false, () => undefined);
    const channels = d.bands as 1 | 3;
    const decoded = sharp(d.data, { raw: { width: d.width, height: d.height, channels } });
    return toRaw(d.width > need.width ? decoded.resize(need.width, need.height, { fit: 'fill' }) : decoded);
  }
  return toRaw(
    need.width < meta.width ? sharp(input).resize(need.width, need.height, { fit: 'fill' }) : sharp(input),
  );
}

/**
 * The true floor: the least work that yields the same three outputs with the same libvips.
 * 1. one decode at the largest DCT scale covering every preset (`floorDecode`; sharp alone would
 *    halve it, see `sharpJpegShrinkFactor`) and a single resample, to raw pixels;
 * 2. a cascade of raw resamples, largest preset first, each from the previous (large from the
 *    decode, small from large, thumb from small with the attention crop);
 * 3. the three encodes from raw pixels, run together.
 * No EXIF orientation, colour conversion, limits, metadata or placeholder: it is a lower bound.
 */
export async function floor(
  input: Buffer,
  presets: readonly PresetSpec[],
  minResidual = 1,
): Promise<Rendered[]> {
  const meta = await sharp(input).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const need = neededSize(width, height, presets);
  let current = await floorDecode(input, { format: meta.format, width, height }, need, minResidual);
  const bySize = [...presets].sort((a, b) => b.width * b.height - a.width * a.height);
  const rendered = new Map<string, Raw>();
  for (const preset of bySize) {
    current = await toRaw(resizeTo(fromRaw(current), preset));
    rendered.set(preset.name, current);
  }
  return Promise.all(
    presets.map((preset) => finish(encode(fromRaw(rendered.get(preset.name) as Raw), preset), preset)),
  );
}
