/**
 * The measuring child for the Node tools (bundled by esbuild, run with plain `node` and the resize
 * function's environment). Prints one JSON `WorkerOutput` line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DCT_MIN_RESIDUAL } from '@imgpipe/image';
import { DEFAULT_PRESETS } from '@imgpipe/pipeline';
import sharp from 'sharp';
import { floor, sharpNaive, sharpNaiveParallel } from './sharp-tools';
import type { Rendered, Sample, WorkerJob, WorkerOutput } from './worker-protocol';

type Render = (input: Buffer) => Promise<Rendered[]>;

/**
 * Peak resident set of this process in MiB: Linux's `VmHWM`, which starts afresh at exec. `maxRSS`
 * (getrusage) is kept across fork and exec, so a child of a large parent reported the parent's size.
 */
function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1]) return Number(match[1]) / 1024;
  } catch {
    // not Linux: getrusage below
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function renderer(job: WorkerJob): Promise<Render> {
  switch (job.tool) {
    case 'imgpipe':
    case 'imgpipe-upload':
    case 'imgpipe-process': {
      if (!job.imgpipeModule) throw new Error(`${job.tool} needs imgpipeModule`);
      const mod = (await import(pathToFileURL(job.imgpipeModule).href)) as Record<string, Render>;
      const render =
        mod[{ imgpipe: 'render', 'imgpipe-upload': 'upload', 'imgpipe-process': 'processAll' }[job.tool]];
      if (!render) throw new Error(`${job.imgpipeModule} has no renderer for ${job.tool}`);
      return render;
    }
    case 'sharp-naive':
      return (input) => sharpNaive(input, DEFAULT_PRESETS);
    case 'sharp-naive-parallel':
      return (input) => sharpNaiveParallel(input, DEFAULT_PRESETS);
    case 'floor':
      return (input) => floor(input, DEFAULT_PRESETS);
    case 'floor-gated':
      return (input) => floor(input, DEFAULT_PRESETS, DCT_MIN_RESIDUAL);
    default:
      throw new Error(`The Node worker does not run ${job.tool}`);
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as WorkerJob;
  const inputs = job.paths.map((p) => readFileSync(p));
  const render = await renderer(job);
  let outputs: Rendered[] = [];
  for (let i = 0; i < job.warmup; i++) for (const input of inputs) outputs = await render(input);
  const samples: Sample[] = [];
  for (let i = 0; i < job.iterations; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const input of inputs) outputs = await render(input);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    samples.push({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  const large = outputs.find((o) => o.name === 'large');
  if (job.saveLargeTo && large) writeFileSync(job.saveLargeTo, large.data);
  const result: WorkerOutput = {
    samples,
    peakRssMb: peakRssMb(),
    outputs: outputs.map(({ name, format, width, height, bytes }) => ({
      name,
      format,
      width,
      height,
      bytes,
    })),
    threads: sharp.concurrency(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
