import type { FileOutcome } from './run';

/** The contract's `--json` line for one input (the internal `classified` flag is not part of it). */
export function jsonLine(outcome: FileOutcome): string {
  if (outcome.ok) {
    const { file, metadata, variants } = outcome;
    return JSON.stringify({ file, ok: true, metadata, variants });
  }
  const { file, error } = outcome;
  return JSON.stringify({ file, ok: false, error });
}

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** One readable row per input, columns padded to line up. */
export function table(outcomes: readonly FileOutcome[]): string {
  const rows = outcomes.map((o) =>
    o.ok
      ? [
          o.file,
          'ok',
          `${o.metadata.format} ${o.metadata.width}x${o.metadata.height}`,
          o.variants.map((v) => `${v.name} ${v.width}x${v.height} ${kb(v.bytes)}`).join(', '),
        ]
      : [o.file, o.error.code, '', o.error.message],
  );
  const all = [['FILE', 'STATUS', 'IMAGE', 'VARIANTS / ERROR'], ...rows];
  const widths = [0, 1, 2].map((i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
