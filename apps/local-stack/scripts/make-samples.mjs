// Draws the bundled sample images (made here, no third-party files): run once, commit the outputs.
//   node apps/local-stack/scripts/make-samples.mjs
import sharp from 'sharp';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples');
mkdirSync(out, { recursive: true });

const scene = (w, h, label) =>
  Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b82f6"/><stop offset="1" stop-color="#bfdbfe"/></linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#sky)"/>
  <circle cx="${w * 0.78}" cy="${h * 0.22}" r="${Math.min(w, h) * 0.1}" fill="#fde047"/>
  <path d="M0 ${h * 0.75} L${w * 0.3} ${h * 0.4} L${w * 0.55} ${h * 0.7} L${w * 0.75} ${h * 0.5} L${w} ${h * 0.8} L${w} ${h} L0 ${h} Z" fill="#166534"/>
  <text x="${w / 2}" y="${h * 0.93}" font-family="sans-serif" font-size="${Math.round(h / 14)}" text-anchor="middle" fill="#fff">${label}</text>
</svg>`);

// A landscape photo-like JPEG.
await sharp(scene(1600, 1000, 'imgpipe sample: landscape'))
  .jpeg({ quality: 85 })
  .toFile(join(out, 'landscape.jpg'));

// A portrait picture stored sideways with EXIF orientation 6: viewers (and imgpipe's variants) show it upright.
const upright = await sharp(scene(800, 1200, 'upright thanks to EXIF'))
  .png()
  .toBuffer();
await sharp(upright)
  .rotate(-90)
  .jpeg({ quality: 85 })
  .withMetadata({ orientation: 6 })
  .toFile(join(out, 'portrait-exif-6.jpg'));

// A PNG with an alpha channel.
await sharp(
  Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600">
  <circle cx="300" cy="300" r="260" fill="#f97316" fill-opacity="0.85"/>
  <circle cx="300" cy="300" r="140" fill="#7c3aed" fill-opacity="0.6"/>
  <text x="300" y="315" font-family="sans-serif" font-size="44" text-anchor="middle" fill="#fff">alpha</text>
</svg>`),
)
  .png()
  .toFile(join(out, 'logo-alpha.png'));

// A small WebP.
await sharp(scene(640, 480, 'webp'))
  .webp({ quality: 80 })
  .toFile(join(out, 'small.webp'));
console.log(`samples written to ${out}`);
