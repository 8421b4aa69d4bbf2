/**
 * The description of an ICC profile (`desc` tag): ICC v2 `desc` (ASCII) or v4 `mluc` (UTF-16BE,
 * first record). Returns undefined for anything malformed; a profile's name is never worth an error.
 */
export function iccDescription(profile: Buffer | undefined): string | undefined {
  if (!profile || profile.length < 132) return undefined;
  try {
    const count = profile.readUInt32BE(128);
    for (let i = 0; i < count && 132 + (i + 1) * 12 <= profile.length; i++) {
      const entry = 132 + i * 12;
      if (profile.toString('latin1', entry, entry + 4) !== 'desc') continue;
      const offset = profile.readUInt32BE(entry + 4);
      const size = profile.readUInt32BE(entry + 8);
      if (offset + size > profile.length || size < 12) return undefined;
      const tag = profile.subarray(offset, offset + size);
      return clean(decodeDescription(tag));
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function decodeDescription(tag: Buffer): string | undefined {
  const type = tag.toString('latin1', 0, 4);
  if (type === 'desc') {
    const length = tag.readUInt32BE(8);
    return tag.toString('latin1', 12, Math.min(tag.length, 12 + length));
  }
  if (type === 'mluc' && tag.length >= 28) {
    const length = tag.readUInt32BE(20);
    const offset = tag.readUInt32BE(24);
    const end = Math.min(tag.length, offset + length);
    const bytes = tag.subarray(offset, end - ((end - offset) % 2));
    return Buffer.from(bytes).swap16().toString('utf16le');
  }
  return undefined;
}

function clean(value: string | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex
  const trimmed = value?.replace(/[\u0000-\u001f]+/g, '').trim();
  return trimmed ? trimmed.slice(0, 256) : undefined;
}

/** Where a job converts its colours to sRGB: nowhere, in the decode (sharp / libvips), or after the resize. */
export type ProfileStep = 'none' | 'decode' | 'after-resize';

/** The ICC header's data colour space signature (`RGB `, `CMYK`, `GRAY`, ...), trimmed. */
export function profileColourSpace(profile: Buffer | undefined): string | undefined {
  if (!profile || profile.length < 132) return undefined;
  return profile.toString('latin1', 16, 20).trim();
}

/**
 * True for a profile that describes itself as sRGB (`sRGB IEC61966-2.1`, `sRGB built-in`, ...): its
 * pixels already are what an sRGB variant needs, so the transform (~40 ms on 20 MP in sharp) is skipped.
 */
export function isSrgbProfile(profile: Buffer | undefined): boolean {
  return profileColourSpace(profile) === 'RGB' && /\bsRGB\b/i.test(iccDescription(profile) ?? '');
}

/**
 * Decides where the embedded profile is applied. RGB profiles other than sRGB (Adobe RGB, Display
 * P3, ProPhoto, wide gamut) are converted after the resize, at the output size, when the libvips
 * binding can do it (`afterResize`); CMYK and greyscale profiles change the band count, so they are
 * applied in the decode, as are all profiles when only sharp is available.
 * @example profileStep(adobeRgbProfile, true) // 'after-resize'
 */
export function profileStep(profile: Buffer | undefined, afterResize: boolean): ProfileStep {
  if (!profile || profile.length === 0 || isSrgbProfile(profile)) return 'none';
  return afterResize && profileColourSpace(profile) === 'RGB' ? 'after-resize' : 'decode';
}
