import { readFileSync } from 'node:fs';
import type { FunctionName } from '@imgpipe/pipeline';
import type { LocalStack } from '@imgpipe/local-aws';

/** Peak resident set (VmHWM, kB) of a live process, undefined once it is gone. */
export function peakRssKb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the peak RSS of every worker of the given functions until stopped. VmHWM is the kernel's
 * own high-water mark, so sampling only has to see each worker once before it exits.
 */
export function watchWorkerPeaks(
  stack: LocalStack,
  functions: readonly FunctionName[],
  everyMs = 50,
): { stop(): Record<string, number> } {
  const peaks: Record<string, number> = {};
  const sample = () => {
    for (const fn of functions) {
      for (const { pid } of stack.runtime(fn).workers()) {
        if (pid === undefined) continue;
        const kb = peakRssKb(pid);
        if (kb !== undefined) peaks[fn] = Math.max(peaks[fn] ?? 0, kb);
      }
    }
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      sample();
      clearInterval(timer);
      return Object.fromEntries(Object.entries(peaks).map(([fn, kb]) => [fn, Math.round(kb / 1024)]));
    },
  };
}
