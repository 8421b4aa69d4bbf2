import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifest, readCorpusFile } from '@imgpipe/testing';
import { sniffFormat } from '../src';

/** The manifest's magic-byte names, in ours. */
const FROM_MANIFEST: Readonly<Record<string, string>> = {
  'isobmff:avif': 'avif',
  'isobmff:avis': 'avif',
  'isobmff:heic': 'heif',
  j2k: 'jp2',
};

/** Where we know more than the manifest's tool: `file` itself calls it "Big TIFF image data". */
const BIGTIFF = 'pillow/seek_too_large.tif';

describe('sniffFormat', () => {
  it.each(
    loadManifest()
      .filter((r) => r.id !== BIGTIFF)
      .map((r) => [r.id, r.summary.format_by_magic] as const),
  )('agrees with the manifest on %s (%s)', (id, magic) => {
    const expected = magic === null ? undefined : (FROM_MANIFEST[magic] ?? magic);
    expect(sniffFormat(readCorpusFile(id))).toBe(expected);
  });

  it('recognises BigTIFF as TIFF', () => {
    expect(sniffFormat(readCorpusFile(BIGTIFF))).toBe('tiff');
  });

  it('looks at bytes, not names: a web page saved as .jpg is not an image', () => {
    expect(sniffFormat(readFileSync(join(__dirname, 'fixtures', 'not-an-image.jpg')))).toBeUndefined();
  });

  it('finds SVG behind an XML declaration and a DOCTYPE', () => {
    expect(sniffFormat(readFileSync(join(__dirname, 'fixtures', 'external-entity.svg')))).toBe('svg');
  });

  it.each([
    ['empty input', new Uint8Array()],
    ['one byte', new Uint8Array([0xff])],
    ['RIFF that is not WebP', Buffer.from('RIFF\0\0\0\0WAVEfmt ')],
    ['an ftyp box of a video', Buffer.from('\0\0\0\x18ftypmp42\0\0\0\0isommp42')],
  ])('returns undefined for %s', (_what, bytes) => {
    expect(sniffFormat(bytes)).toBeUndefined();
  });
});
