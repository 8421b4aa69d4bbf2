/**
 * SVG chart of a bench report: per image, wall and CPU ms per image for each tool (shorter is
 * better). `tsx src/chart.ts report.json ../../docs/benchmarks.svg`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { BenchReport, VariantResult } from './types';

const COLORS: Readonly<Record<string, string>> = {
  imgpipe: '#2563eb',
  'pillow-draft': '#d97706',
  'pillow-gated': '#f59e0b',
  'imgpipe-upload': '#1e3a8a',
  'imgpipe-process': '#3b82f6',
  'pillow-upload': '#92400e',
  'pillow-upload-gated': '#b45309',
  'sharp-naive': '#6b7280',
  'sharp-naive-parallel': '#9ca3af',
  floor: '#16a34a',
  'floor-gated': '#4ade80',
  'imgpipe-no-arena-max': '#93c5fd',
};

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The chart as an SVG document. */
export function renderChart(report: Pick<BenchReport, 'results' | 'machine' | 'command'>): string {
  const images = [...new Set(report.results.map((r) => r.image))];
  const max = Math.max(1, ...report.results.flatMap((r) => [r.msPerImage, r.cpuMsPerImage]));
  const labelW = 170;
  const barW = 520;
  const rowH = 26;
  const width = labelW + barW + 90;
  let y = 56;
  const parts: string[] = [];
  for (const image of images) {
    const rows: VariantResult[] = report.results.filter((r) => r.image === image);
    parts.push(`<text x="10" y="${y}" font-weight="bold">${escape(image.split('/').pop() ?? image)}</text>`);
    y += 10;
    for (const r of rows) {
      const color = COLORS[r.tool] ?? '#000';
      const wall = (r.msPerImage / max) * barW;
      const cpu = (r.cpuMsPerImage / max) * barW;
      parts.push(
        `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${escape(r.tool)}</text>`,
        `<rect x="${labelW}" y="${y + 3}" width="${wall.toFixed(1)}" height="10" fill="${color}"><title>wall ${r.msPerImage.toFixed(1)} ms</title></rect>`,
        `<rect x="${labelW}" y="${y + 14}" width="${cpu.toFixed(1)}" height="8" fill="${color}" fill-opacity="0.45"><title>cpu ${r.cpuMsPerImage.toFixed(1)} ms</title></rect>`,
        `<text x="${labelW + wall + 4}" y="${y + 12}" font-size="10">${r.msPerImage.toFixed(0)}</text>`,
        `<text x="${labelW + cpu + 4}" y="${y + 22}" font-size="10" fill="#555">${r.cpuMsPerImage.toFixed(0)}</text>`,
      );
      y += rowH;
    }
    y += 18;
  }
  const m = report.machine;
  const header = [
    `<text x="10" y="20" font-size="14" font-weight="bold">Three variants per image: wall ms (solid) and CPU ms (light), median; shorter is better</text>`,
    `<text x="10" y="38" font-size="10" fill="#555">${escape(`${report.command} | ${m.cpus} x ${m.cpuModel} | load ${m.loadAtStart} | node ${m.node}, sharp ${m.sharp}, Pillow ${m.pillow ?? 'missing'} | ${m.date}`)}</text>`,
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...header,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

if (require.main === module) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write('usage: tsx src/chart.ts <report.json> <out.svg>\n');
    process.exit(2);
  }
  const text = readFileSync(input, 'utf8').trim();
  const report = JSON.parse(
    text.split('\n').length > 1 && !text.startsWith('{\n') ? (text.split('\n').pop() ?? '') : text,
  ) as BenchReport;
  writeFileSync(output, renderChart(report));
}
