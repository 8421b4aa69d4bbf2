import { loadManifest, type CorpusRecord } from '@imgpipe/testing';
import sharp from 'sharp';
import { DCT_MIN_RESIDUAL } from '../src/scaled-decode';
import { butteraugli, BUTTERAUGLI_INSTALL, butteraugliCommand, pool } from './butteraugli';
import { scaledJpegPairs, type VariantPair, variantPairs } from './quality';
import { execFileSync } from 'node:child_process';

/**
 * The quality gate of the decode path. Every variant of every image below is compared with the
 * same variant rendered from a **full-scale** decode (`referenceRaster`), both lossless, by
 * butteraugli (max-norm distance; 1.0 is a just noticeable difference).
 *
 * Threshold 2.5: the decode path may not differ from the full-scale reference by more than the
 * variants' own encoders already do (JPEG q82 / WebP q80 of the reference measure 1.8-2.9 on the
 * benchmark photos), so the decode is never the weakest link. The same gate rejected the issue's
 * "largest covering DCT scale" (butteraugli 4.8 on the 6 MP photo's large variant, last test) and
 * chose `DCT_MIN_RESIDUAL`.
 */
const THRESHOLD = 2.5;

/** Below this edge butteraugli has no scale to work at; such variants must be pixel-identical. */
const MIN_EDGE = 8;

/** Still formats the allow-list decodes (SVG is off by default; HEIC, AVIS and JPEG 2000 are refused). */
const FORMATS = ['jpeg', 'png', 'webp', 'tiff', 'gif', 'isobmff:avif'];

/** The tricky-valid non-JPEG files with an embedded ICC profile (per the corpus manifest's libvips oracle). */
const PROFILED = [
  'sharp-fixtures/prophoto.png',
  'sharp-fixtures/p3.png',
  'sharp-fixtures/fogra-0-100-100-0.tif',
  'pillow/avif/xmp_tags_orientation.avif',
];

function inGate(r: CorpusRecord): boolean {
  const format = r.summary.format_by_magic ?? '';
  if (!FORMATS.includes(format)) return false;
  if (r.category === 'valid') return true;
  // Tricky files whose decode path this gate is about: every JPEG (CMYK, greyscale, odd markers) and
  // every file with an ICC profile (ProPhoto, Display P3).
  return r.category === 'tricky-valid' && (format === 'jpeg' || PROFILED.includes(r.id));
}

const ids = loadManifest()
  .filter(inGate)
  .map((r) => r.id);
/**
 * The JPEGs the binding's decode is checked on: those it actually scales at the gate's residual
 * (4x the 1280 px preset or more: the 16 and 20 MP photos) and those whose bands it converts (CMYK,
 * greyscale). The rest decode at 1/1, which test 2 already covers through sharp.
 */
const jpegIds = loadManifest()
  .filter(
    (r) =>
      inGate(r) &&
      r.summary.format_by_magic === 'jpeg' &&
      ((r.summary.width ?? 0) >= 4 * 1280 || r.summary.bands !== 3),
  )
  .map((r) => r.id);

async function rawOf(png: Buffer): Promise<Buffer> {
  return sharp(png).raw().toBuffer();
}

/** Every pair's distance (or exact equality for tiny variants), two butteraugli processes at a time. */
async function distances(pairs: readonly VariantPair[]): Promise<{ pair: VariantPair; distance: number }[]> {
  return pool(pairs, 2, async (pair) => {
    // Identical pixels are distance 0 without asking butteraugli (most small inputs: no resize at all).
    if ((await rawOf(pair.ours)).equals(await rawOf(pair.reference))) return { pair, distance: 0 };
    if (pair.width < MIN_EDGE || pair.height < MIN_EDGE) return { pair, distance: Number.POSITIVE_INFINITY };
    return { pair, distance: await butteraugli(pair.reference, pair.ours) };
  });
}

function over(results: { pair: VariantPair; distance: number }[]): string[] {
  return results
    .filter((r) => !(r.distance <= THRESHOLD))
    .map((r) => `${r.pair.id} ${r.pair.name} ${r.pair.width}x${r.pair.height}: ${r.distance.toFixed(2)}`);
}

describe('quality gate (butteraugli against a full-scale decode)', () => {
  beforeAll(() => {
    try {
      execFileSync('sh', ['-c', `command -v ${butteraugliCommand()}`]);
    } catch {
      throw new Error(`butteraugli is not installed: ${BUTTERAUGLI_INSTALL}`);
    }
  });

  it('covers the corpus: every valid still image plus the tricky JPEGs and ICC-profiled files', () => {
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(ids).toEqual(expect.arrayContaining(PROFILED));
  });

  it(`keeps every variant of renderVariants within butteraugli ${THRESHOLD}`, async () => {
    const pairs = (await pool(ids, 2, variantPairs)).flat();
    expect(pairs.length).toBe(ids.length * 3);
    expect(over(await distances(pairs))).toEqual([]);
  }, 240_000);

  it(`keeps the binding's DCT-scaled JPEG decode (residual ${DCT_MIN_RESIDUAL}x) within ${THRESHOLD} on the JPEGs it scales or converts`, async () => {
    expect(jpegIds.length).toBeGreaterThanOrEqual(5);
    const pairs = (await pool(jpegIds, 2, (id) => scaledJpegPairs(id, DCT_MIN_RESIDUAL))).flat();
    expect(pairs.length).toBe(jpegIds.length * 3);
    expect(over(await distances(pairs))).toEqual([]);
  }, 240_000);

  it('rejects the largest covering DCT scale: the 6 MP photo decoded at 1/2 for 1280 px fails the gate', async () => {
    const pairs = await scaledJpegPairs('sharp-fixtures/2569067123_aca715a2ee_o.jpg', 1);
    const large = pairs.find((p) => p.name === 'large') as VariantPair;
    expect(large.width).toBe(1280);
    expect(await butteraugli(large.reference, large.ours)).toBeGreaterThan(THRESHOLD);
  }, 60_000);
});
