import { DEFAULT_LIMITS, DEFAULT_PRESETS } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import sharp from 'sharp';
import { cascade } from '../src/cascade';
import { Deadline } from '../src/deadline';
import { decodeSize, type Raster } from '../src/decode';
import { readHeader } from '../src/inspect';
import { loadLibvipsFfi } from '../src/libvips-ffi';
import { dctShrink, decodeJpegScaled } from '../src/scaled-decode';
import { loadSharp } from '../src/vips';
import { renderVariants, type Preset, type RenderedVariant } from '../src';
import { renderFromRaster } from '../src/variants';

/** The default presets, encoded losslessly: the gate measures the decode path, not the encoders. */
export const LOSSLESS_PRESETS: readonly Preset[] = DEFAULT_PRESETS.map((p) => ({ ...p, format: 'png' }));

/**
 * The reference raster: a **full-scale** decode by sharp (no shrink-on-load: there is no resize in
 * that pipeline), EXIF orientation and the embedded profile applied at full size as sharp does, then
 * one Lanczos resize to the size the presets need.
 */
export async function referenceRaster(input: Buffer, presets: readonly Preset[]): Promise<Raster> {
  const full = await sharp(input, { autoOrient: true, failOn: 'error', limitInputPixels: false })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const size = decodeSize(full.info.width, full.info.height, presets, 0);
  const { data, info } = await sharp(full.data, {
    raw: { width: full.info.width, height: full.info.height, channels: full.info.channels },
    limitInputPixels: false,
  })
    .resize(size.width, size.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 && info.channels !== 4) throw new Error(`reference has ${info.channels} channels`);
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** One variant of one corpus image, ours and the reference, both PNG. */
export interface VariantPair {
  readonly id: string;
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly ours: Buffer;
  readonly reference: Buffer;
}

/** Test budget per job: generous, as the machines running the suite are shared. */
const TEST_LIMITS = { ...DEFAULT_LIMITS, jobTimeoutMs: 180_000 };

const references = new Map<string, Promise<Map<string, Buffer>>>();

/** The reference variants of `id` by preset name (PNG), computed once per test process. */
function referenceVariants(id: string): Promise<Map<string, Buffer>> {
  let found = references.get(id);
  if (!found) {
    found = (async () => {
      const deadline = new Deadline(TEST_LIMITS.jobTimeoutMs);
      const raster = await referenceRaster(readCorpusFile(id), LOSSLESS_PRESETS);
      const sources = await cascade(raster, LOSSLESS_PRESETS, deadline);
      const out = new Map<string, Buffer>();
      for (const preset of LOSSLESS_PRESETS) {
        out.set(preset.name, (await renderFromRaster(sources.get(preset) as Raster, preset, deadline)).data);
      }
      return out;
    })();
    references.set(id, found);
  }
  return found;
}

async function pairsWith(id: string, ours: readonly RenderedVariant[]): Promise<VariantPair[]> {
  const reference = await referenceVariants(id);
  return ours.map((v) => ({
    id,
    name: v.name,
    width: v.width,
    height: v.height,
    ours: v.data,
    reference: reference.get(v.name) as Buffer,
  }));
}

/** Renders `id` through `renderVariants` and pairs each variant with its reference. */
export async function variantPairs(id: string): Promise<VariantPair[]> {
  const ours = await renderVariants(readCorpusFile(id), { limits: TEST_LIMITS, presets: LOSSLESS_PRESETS });
  return pairsWith(id, ours.variants);
}

/**
 * The same variants with every JPEG forced through the binding's DCT-scaled decode at
 * `dctShrink(..., minResidual)` (production uses it only where sharp's factor differs).
 */
export async function scaledJpegPairs(id: string, minResidual: number): Promise<VariantPair[]> {
  const input = readCorpusFile(id);
  const presets = LOSSLESS_PRESETS;
  const sharpLib = await loadSharp();
  const ffi = (await loadLibvipsFfi(sharpLib)).ffi;
  if (!ffi) throw new Error('the libvips binding did not load');
  const deadline = new Deadline(TEST_LIMITS.jobTimeoutMs);
  const header = await readHeader(input, TEST_LIMITS, deadline);
  const { width, height, orientation } = header.inspection;
  const displayed = orientation >= 5 ? { width: height, height: width } : { width, height };
  const size = decodeSize(displayed.width, displayed.height, presets, 0);
  const stored = orientation >= 5 ? { width: size.height, height: size.width } : size;
  const job = { header, displayed, size, minResidual };
  const pixels = await decodeJpegScaled(
    ffi,
    input,
    TEST_LIMITS,
    job,
    dctShrink(width, height, stored, minResidual),
    deadline,
  );
  const raster: Raster = { ...pixels, channels: pixels.channels as 3 | 4 };
  const sources = await cascade(raster, presets, deadline);
  const ours = await Promise.all(
    presets.map((preset) => renderFromRaster(sources.get(preset) as Raster, preset, deadline)),
  );
  return pairsWith(id, ours);
}
