import { corpusFile, loadManifest, type CorpusRecord } from '@imgpipe/testing';

/** A workload input: a short label for tables and the corpus id it stands for. */
export interface BenchImage {
  readonly key: string;
  readonly id: string;
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly note: string;
}

const SHARP_BENCHMARK_JPEG = 'sharp-fixtures/2569067123_aca715a2ee_o.jpg';
const TWENTY_MP_JPEG = 'debian/lomiri-wallpapers-20.04/Kleiber_by_Lukas_Baubkus.jpg';
const TINY_JPEG = 'sharp-fixtures/320x240.jpg';

function toImage(key: string, record: CorpusRecord, note: string): BenchImage {
  return {
    key,
    id: record.id,
    path: corpusFile(record.id),
    width: record.summary.width ?? 0,
    height: record.summary.height ?? 0,
    bytes: record.size_bytes,
    note,
  };
}

function byId(id: string): CorpusRecord {
  const record = loadManifest().find((r) => r.id === id);
  if (!record) throw new Error(`The corpus has no "${id}" (is IMGPIPE_CORPUS_DIR the right corpus?)`);
  return record;
}

/** The largest valid progressive JPEG the manifest describes. */
function largestProgressiveJpeg(): CorpusRecord {
  const candidates = loadManifest().filter(
    (r) =>
      r.category === 'valid' &&
      r.summary.format_by_magic === 'jpeg' &&
      r.notes.some((n) => /progressive/i.test(n)),
  );
  const pixels = (r: CorpusRecord): number => (r.summary.width ?? 0) * (r.summary.height ?? 0);
  const best = [...candidates].sort((a, b) => pixels(b) - pixels(a))[0];
  if (!best) throw new Error('The corpus has no valid progressive JPEG');
  return best;
}

/**
 * The variant workloads by key: the three inputs, plus `tiny` (a 320x240 JPEG) used by
 * the bench's own test to exercise the harness in seconds.
 */
export function variantImages(): Record<string, BenchImage> {
  const progressive = largestProgressiveJpeg();
  return {
    '6mp': toImage('6mp', byId(SHARP_BENCHMARK_JPEG), "sharp's published benchmark input, baseline"),
    '20mp': toImage('20mp', byId(TWENTY_MP_JPEG), 'baseline photograph'),
    progressive: toImage('progressive', progressive, 'largest progressive JPEG in the corpus'),
    tiny: toImage('tiny', byId(TINY_JPEG), 'harness self-test only'),
  };
}

/** ICC-profiled fixtures made from the 20 MP photo at bench time (`icc-fixtures.ts`). */
export const ICC_IMAGE_KEYS = ['adobe-rgb', 'wide-gamut', 'display-p3'] as const;

/** Every workload `--images` accepts. */
export const BUILT_IN_IMAGE_KEYS = ['6mp', '20mp', 'progressive', 'tiny', ...ICC_IMAGE_KEYS] as const;

/** Default variant workloads (in order); `--quick` uses the same with fewer repetitions. */
export const DEFAULT_IMAGE_KEYS = ['6mp', '20mp', 'progressive', ...ICC_IMAGE_KEYS] as const;

/** The 20 MP photo the ICC fixtures are made from. */
export function iccSourceImage(): BenchImage {
  return toImage('20mp', byId(TWENTY_MP_JPEG), 'baseline photograph');
}

/**
 * Small valid still images (JPEG/PNG/WebP, at most 3 MP and 1 MB) for the end-to-end burst,
 * cycled to the number of uploads.
 */
export function burstImages(): BenchImage[] {
  return loadManifest()
    .filter((r) => {
      const s = r.summary;
      const pixels = (s.width ?? 0) * (s.height ?? 0);
      return (
        r.category === 'valid' &&
        ['jpeg', 'png', 'webp'].includes(s.format_by_magic ?? '') &&
        (s.pages ?? 1) <= 1 &&
        pixels > 0 &&
        pixels <= 3_000_000 &&
        r.size_bytes <= 1_000_000
      );
    })
    .map((r) => toImage(r.id, r, 'burst'));
}
