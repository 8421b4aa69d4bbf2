/** Hand-made hostile and odd inputs (the corpus has no font, no XXE SVG and no valid GPS position). */

/** An HTML page. */
export const HTML = Buffer.from(
  '<!doctype html><html><head><title>not an image</title></head><body><img src=x onerror=alert(1)></body></html>\n',
);

/** The first bytes of an OpenType font (`OTTO` table directory) with padding. */
export const FONT = Buffer.concat([
  Buffer.from('OTTO\u0000\u000a\u0000\u0080\u0000\u0003\u0000\u0020CFF '),
  Buffer.alloc(512, 0x20),
]);

/** An SVG that pulls `file` in through an external entity, an `<image href="file://...">` and an `xlink:href`. */
export function svgReading(file: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg [ <!ENTITY secret SYSTEM "file://${file}"> ]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100" viewBox="0 0 200 100">
  <rect width="200" height="100" fill="white"/>
  <text x="10" y="50">&secret;</text>
  <image href="file://${file}" x="0" y="0" width="100" height="100"/>
  <image xlink:href="${file}" x="100" y="0" width="100" height="100"/>
</svg>
`);
}

function rational3(values: readonly [number, number, number]): Buffer {
  const out = Buffer.alloc(24);
  values.forEach((v, i) => {
    out.writeUInt32LE(v, i * 8);
    out.writeUInt32LE(1, i * 8 + 4);
  });
  return out;
}

/**
 * Puts an EXIF APP1 segment holding a GPS position (51°30'0"N 0°7'0"E) right after a JPEG's SOI.
 * Built by hand so the test knows exactly what location went in.
 */
export function withGps(jpeg: Buffer): Buffer {
  const tiff = Buffer.alloc(128);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  // IFD0: one entry, GPSInfo (0x8825, LONG) → GPS IFD at 26.
  tiff.writeUInt16LE(1, 8);
  tiff.writeUInt16LE(0x8825, 10);
  tiff.writeUInt16LE(4, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt32LE(26, 18);
  tiff.writeUInt32LE(0, 22);
  // GPS IFD at 26: LatitudeRef, Latitude (→80), LongitudeRef, Longitude (→104).
  tiff.writeUInt16LE(4, 26);
  const entry = (i: number, tag: number, type: number, count: number, value: (o: number) => void) => {
    const o = 28 + i * 12;
    tiff.writeUInt16LE(tag, o);
    tiff.writeUInt16LE(type, o + 2);
    tiff.writeUInt32LE(count, o + 4);
    value(o + 8);
  };
  entry(0, 1, 2, 2, (o) => tiff.write('N\u0000', o, 'latin1'));
  entry(1, 2, 5, 3, (o) => tiff.writeUInt32LE(80, o));
  entry(2, 3, 2, 2, (o) => tiff.write('E\u0000', o, 'latin1'));
  entry(3, 4, 5, 3, (o) => tiff.writeUInt32LE(104, o));
  tiff.writeUInt32LE(0, 76);
  rational3([51, 30, 0]).copy(tiff, 80);
  rational3([0, 7, 0]).copy(tiff, 104);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(2 + 6 + tiff.length, 2);
  return Buffer.concat([
    jpeg.subarray(0, 2),
    header,
    Buffer.from('Exif\u0000\u0000', 'latin1'),
    tiff,
    jpeg.subarray(2),
  ]);
}

/** True when bytes carry an EXIF block (JPEG APP1 `Exif\0\0` or a WebP `EXIF` chunk). */
export function hasExif(bytes: Buffer): boolean {
  return (
    bytes.includes(Buffer.from('Exif\u0000\u0000', 'latin1')) || bytes.includes(Buffer.from('EXIF', 'latin1'))
  );
}
