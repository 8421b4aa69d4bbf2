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
