import { DEFAULT_PRESETS } from '@imgpipe/pipeline';
import { type CorpusRecord, loadManifest, readCorpusFile } from '@imgpipe/testing';
import sharp from 'sharp';
import { type ImageErrorCode, isImageError, processImage, type Preset, sniffFormat } from '../src';
import { LIMITS, rejectionOf } from './helpers';

/**
 * Files of the `corrupt` category that we decode on purpose, and why. Everything else in that
 * category must be refused with a typed error.
 */
const SALVAGED: Readonly<Record<string, string>> = {
  'imagetestsuite/jpg/1cbb1bb37d62c44f67374cd451643dc4.jpg':
    'libjpeg reports only a warning (premature end of a data segment); we reject errors and truncation, not warnings',
  'imagetestsuite/png/c-m1-8f2b481b7fd9bd745e620b7c01a18df2.png':
    'its bad sBIT/tEXt chunks are ancillary; pixels decode strictly (the spin was Debian libvips writing .v metadata)',
  'pillow/truncated_end_chunk.png': 'all pixel data is present; only the last chunk is cut short',
};

/** Legal files we refuse on purpose: formats outside the allow-list or beyond sharp's prebuilt decoders. */
const REFUSED_VALID: Readonly<Record<string, ImageErrorCode>> = {
  'pillow/avif/hopper.heif': 'UNSUPPORTED_FORMAT', // HEVC-coded HEIC: not on the allow-list, no decoder in sharp
  'pillow/avif/star.avifs': 'UNSUPPORTED_FORMAT', // AVIF image sequence: libvips reads still AVIF only
  'sharp-fixtures/relax.jp2': 'UNSUPPORTED_FORMAT', // JPEG 2000: not on the allow-list
};

const records = loadManifest();

function expectedOutcome(record: CorpusRecord): 'ok' | ImageErrorCode {
  if (record.summary.format_by_magic === 'svg') return 'UNSUPPORTED_FORMAT'; // SVG is off by default
  const refused = REFUSED_VALID[record.id];
  if (refused) return refused;
  switch (record.category) {
    case 'valid':
    case 'tricky-valid':
      return 'ok';
    case 'corrupt':
      if (SALVAGED[record.id]) return 'ok';
      // Bytes we cannot even recognise are "not an image"; recognised but unreadable ones are corrupt.
      return sniffFormat(readCorpusFile(record.id)) === undefined ? 'UNSUPPORTED_FORMAT' : 'CORRUPT_IMAGE';
    case 'bomb':
      return 'TOO_MANY_PIXELS';
    case 'not-an-image':
      return 'UNSUPPORTED_FORMAT';
  }
}

/** Displayed size as the independent oracle (libvips CLI) reports it, after its orientation. */
function displayed(record: CorpusRecord): { width: number; height: number } {
  const { width, height, orientation_vips: orientation } = record.summary;
  if (width === null || height === null) throw new Error(`${record.id} has no oracle size`);
  return (orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

function expectedVariantSize(
  source: { width: number; height: number },
  preset: Preset,
): { width: number; height: number } {
  if (preset.fit === 'cover') {
    return { width: Math.min(source.width, preset.width), height: Math.min(source.height, preset.height) };
  }
  const scale = Math.min(1, preset.width / source.width, preset.height / source.height);
  return { width: Math.round(source.width * scale), height: Math.round(source.height * scale) };
}

const cases = records.map((record) => ({ record, outcome: expectedOutcome(record) }));
const accepted = cases.filter((c) => c.outcome === 'ok');
const refused = cases.filter((c) => c.outcome !== 'ok');

describe('processImage over the corpus', () => {
  it('covers every file of the manifest, each with a decided outcome', () => {
    expect(cases).toHaveLength(records.length);
    expect(accepted.length).toBeGreaterThan(60);
    expect(refused.length).toBeGreaterThan(25);
  });

  it.each(accepted.map((c) => [`${c.record.category} ${c.record.id}`, c.record] as const))(
    'renders %s with the oracle size, the preset formats and no metadata in variants',
    async (_name, record) => {
      const { metadata, variants } = await processImage(readCorpusFile(record.id), {
        limits: LIMITS,
        presets: DEFAULT_PRESETS,
      });
      const size = displayed(record);
      expect({ width: metadata.width, height: metadata.height }).toEqual(size);
      const magic = record.summary.format_by_magic;
      expect(metadata.format).toBe(magic === 'isobmff:avif' ? 'avif' : magic);
      expect(metadata.orientation).toBe(record.summary.orientation_vips ?? 1);
      expect(variants.map((v) => v.name)).toEqual(DEFAULT_PRESETS.map((p) => p.name));
      for (const [i, variant] of variants.entries()) {
        const preset = DEFAULT_PRESETS[i] as Preset;
        const expected = expectedVariantSize(size, preset);
        expect(Math.abs(variant.width - expected.width)).toBeLessThanOrEqual(1);
        expect(Math.abs(variant.height - expected.height)).toBeLessThanOrEqual(1);
        expect(sniffFormat(variant.data)).toBe(preset.format);
        const written = await sharp(variant.data).metadata();
        expect({ width: written.width, height: written.height }).toEqual({
          width: variant.width,
          height: variant.height,
        });
        expect(written.exif).toBeUndefined();
        expect(variant.bytes).toBe(variant.data.length);
      }
    },
    20_000,
  );

  it.each(refused.map((c) => [`${c.record.category} ${c.record.id}`, c.outcome, c.record] as const))(
    'refuses %s with %s, a permanent typed error',
    async (_name, code, record) => {
      const error = await rejectionOf(
        processImage(readCorpusFile(record.id), { limits: LIMITS, presets: DEFAULT_PRESETS }),
      );
      expect(isImageError(error)).toBe(true);
      expect(error).toMatchObject({ code, permanent: true });
    },
    10_000,
  );
});
