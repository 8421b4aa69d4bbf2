import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@imgpipe/local-aws';
import { SCALE } from './scale';

/** `test-artifacts/reliability/summary.json` under the repository root (env `RELIABILITY_SUMMARY` overrides). */
export function summaryPath(): string {
  return (
    process.env['RELIABILITY_SUMMARY'] ??
    join(findRepoRoot(__dirname), 'test-artifacts', 'reliability', 'summary.json')
  );
}

/**
 * Prints one suite's figures and merges them into the summary file under `section`, so a run of the
 * whole suite leaves one JSON document with every figure (and the mode and scale it was run at).
 */
export function recordFigures(section: string, figures: Record<string, unknown>): void {
  console.log(`[reliability] ${section}: ${JSON.stringify(figures)}`);
  const path = summaryPath();
  mkdirSync(join(path, '..'), { recursive: true });
  let doc: Record<string, unknown> = {};
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    doc = {};
  }
  doc['mode'] = SCALE.mode;
  doc['scale'] = SCALE.scale;
  doc[section] = { ...figures, recordedAt: new Date().toISOString() };
  writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
