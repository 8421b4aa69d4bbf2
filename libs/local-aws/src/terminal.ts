import type { FunctionMetricsSnapshot } from './metrics';

function ms(value: number | null): string {
  return value === null ? '-' : `${Math.round(value)}ms`;
}

/** One compact line per function: invocations, p50/p99, errors, throttles, cold starts; then the DLQ depth. */
export function summaryLines(
  functions: Readonly<Record<string, FunctionMetricsSnapshot>>,
  dlqDepth: number,
): string[] {
  const lines = Object.entries(functions).map(
    ([name, m]) =>
      `${name.padEnd(14)} inv ${String(m.invocations).padStart(5)}  p50 ${ms(m.durationMs.p50).padStart(7)}  p99 ${ms(m.durationMs.p99).padStart(7)}` +
      `  err ${String(m.errors).padStart(3)}  thr ${String(m.throttles).padStart(3)}  cold ${String(m.coldStarts).padStart(3)}  queued ${m.queued}`,
  );
  lines.push(`dlq depth ${dlqDepth}`);
  return lines;
}
