/** The targets, checked against one report. `met: null` when the inputs were not measured. */
import type { ColdStartResult, EndToEndResult, RatioResult, TargetCheck, VariantResult } from './types';

const x = (v: number): string => `${v.toFixed(2)}x`;

function ratioCheck(
  ratios: readonly RatioResult[],
  tool: string,
  images: (id: string) => boolean,
  min: number,
  target: string,
): TargetCheck[] {
  const rows = ratios.filter((r) => r.tool === tool && images(r.image));
  if (rows.length === 0) return [{ target, measured: 'not measured', met: null }];
  return rows.map((r) => ({
    target: `${target} [${r.image.split('/').pop() ?? r.image}]`,
    measured: `wall ${x(r.wall)}, cpu ${x(r.cpu)}`,
    met: r.wall >= min && r.cpu >= min,
  }));
}

/** Every target of the issue with what was measured. */
export function checkTargets(
  results: readonly VariantResult[],
  ratios: readonly RatioResult[],
  coldStart: readonly ColdStartResult[],
  e2e: EndToEndResult | null,
  progressiveId: string,
): TargetCheck[] {
  const progressive = (id: string): boolean => id === progressiveId;
  const checks: TargetCheck[] = [
    ...ratioCheck(
      ratios,
      'pillow-draft',
      (id) => !progressive(id),
      1.5,
      '>= 1.5x faster than pillow-draft (baseline JPEG)',
    ),
    ...ratioCheck(ratios, 'pillow-draft', progressive, 1.0, '>= 1.0x pillow-draft (progressive JPEG)'),
    ...ratioCheck(ratios, 'sharp-naive', () => true, 2.0, '>= 2x faster than sharp-naive'),
  ];
  const floorRows = ratios.filter((r) => r.tool === 'floor');
  checks.push(
    ...(floorRows.length === 0
      ? [{ target: 'within 1.3x of floor', measured: 'not measured', met: null }]
      : floorRows.map((r) => ({
          target: `within 1.3x of floor [${r.image.split('/').pop() ?? r.image}]`,
          measured: `imgpipe/floor wall ${x(1 / r.wall)}, cpu ${x(1 / r.cpu)}`,
          met: 1 / r.wall <= 1.3 && 1 / r.cpu <= 1.3,
        }))),
  );
  const twenty = results.find((r) => r.tool === 'imgpipe' && r.image.includes('Kleiber'));
  checks.push({
    target: 'peak RSS < 200 MB on the 20 MP photo',
    measured: twenty ? `${twenty.peakRssMb.toFixed(0)} MB` : 'not measured',
    met: twenty ? twenty.peakRssMb < 200 : null,
  });
  checks.push(
    coldStart.length === 0
      ? { target: 'every handler loads in < 150 ms', measured: 'not measured', met: null }
      : {
          target: 'every handler loads in < 150 ms',
          measured: coldStart.map((c) => `${c.handler} ${c.loadMs.toFixed(0)} ms`).join(', '),
          met: coldStart.every((c) => c.loadMs < 150),
        },
  );
  if (!e2e) {
    checks.push({
      target: 'end to end: >= 0.8x library throughput, p99 < 2 s, 0 lost',
      measured: 'not measured',
      met: null,
    });
  } else {
    const share = e2e.libraryImagesPerSecond ? e2e.imagesPerSecond / e2e.libraryImagesPerSecond : null;
    checks.push(
      {
        target: 'end to end throughput >= 0.8x the library alone',
        measured:
          share === null
            ? 'library alone not measured'
            : `${e2e.imagesPerSecond.toFixed(1)}/s vs ${(e2e.libraryImagesPerSecond ?? 0).toFixed(1)}/s = ${x(share)}`,
        met: share === null ? null : share >= 0.8,
      },
      { target: 'end to end p99 < 2 s', measured: `${e2e.p99Ms.toFixed(0)} ms`, met: e2e.p99Ms < 2000 },
      { target: 'end to end lost = 0', measured: String(e2e.lost), met: e2e.lost === 0 },
    );
  }
  return checks;
}
