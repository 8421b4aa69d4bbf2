import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import sharp from 'sharp';
import { defineCommand } from '../command';
import { positiveInt, usageExits } from '../stack/command-kit';
import { runStackCommand } from '../stack/session';
import { runSmoke, type SmokeStep } from '../stack/smoke';
import { requireName, type Target, type TargetFlags, withTargetOptions } from '../stack/target';

interface SmokeFlags extends TargetFlags {
  readonly key?: string;
  readonly timeout: number;
  readonly json?: boolean;
}

/** A small JPEG with some structure (a gradient), so every variant has something to encode. */
async function smokeImage(): Promise<Buffer> {
  const width = 640;
  const height = 480;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      pixels[i] = Math.round((x / width) * 255);
      pixels[i + 1] = Math.round((y / height) * 255);
      pixels[i + 2] = 128;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

function names(target: Target): { sourceBucket: string; derivedBucket: string } {
  return target.kind === 'local'
    ? target.names
    : {
        sourceBucket: requireName(target, 'sourceBucket'),
        derivedBucket: requireName(target, 'derivedBucket'),
      };
}

const line = (step: SmokeStep): string =>
  `  ok ${step.step.padEnd(10)} ${(step.ms / 1000).toFixed(1).padStart(5)} s  ${step.detail}\n`;

async function run(flags: SmokeFlags): Promise<void> {
  await runStackCommand(flags, async ({ target, clients, rows }) => {
    const { sourceBucket, derivedBucket } = names(target);
    const key =
      flags.key ??
      `imgpipe-smoke/${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.jpg`;
    const where =
      target.kind === 'local'
        ? `local stack ${target.endpoint}`
        : `AWS ${target.region ?? '(default region)'}`;
    if (!flags.json) process.stdout.write(`imgpipe smoke on ${where}: ${key}\n`);
    const started = Date.now();
    const steps = await runSmoke({
      s3: clients.s3,
      rows,
      sourceBucket,
      derivedBucket,
      key,
      image: await smokeImage(),
      deadline: Date.now() + flags.timeout * 1000,
      ...(flags.json ? {} : { onStep: (step: SmokeStep) => process.stdout.write(line(step)) }),
    });
    const seconds = (Date.now() - started) / 1000;
    if (flags.json) process.stdout.write(`${JSON.stringify({ ok: true, key, seconds, steps })}\n`);
    else process.stdout.write(`smoke passed in ${seconds.toFixed(1)} s\n`);
  });
}

export default defineCommand({
  register(program: Command): void {
    const command = program
      .command('smoke')
      .description(
        'Prove a stack works end to end: upload an image, wait for it ready with variants, delete it, wait for the tombstone',
      )
      .option(
        '--key <key>',
        'source key to use (default: imgpipe-smoke/<time>-<random>.jpg; mind a key filter)',
      )
      .option('--timeout <seconds>', 'give up on each wait after this long', positiveInt('--timeout'), 120)
      .option('--json', 'print one JSON line: {ok, key, seconds, steps: [{step, ms, detail}]}')
      .addHelpText(
        'after',
        '\nExit status: 0 passed; 1 the pipeline answered wrongly [SMOKE_FAILED] or too late [WAIT_TIMEOUT];\n' +
          '2 usage; 3 the local stack is not running. The image is deleted whatever happens.\n' +
          'After a first deploy: npx imgpipe smoke --aws --outputs outputs.json',
      );
    usageExits(withTargetOptions(command)).action(run);
  },
});
