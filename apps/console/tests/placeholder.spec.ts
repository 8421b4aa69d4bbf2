import { rgbaToThumbHash, thumbHashToRGBA } from 'thumbhash';
import { placeholderDataUrl } from '../src/lib/placeholder';

function gradientHash(): string {
  const w = 32;
  const h = 16;
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      const i = (y * w + x) * 4;
      rgba.set([x * 8, 40, 255 - y * 15, 255], i);
    }
  }
  return Buffer.from(rgbaToThumbHash(w, h, rgba)).toString('base64');
}

describe('placeholderDataUrl', () => {
  it('renders a ThumbHash as a PNG data URL with the hash’s aspect ratio', () => {
    const hash = gradientHash();
    const url = placeholderDataUrl(hash);

    expect(url).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(url?.split(',')[1] ?? '', 'base64');
    const { w, h } = thumbHashToRGBA(Buffer.from(hash, 'base64'));
    expect(png.readUInt32BE(16)).toBe(w);
    expect(png.readUInt32BE(20)).toBe(h);
    expect(w).toBeGreaterThan(h);
  });

  it('gives nothing for a missing or malformed hash instead of throwing', () => {
    expect(placeholderDataUrl(undefined)).toBeUndefined();
    expect(placeholderDataUrl('')).toBeUndefined();
    expect(placeholderDataUrl('!!not base64!!')).toBeUndefined();
    expect(placeholderDataUrl(Buffer.from([1, 2]).toString('base64'))).toBeUndefined();
  });
});
