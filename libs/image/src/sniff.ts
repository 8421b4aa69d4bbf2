import type { SniffedFormat } from './types';

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

/** ISO-BMFF (`ftyp`): AVIF when the major or a compatible brand says so, HEIF for the HEVC brands. */
function sniffIsoBmff(bytes: Uint8Array): SniffedFormat | undefined {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return undefined;
  const boxSize = Math.min(bytes.length, new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0));
  const major = ascii(bytes, 8, 12);
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= boxSize; at += 4) compatible.push(ascii(bytes, at, at + 4));
  if (major === 'avif' || major === 'avis' || compatible.includes('avif')) return 'avif';
  if (HEIF_BRANDS.has(major) || compatible.some((brand) => HEIF_BRANDS.has(brand))) return 'heif';
  return undefined;
}

/** SVG: text whose first element (after a BOM, XML declaration, comments or DOCTYPE) is `<svg`. */
function sniffSvg(bytes: Uint8Array): SniffedFormat | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const rest = head.replace(
    /^(\s*(<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>))*\s*/i,
    '',
  );
  return /^<svg[\s>]/i.test(rest) ? 'svg' : undefined;
}

/** True for an AVIF image sequence (`ftyp avis`): libvips reads still AVIF only. */
export function isAvifSequence(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp' && ascii(bytes, 8, 12) === 'avis';
}

/**
 * The format of `bytes` by magic number, or `undefined` when it is none we know. Never looks at a
 * file name or a Content-Type: those are claims, the bytes are evidence.
 * @example sniffFormat(readFileSync('cat.jpg')) // 'jpeg'
 */
export function sniffFormat(bytes: Uint8Array): SniffedFormat | undefined {
  // SOI alone, as libvips checks: a damaged first segment is the decoder's to judge, not "not a JPEG".
  if (startsWith(bytes, [0xff, 0xd8])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return 'gif';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b]))
    return 'tiff';
  if (startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]))
    return 'jp2';
  if (startsWith(bytes, [0xff, 0x4f, 0xff, 0x51])) return 'jp2';
  if (bytes.length >= 5 && ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
  if (bytes.length >= 26 && ascii(bytes, 0, 2) === 'BM') return 'bmp';
  return sniffIsoBmff(bytes) ?? sniffSvg(bytes);
}
