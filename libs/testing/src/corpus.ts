import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** One record of the corpus manifest (`shared/corpus/manifest.json`); only the fields tests use are typed. */
export interface CorpusRecord {
  readonly id: string;
  readonly path: string;
  readonly category: 'valid' | 'tricky-valid' | 'corrupt' | 'bomb' | 'not-an-image';
  readonly size_bytes: number;
  readonly summary: {
    readonly format_by_magic: string | null;
    readonly width: number | null;
    readonly height: number | null;
    readonly bands: number | null;
    readonly has_alpha: boolean | null;
    readonly pages: number | null;
    readonly vips_header_ok: boolean | null;
    readonly vips_decode_lenient_ok: boolean | null;
    readonly vips_decode_strict_ok: boolean | null;
    readonly pillow_decode_ok: boolean | null;
    readonly orientation_exiftool: number | null;
    readonly orientation_vips: number | null;
    readonly orientation_pillow_exif: number | null;
  };
  readonly expected_from_source: Readonly<Record<string, unknown>>;
  readonly derived: Readonly<Record<string, unknown>> | null;
  readonly notes: readonly string[];
}

/**
 * Finds the shared corpus: `IMGPIPE_CORPUS_DIR`, else `shared/corpus` beside the repository
 * (walking up from this file), which is where CI's clone finds it.
 */
export function corpusDir(): string {
  const fromEnv = process.env['IMGPIPE_CORPUS_DIR'];
  if (fromEnv) return resolve(fromEnv);
  let dir = __dirname;
  for (;;) {
    for (const candidate of [join(dir, 'shared', 'corpus'), join(dir, '..', 'shared', 'corpus')]) {
      if (existsSync(join(candidate, 'manifest.json'))) return resolve(candidate);
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    'The image corpus was not found: set IMGPIPE_CORPUS_DIR to the folder holding manifest.json ' +
      '(it is shared/corpus beside the repository).',
  );
}

let cached: readonly CorpusRecord[] | undefined;

/** The manifest's records, read once. */
export function loadManifest(): readonly CorpusRecord[] {
  cached ??= JSON.parse(readFileSync(join(corpusDir(), 'manifest.json'), 'utf8')) as CorpusRecord[];
  return cached;
}

/** Absolute path of a corpus file by its manifest id (e.g. `sharp-fixtures/320x240.jpg`). */
export function corpusFile(id: string): string {
  const record = loadManifest().find((r) => r.id === id);
  if (!record) throw new Error(`No corpus record with id "${id}"`);
  return join(corpusDir(), record.path);
}

/** The bytes of a corpus file by id. */
export function readCorpusFile(id: string): Buffer {
  return readFileSync(corpusFile(id));
}
