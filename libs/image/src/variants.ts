import { CONTENT_TYPE_BY_FORMAT, EXTENSION_BY_FORMAT } from '@imgpipe/pipeline';
import type { Sharp } from 'sharp';
import type { Deadline } from './deadline';
import { decodeFailure, fromRaster, type Raster } from './decode';
import { sourceOptions } from './inspect';
import type { ImageLimits, Preset, RenderedVariant } from './types';
import { vips } from './vips';

/** JPEG has no alpha: transparent pixels become white rather than libvips' default black. */
const JPEG_BACKGROUND = '#ffffff';

function encode(pipeline: Sharp, preset: Preset, hasAlpha: boolean): Sharp {
  switch (preset.format) {
    case 'jpeg':
      // Plain libjpeg-turbo settings: mozjpeg's trellis quantisation costs ~7x the encode time
      // of a 1280 px variant for a few percent of bytes.
      return (hasAlpha ? pipeline.flatten({ background: JPEG_BACKGROUND }) : pipeline).jpeg({
        quality: preset.quality,
      });
    case 'webp':
      return pipeline.webp({ quality: preset.quality, effort: 4 });
    case 'avif':
      return pipeline.avif({ quality: preset.quality, effort: 4 });
    case 'png':
      return pipeline.png({ compressionLevel: 9, adaptiveFiltering: true });
  }
}

function resize(pipeline: Sharp, preset: Preset, position: string): Sharp {
  return pipeline.resize(preset.width, preset.height, {
    fit: preset.fit,
    position,
    withoutEnlargement: true,
  });
}

async function finish(pipeline: Sharp, preset: Preset, deadline: Deadline): Promise<RenderedVariant> {
  const { data, info } = await deadline.race(pipeline.toBuffer({ resolveWithObject: true }));
  return {
    name: preset.name,
    format: preset.format,
    contentType: CONTENT_TYPE_BY_FORMAT[preset.format],
    extension: EXTENSION_BY_FORMAT[preset.format],
    width: info.width,
    // Animated output stacks frames vertically; a variant's height is one frame's.
    height: info.pageHeight ?? info.height,
    bytes: data.length,
    data,
  };
}

/**
 * Renders one preset from the job's single decode. `cover` crops with libvips' attention
 * strategy (the most salient region); nothing is ever enlarged; no metadata is written.
 */
export async function renderFromRaster(
  raster: Raster,
  preset: Preset,
  deadline: Deadline,
): Promise<RenderedVariant> {
  try {
    const pipeline = resize(
      fromRaster(raster, deadline),
      preset,
      vips().strategy.attention as unknown as string,
    );
    return await finish(encode(pipeline, preset, raster.channels === 4), preset, deadline);
  } catch (cause) {
    throw decodeFailure(cause, `rendering ${preset.name}`, deadline);
  }
}

/**
 * Renders an animated preset: every frame of an animated input is decoded (the one case that
 * needs a second decode, taken only when a preset asks for animation). Crops are centred, as
 * attention would pick a different region per frame.
 */
export async function renderAnimated(
  input: Buffer,
  limits: ImageLimits,
  preset: Preset,
  deadline: Deadline,
  hasAlpha: boolean,
): Promise<RenderedVariant> {
  try {
    const source = vips()(input, sourceOptions(limits, { animated: true })).timeout({
      seconds: deadline.sharpSeconds(),
    });
    return await finish(encode(resize(source, preset, 'centre'), preset, hasAlpha), preset, deadline);
  } catch (cause) {
    throw decodeFailure(cause, `rendering ${preset.name}`, deadline);
  }
}
