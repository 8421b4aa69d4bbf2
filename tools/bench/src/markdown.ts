/**
 * Markdown tables of a bench report, for docs/benchmarks.md:
 * `tsx src/markdown.ts report.json` prints them.
 */
import { readFileSync } from 'node:fs';
import { roundsSummary } from './e2e-rounds';
import { round } from './stats';
import type { BenchReport } from './types';

const short = (id: string): string => id.split('/').pop() ?? id;

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** Import CPU against a bare Node's start-up CPU, when the report has them. */
function cpuCell(c: BenchReport['coldStart'][number]): string {
  if (c.loadCpuMs === undefined || c.bareNodeCpuMs === undefined) return '-';
  return `${round(c.loadCpuMs)} / ${round(c.bareNodeCpuMs)} = ${(c.loadCpuMs / c.bareNodeCpuMs).toFixed(2)}x`;
}

/** The variants, ratio, cold-start, end-to-end and target tables. */
export function renderMarkdown(report: BenchReport): string {
  const parts: string[] = [];
  parts.push(
    table(
      [
        'image',
        'tool',
        'wall ms / image',
        'CPU ms / image',
        'peak RSS MB',
        'samples',
        'large variant bytes',
        'large butteraugli vs full-scale decode',
      ],
      report.results.map((r) => [
        short(r.image),
        r.tool,
        round(r.msPerImage),
        round(r.cpuMsPerImage),
        round(r.peakRssMb),
        r.samples,
        r.outputs.find((o) => o.name === 'large')?.bytes ?? '-',
        typeof r.largeButteraugli === 'number' ? r.largeButteraugli.toFixed(2) : '-',
      ]),
    ),
  );
  parts.push(
    table(
      ['image', 'tool / base', 'wall tool/base', 'CPU tool/base', 'RSS tool/base'],
      report.ratios.map((r) => [
        short(r.image),
        `${r.tool} / ${r.base ?? 'imgpipe'}`,
        `${r.wall.toFixed(2)}x`,
        `${r.cpu.toFixed(2)}x`,
        `${r.rss.toFixed(2)}x`,
      ]),
    ),
  );
  if (report.coldStart.length > 0) {
    parts.push(
      table(
        [
          'handler',
          'Node',
          'load ms (import in a fresh process)',
          'load / bare node',
          'load CPU ms / bare node CPU ms',
          'first invocation ms',
          'bytes at import',
          'spawn-to-exit ms',
          'bare `node -e 0` ms',
        ],
        report.coldStart.map((c) => [
          c.handler,
          c.node,
          round(c.loadMs),
          `${(c.loadMs / c.bareNodeMs).toFixed(2)}x`,
          cpuCell(c),
          c.firstInvokeMs === null ? `- (${c.firstInvokeNote})` : round(c.firstInvokeMs),
          c.bundleBytes,
          round(c.processMs),
          round(c.bareNodeMs),
        ]),
      ),
    );
  }
  if ((report.importReferences ?? []).length > 0) {
    parts.push(
      table(
        ['dependency alone', 'load ms (same measurement)'],
        report.importReferences.map((r) => [r.module, round(r.loadMs)]),
      ),
    );
  }
  if (report.e2e) {
    const e = report.e2e;
    const ms = (v: number | null): string | number => (v === null ? '-' : round(v));
    const library = e.libraryImagesPerSecond;
    parts.push(
      table(
        [
          'run',
          'uploads',
          'rate offered /s',
          'images/s drained',
          'library alone /s',
          'ratio',
          'p50 ms',
          'p99 ms',
          'max ms',
          'failed',
          'lost',
        ],
        [
          [
            `burst (16 in flight), concurrency ${e.concurrency}`,
            e.uploads,
            '-',
            round(e.imagesPerSecond, 2),
            library === null ? '-' : round(library, 2),
            library ? `${(e.imagesPerSecond / library).toFixed(2)}x` : '-',
            round(e.p50Ms),
            round(e.p99Ms),
            '-',
            e.failed,
            e.lost,
          ],
          ...(e.steady
            ? [
                [
                  `steady (${e.steady.rateSource})`,
                  e.steady.uploads,
                  round(e.steady.ratePerSecond, 2),
                  '-',
                  '-',
                  '-',
                  round(e.steady.p50Ms),
                  round(e.steady.p99Ms),
                  round(e.steady.maxMs),
                  e.steady.failed,
                  e.steady.lost,
                ],
              ]
            : []),
        ],
      ),
      '',
      `Max in flight seen: ${
        Object.entries(e.observedMaxInFlight)
          .map(([f, n]) => `${f} ${n}`)
          .join(', ') || 'unknown'
      }. The burst was timed after ${e.warmUploads} warm-up uploads. CPU ms per image during the burst: stack process ${ms(e.stackCpuMsPerImage)}, function workers ${ms(e.workerCpuMsPerImage)}; library alone ${ms(e.libraryCpuMsPerImage)}. Burst figures: ${roundsSummary(e.rounds)}; lost and failed count every round.`,
    );
  }
  parts.push(
    table(
      ['target', 'measured', 'met'],
      report.targets.map((t) => [
        t.target,
        t.measured,
        t.met === null ? 'not measured' : t.met ? 'met' : '**missed**',
      ]),
    ),
  );
  if (report.missing.length > 0) {
    parts.push(
      table(
        ['missing', 'reason', 'to get it'],
        report.missing.map((m) => [m.what, m.reason.replace(/\|/g, '/'), m.install ?? '-']),
      ),
    );
  }
  return parts.join('\n\n');
}

if (require.main === module) {
  const input = process.argv[2];
  if (!input) {
    process.stderr.write('usage: tsx src/markdown.ts <report.json>\n');
    process.exit(2);
  }
  process.stdout.write(`${renderMarkdown(JSON.parse(readFileSync(input, 'utf8')) as BenchReport)}\n`);
}
