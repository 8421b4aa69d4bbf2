import type { DecodableFormat } from './types';
import { vips } from './vips';

/**
 * The libvips loader class for each allowed format. Everything else under `VipsForeignLoad`
 * (magick, PDF, OpenSlide, FITS, Matlab, CSV, raw, vips, PPM, RAD, JPEG 2000, JPEG XL, UltraHDR, ...)
 * stays blocked process-wide: magic-byte sniffing decides what we hand to libvips, and the block
 * list makes sure libvips cannot pick a different loader for those bytes.
 */
export const LOADER_BY_FORMAT: Readonly<Record<DecodableFormat, string>> = {
  jpeg: 'VipsForeignLoadJpeg',
  png: 'VipsForeignLoadPng',
  webp: 'VipsForeignLoadWebp',
  gif: 'VipsForeignLoadNsgif',
  avif: 'VipsForeignLoadHeif',
  tiff: 'VipsForeignLoadTiff',
  svg: 'VipsForeignLoadSvg',
};

let rasterUnblocked = false;
let svgUnblocked = false;

/**
 * Blocks every libvips loader but the raster allow-list, once per process. The SVG loader is
 * unblocked only when a job that allows SVG first needs it (sniffing still refuses SVG for jobs
 * that do not allow it).
 */
export function lockLoaders(allowSvg: boolean): void {
  if (!rasterUnblocked) {
    vips().block({ operation: ['VipsForeignLoad'] });
    const raster = Object.entries(LOADER_BY_FORMAT)
      .filter(([format]) => format !== 'svg')
      .map(([, loader]) => loader);
    vips().unblock({ operation: raster });
    rasterUnblocked = true;
  }
  if (allowSvg && !svgUnblocked) {
    vips().unblock({ operation: [LOADER_BY_FORMAT.svg] });
    svgUnblocked = true;
  }
}
