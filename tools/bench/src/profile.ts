/**
 * Where the time of three variants goes, stage by stage, with sharp alone (the stages imgpipe's
 * `renderVariants` runs, and the alternatives). Run with the resize function's environment:
 * `npx tsx tools/bench/src/profile.ts [6mp|20mp|progressive]`. Medians of CPU ms over 5 runs.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_PRESETS } from '@imgpipe/pipeline';
import sharp, { type Sharp } from 'sharp';
import { variantImages } from './images';
import { median } from './stats';
import { neededSize, sharpJpegShrinkFactor, libjpegShrinkFactor } from './variants/sharp-tools';

async function cost(label: string, make: () => Promise<unknown>, runs = 5): Promise<void> {
  await make();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await make();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  process.stdout.write(
    `${label.padEnd(58)} cpu ${median(cpu).toFixed(1).padStart(6)} ms   wall ${median(wall).toFixed(1).padStart(6)} ms\n`,
  );
}

async function main(): Promise<void> {
  const key = process.argv[2] ?? '6mp';
  const image = variantImages()[key];
  if (!image) throw new Error(`unknown image ${key}`);
  const input = readFileSync(image.path);
  const { width, height } = image;
  const need = neededSize(width, height, DEFAULT_PRESETS);
  const shrink = Math.min(width / need.width, height / need.height);
  process.stdout.write(
    `${image.id} ${width}x${height}; needed ${need.width}x${need.height} (shrink ${shrink.toFixed(2)}); ` +
      `libjpeg could decode at 1/${libjpegShrinkFactor(width, height, need)}, sharp asks for 1/${sharpJpegShrinkFactor(shrink)}; ` +
      `sharp.concurrency() ${sharp.concurrency()}\n`,
  );
  await cost('header only (metadata())', () => sharp(input).metadata());
  await cost('decode at full size to raw', () => sharp(input).raw().toBuffer());
  for (const f of [2, 4, 8]) {
    const w = Math.floor(width / (f + 1));
    const h = Math.floor(height / (f + 1));
    if (w < 16) continue;
    await cost(`decode via shrink-on-load 1/${f} (+ small resample to ${w}x${h})`, () =>
      sharp(input).resize(w, h, { fit: 'fill' }).raw().toBuffer(),
    );
  }
  await cost(`decode to needed ${need.width}x${need.height} (imgpipe's one decode)`, () =>
    sharp(input).resize(need.width, need.height, { fit: 'fill' }).toColourspace('srgb').raw().toBuffer(),
  );
  const { data, info } = await sharp(input)
    .resize(need.width, need.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = (): Sharp =>
    sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  await cost('large: JPEG q82 from raw (libjpeg-turbo defaults)', () =>
    raw().resize(1280, 1280, { fit: 'inside' }).jpeg({ quality: 82 }).toBuffer(),
  );
  await cost('large: JPEG q82 from raw with mozjpeg: true', () =>
    raw().resize(1280, 1280, { fit: 'inside' }).jpeg({ quality: 82, mozjpeg: true }).toBuffer(),
  );
  await cost('large: JPEG q82 mozjpeg but trellis off, baseline', () =>
    raw()
      .resize(1280, 1280, { fit: 'inside' })
      .jpeg({
        quality: 82,
        mozjpeg: true,
        trellisQuantisation: false,
        overshootDeringing: false,
        optimiseScans: false,
        progressive: false,
      })
      .toBuffer(),
  );
  await cost('small: WebP q80 from raw', () =>
    raw().resize(320, 320, { fit: 'inside' }).webp({ quality: 80 }).toBuffer(),
  );
  await cost('thumb: WebP q80 128 cover attention from raw', () =>
    raw()
      .resize(128, 128, { fit: 'cover', position: sharp.strategy.attention })
      .webp({ quality: 80 })
      .toBuffer(),
  );
  await cost('thumb: WebP q80 128 cover centre from raw', () =>
    raw().resize(128, 128, { fit: 'cover' }).webp({ quality: 80 }).toBuffer(),
  );
  await cost('placeholder: 100 px RGBA + stats()', async () => {
    const small = await raw()
      .resize(100, 100, { fit: 'inside' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    await sharp(small.data, { raw: { width: small.info.width, height: small.info.height, channels: 4 } })
      .removeAlpha()
      .stats();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
