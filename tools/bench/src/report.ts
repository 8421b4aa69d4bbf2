/** The human-readable report: tables, ratio lines, targets and what is missing. */
import { roundsSummary } from './e2e-rounds';
import { round } from './stats';
import type { BenchReport } from './types';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const short = (id: string): string => id.split('/').pop() ?? id;

/** Formats the whole report for a terminal. */
export function formatReport(report: BenchReport): string {
  const out: string[] = [];
  const m = report.machine;
  out.push(
    `imgpipe bench (${report.mode}) ${m.date}: ${m.cpus} x ${m.cpuModel}, load ${m.loadAtStart} at start, ${m.loadAverage.join(' ')} at end`,
    `node ${m.node}, sharp ${m.sharp} (libvips ${m.libvips}, ${m.sharpConcurrency} thread(s) per image), ` +
      `Pillow ${m.pillow ?? 'missing'}${m.python ? ` (${m.python})` : ''}`,
    '',
  );
  if (report.results.length > 0) {
    out.push('Variants (thumb + small + large per image; medians):');
    out.push(
      table(
        [
          'image',
          'tool',
          'wall ms',
          'cpu ms',
          'peak RSS MB',
          'n',
          'output bytes (thumb/small/large)',
          'large butteraugli',
        ],
        report.results.map((r) => [
          short(r.image),
          r.tool,
          String(round(r.msPerImage)),
          String(round(r.cpuMsPerImage)),
          String(round(r.peakRssMb)),
          String(r.samples),
          r.outputs.map((o) => `${o.width}x${o.height} ${o.bytes}`).join(' / '),
          r.largeButteraugli === null ? '-' : r.largeButteraugli.toFixed(2),
        ]),
      ),
      '',
    );
    out.push(
      'Ratios tool / imgpipe (per upload: / imgpipe-upload), pair by pair in this run (above 1: imgpipe is faster or smaller):',
    );
    for (const r of report.ratios) {
      out.push(
        `  ${short(r.image).padEnd(40)} ${`${r.tool} / ${r.base ?? 'imgpipe'}`.padEnd(38)} wall ${r.wall.toFixed(2)}x  cpu ${r.cpu.toFixed(2)}x  rss ${r.rss.toFixed(2)}x`,
      );
    }
    out.push('');
  }
  if (report.coldStart.length > 0) {
    out.push('Cold start (import inside a fresh Node process; Node start-up excluded):');
    out.push(
      table(
        [
          'handler',
          'node',
          'load ms',
          'load/bare',
          'load CPU/bare CPU ms',
          'first invoke ms',
          'bytes at import',
          'process ms',
          'bare node ms',
        ],
        report.coldStart.map((c) => [
          c.handler,
          c.node,
          String(round(c.loadMs)),
          `${(c.loadMs / c.bareNodeMs).toFixed(2)}x`,
          c.loadCpuMs === undefined ? '-' : `${round(c.loadCpuMs)}/${round(c.bareNodeCpuMs ?? 0)}`,
          c.firstInvokeMs === null ? `- (${c.firstInvokeNote})` : String(round(c.firstInvokeMs)),
          String(c.bundleBytes),
          String(round(c.processMs)),
          String(round(c.bareNodeMs)),
        ]),
      ),
    );
  }
  if (report.importReferences.length > 0) {
    out.push(
      `Same timing for dependencies alone: ${report.importReferences.map((r) => `${r.module} ${round(r.loadMs)} ms`).join(', ')}`,
    );
  }
  if (report.contextBytes !== null) out.push(`Image build context: ${report.contextBytes} bytes`);
  out.push('');
  if (report.api) {
    const a = report.api;
    out.push(
      `Image API (local stack): api bundle import ${round(a.importMs)} ms; warm GET /v1/images/{id} over ${a.requests} requests p50 ${round(a.p50Ms)} ms, p99 ${round(a.p99Ms)} ms ` +
        `(paced at ${round(a.pacedPerSecond)}/s, within the stage throttle; ${a.throttled} throttled and retried)`,
    );
  }
  if (report.e2e) {
    const e = report.e2e;
    const ms = (v: number | null): string => (v === null ? '-' : String(round(v)));
    out.push(
      `End to end, burst: ${e.uploads} uploads at concurrency ${e.concurrency} (after ${e.warmUploads} warm-up uploads) in ${round(e.seconds, 2)} s = ${round(e.imagesPerSecond, 2)} images/s ` +
        `(library alone, variants + metadata: ${e.libraryImagesPerSecond === null ? 'not measured' : `${round(e.libraryImagesPerSecond, 2)}/s`}), ` +
        `upload-to-ready p50 ${round(e.p50Ms)} ms, p99 ${round(e.p99Ms)} ms, failed ${e.failed}, lost ${e.lost}; ` +
        `max in flight seen: ${
          Object.entries(e.observedMaxInFlight)
            .map(([f, n]) => `${f} ${n}`)
            .join(', ') || 'unknown'
        }`,
      `  CPU ms per image: stack process ${ms(e.stackCpuMsPerImage)}, function workers ${ms(e.workerCpuMsPerImage)}, library alone ${ms(e.libraryCpuMsPerImage)}`,
      `  Burst figures: ${roundsSummary(e.rounds)}; lost and failed count every round`,
    );
    const s = e.steady;
    out.push(
      s
        ? `End to end, steady: ${s.uploads} uploads at ${round(s.ratePerSecond, 2)}/s (${s.rateSource}; offered over ${round(s.offeredSeconds, 1)} s), ` +
            `upload-to-ready p50 ${round(s.p50Ms)} ms, p99 ${round(s.p99Ms)} ms, max ${round(s.maxMs)} ms, failed ${s.failed}, lost ${s.lost}`
        : 'End to end, steady: not run (the burst drained nothing)',
      '',
    );
  }
  out.push('Targets:');
  for (const t of report.targets) {
    out.push(`  [${t.met === null ? ' ?  ' : t.met ? ' met' : 'MISS'}] ${t.target}: ${t.measured}`);
  }
  if (report.missing.length > 0) {
    out.push('', 'Missing (not measured, never estimated):');
    for (const mi of report.missing)
      out.push(`  ${mi.what}: ${mi.reason}${mi.install ? ` -> ${mi.install}` : ''}`);
  }
  return out.join('\n');
}
