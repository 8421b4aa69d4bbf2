/**
 * End to end on the local stack at function concurrency N: rounds of a burst of uploads (16 in flight)
 * drained to final rows, each followed by the library alone on the same files doing the same work; then
 * uploads arriving at a steady rate (half the median burst's drain rate unless `--rate`). Each with
 * upload-to-ready latencies, failures and the count lost; also each handler's first invocation in a
 * fresh process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libraryAlone } from './e2e-library';
import { burstPhase, filesFor, steadyPhase, tally } from './e2e-phases';
import { medianRound } from './e2e-rounds';
import { firstInvocations, type FirstInvoke } from './first-invoke';
import { defaultSteadyRate } from './load';
import { BUILD_STACK, type RunningStack, startStack } from './stack-host';
import type { EndToEndResult, EndToEndRound, Missing, SteadyRateResult } from './types';
import type { WorkerBundles } from './variants/build';

export interface EndToEndOptions {
  readonly uploads: number;
  /** Timed bursts, each followed by the library alone on its files; the median round is reported. */
  readonly rounds: number;
  readonly concurrency: number;
  /** Steady-rate arrivals per second; null: half the burst's drain rate. */
  readonly rate: number | null;
  /** Uploads drained before the burst is timed; null: 2 x concurrency (see BenchOptions.warmUploads). */
  readonly warmUploads: number | null;
  readonly bundles: WorkerBundles;
  readonly log: (line: string) => void;
}

export interface EndToEndRun {
  readonly e2e: EndToEndResult | null;
  readonly missing: Missing[];
  readonly firstInvoke: FirstInvoke[];
}

/** One timed burst, then the library alone on the same files while the machine is as it just was. */
async function measureRound(
  stack: RunningStack,
  options: EndToEndOptions,
  runId: string,
  index: number,
): Promise<EndToEndRound> {
  const { log } = options;
  const files = filesFor(runId, `burst-${index}`, options.uploads);
  const cpuBefore = stack.cpu();
  const burst = tally(await burstPhase(stack.info, files, log));
  const cpuAfter = stack.cpu();
  const perImage = (seconds: number): number | null =>
    burst.finished > 0 ? (seconds * 1000) / burst.finished : null;
  const imagesPerSecond = burst.seconds > 0 ? burst.finished / burst.seconds : 0;
  const library = await libraryAlone(
    options.bundles.dir,
    files.map((f) => f.path),
    options.concurrency,
  ).catch((error: unknown) => {
    log(`e2e: library alone failed: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  });
  const libraryRate = library?.imagesPerSecond ?? null;
  log(
    `e2e burst ${index + 1}/${options.rounds}: ${imagesPerSecond.toFixed(2)} images/s, p99 ${burst.latency.p99Ms.toFixed(0)} ms, ` +
      `lost ${burst.lost}; library alone ${libraryRate === null ? '-' : `${libraryRate.toFixed(2)}/s`}` +
      (libraryRate ? ` (${(imagesPerSecond / libraryRate).toFixed(2)}x)` : ''),
  );
  return {
    seconds: burst.seconds,
    imagesPerSecond,
    p50Ms: burst.latency.p50Ms,
    p99Ms: burst.latency.p99Ms,
    lost: burst.lost,
    failed: burst.failed,
    libraryImagesPerSecond: libraryRate,
    stackCpuMsPerImage: cpuBefore && cpuAfter ? perImage(cpuAfter.stack - cpuBefore.stack) : null,
    workerCpuMsPerImage: cpuBefore && cpuAfter ? perImage(cpuAfter.workers - cpuBefore.workers) : null,
    libraryCpuMsPerImage: library?.cpuMsPerImage ?? null,
  };
}

async function measure(
  stack: RunningStack,
  options: EndToEndOptions,
  runId: string,
): Promise<EndToEndResult> {
  const { info } = stack;
  const { log } = options;
  // Start every worker (bundle import, sharp's first load) before the clock, as the library alone does.
  const warmUploads = options.warmUploads ?? options.concurrency * 2;
  if (warmUploads > 0) {
    const warm = tally(await burstPhase(info, filesFor(runId, 'warm', warmUploads), log, 'warm-up'));
    if (warm.lost > 0) log(`e2e warm-up: ${warm.lost} of ${warmUploads} uploads not final in time`);
  }
  const rounds: EndToEndRound[] = [];
  for (let i = 0; i < options.rounds; i++) rounds.push(await measureRound(stack, options, runId, i));
  const median = medianRound(rounds);
  const rate = options.rate ?? defaultSteadyRate(median.imagesPerSecond);
  let steady: SteadyRateResult | null = null;
  if (rate !== null) {
    log(`e2e steady: ${options.uploads} uploads at ${rate.toFixed(2)}/s`);
    const phase = await steadyPhase(info, filesFor(runId, 'steady', options.uploads), rate);
    const t = tally(phase);
    const lastAck = Math.max(phase.started, ...phase.acked.values());
    steady = {
      ratePerSecond: rate,
      rateSource: options.rate === null ? 'half the burst drain rate' : 'asked',
      uploads: phase.files.length,
      offeredSeconds: (lastAck - phase.started) / 1000,
      p50Ms: t.latency.p50Ms,
      p99Ms: t.latency.p99Ms,
      maxMs: t.latency.maxMs,
      failed: t.failed,
      lost: t.lost,
    };
    log(
      `e2e steady: p50 ${steady.p50Ms.toFixed(0)} ms, p99 ${steady.p99Ms.toFixed(0)} ms, lost ${steady.lost}`,
    );
  }
  return {
    ...median,
    lost: rounds.reduce((sum, r) => sum + r.lost, 0),
    failed: rounds.reduce((sum, r) => sum + r.failed, 0),
    warmUploads,
    uploads: options.uploads,
    concurrency: options.concurrency,
    observedMaxInFlight: stack.maxInFlight(),
    rounds,
    steady,
  };
}

/** Runs the burst and the steady rate; a stack that is not built or does not start is reported missing. */
export async function runEndToEnd(options: EndToEndOptions): Promise<EndToEndRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-bench-'));
  const runId = `${process.pid}-${Date.now()}`;
  let stack: RunningStack;
  try {
    stack = await startStack(dataDir, options.concurrency);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    return { e2e: null, missing: [{ what: 'e2e', reason, install: BUILD_STACK }], firstInvoke: [] };
  }
  try {
    options.log(`e2e: local stack at ${stack.info.endpoint}, concurrency ${options.concurrency}`);
    const e2e = await measure(stack, options, runId);
    const firstKey = filesFor(runId, 'burst-0', 1)[0]?.key ?? '';
    const firstInvoke = await firstInvocations(stack.info, firstKey, options.log);
    return { e2e, missing: [], firstInvoke };
  } catch (error) {
    return {
      e2e: null,
      missing: [{ what: 'e2e', reason: error instanceof Error ? error.message : String(error) }],
      firstInvoke: [],
    };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
