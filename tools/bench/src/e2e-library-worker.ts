/**
 * The image library alone doing what the stack does per upload (bundled by esbuild, run by plain `node`
 * with the resize function's environment): the variants (`renderVariants`, resize's work) and the
 * metadata (`extractMetadata`, metadata-sync's work), each from its own decode of the same bytes, for
 * every file of its share. Prints one JSON line: `{ "images", "wallMs", "cpuMs" }`.
 */
import { readFileSync } from 'node:fs';
import { extractMetadata, renderVariants } from '@imgpipe/image';
import { DEFAULT_LIMITS, DEFAULT_PRESETS } from '@imgpipe/pipeline';

async function work(bytes: Buffer): Promise<void> {
  await renderVariants(bytes, { presets: DEFAULT_PRESETS, limits: DEFAULT_LIMITS });
  await extractMetadata(bytes, { limits: DEFAULT_LIMITS, gps: false });
}

async function main(): Promise<void> {
  const paths = JSON.parse(process.argv[2] ?? '[]') as string[];
  const inputs = paths.map((p) => readFileSync(p));
  // The stack's workers are warm after their first invocation: load sharp before the clock starts.
  if (inputs[0]) await work(inputs[0]);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const input of inputs) await work(input);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({ images: inputs.length, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
