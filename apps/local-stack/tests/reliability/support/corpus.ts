import { type CorpusRecord, loadManifest, readCorpusFile } from '@imgpipe/testing';
import { sniffFormat } from '@imgpipe/image';

/**
 * What the pipeline must make of each corpus file. The decision is the image library's own
 * (`libs/image/tests/corpus.spec.ts`, which proves it on the library alone): the same salvage and
 * refuse lists, restated here because tests of one project cannot import another's. This suite proves
 * the same outcomes survive the trip through S3, events, workers and the table.
 */
export const SALVAGED: ReadonlySet<string> = new Set([
  'imagetestsuite/jpg/1cbb1bb37d62c44f67374cd451643dc4.jpg',
  'imagetestsuite/png/c-m1-8f2b481b7fd9bd745e620b7c01a18df2.png',
  'pillow/truncated_end_chunk.png',
]);
export const REFUSED_VALID: Readonly<Record<string, string>> = {
  'pillow/avif/hopper.heif': 'UNSUPPORTED_FORMAT',
  'pillow/avif/star.avifs': 'UNSUPPORTED_FORMAT',
  'sharp-fixtures/relax.jp2': 'UNSUPPORTED_FORMAT',
};

/** `ready`, or the error code the row must carry. */
export function expectedOutcome(record: CorpusRecord): 'ready' | string {
  if (record.summary.format_by_magic === 'svg') return 'UNSUPPORTED_FORMAT';
  const refused = REFUSED_VALID[record.id];
  if (refused) return refused;
  switch (record.category) {
    case 'valid':
    case 'tricky-valid':
      return 'ready';
    case 'corrupt':
      if (SALVAGED.has(record.id)) return 'ready';
      return sniffFormat(readCorpusFile(record.id)) === undefined ? 'UNSUPPORTED_FORMAT' : 'CORRUPT_IMAGE';
    case 'bomb':
      return 'TOO_MANY_PIXELS';
    case 'not-an-image':
      return 'UNSUPPORTED_FORMAT';
  }
}

export const CORPUS: readonly CorpusRecord[] = loadManifest();

/** A source key for a corpus record: its id under a prefix, so every upload is distinct. */
export function corpusKey(prefix: string, record: CorpusRecord, n?: number): string {
  return `${prefix}/${n === undefined ? '' : `${String(n).padStart(4, '0')}-`}${record.id}`;
}
