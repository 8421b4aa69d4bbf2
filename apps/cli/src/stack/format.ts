import type { DlqItem, ReconcileReport, Row } from '@imgpipe/contracts';
import { decodeS3Key } from '@imgpipe/core';

/** Columns padded to line up; the last column is never padded. */
export function columns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i < header.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Bytes for people: `812 B`, `14.2 KB`, `3.1 MB`. */
export function humanBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function image(row: Row): string {
  return row.format && row.width !== undefined && row.height !== undefined
    ? `${row.format} ${row.width}x${row.height}`
    : '';
}

/** `ls`: one line per row. */
export function rowsTable(rows: readonly Row[]): string {
  return columns(
    ['KEY', 'STATUS', 'IMAGE', 'BYTES', 'VARIANTS / ERROR'],
    rows.map((r) => [
      r.objectKey,
      r.status,
      image(r),
      humanBytes(r.bytes),
      r.error ? `${r.error.code}: ${r.error.message}` : (r.variants ?? []).map((v) => v.name).join(','),
    ]),
  );
}

/** `show`: the row's facts, then its variants (with a URL when the derived bucket is reachable over HTTP). */
export function rowDetail(row: Row, variantUrl?: (key: string) => string): string {
  const facts: [string, string | undefined][] = [
    ['key', row.objectKey],
    ['bucket', row.bucket],
    ['status', row.status],
    ['image', image(row) || undefined],
    ['bytes', row.bytes === undefined ? undefined : `${row.bytes} (${humanBytes(row.bytes)})`],
    ['etag', row.etag],
    ['sequencer', row.sequencer],
    ['updated', row.updatedAt],
    ['error', row.error ? `${row.error.code}: ${row.error.message}` : undefined],
  ];
  const lines = facts
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => `${`${k}:`.padEnd(11)}${v}`);
  const variants = row.variants ?? [];
  if (variants.length > 0) {
    lines.push(
      '',
      columns(
        ['VARIANT', 'FORMAT', 'SIZE', 'BYTES', variantUrl ? 'URL' : 'KEY'],
        variants.map((v) => [
          v.name,
          v.format,
          `${v.width}x${v.height}`,
          humanBytes(v.bytes),
          variantUrl ? variantUrl(v.key) : v.key,
        ]),
      ),
    );
  }
  return lines.join('\n');
}

/** The S3 key an event in the DLQ is about, when it is an S3 event. */
export function eventKey(event: unknown): string | undefined {
  const key = (event as { detail?: { object?: { key?: unknown } } } | undefined)?.detail?.object?.key;
  if (typeof key !== 'string') return undefined;
  try {
    return decodeS3Key(key);
  } catch {
    return key; // shown as it came: a malformed escape still names the item
  }
}

/** `dlq list`: one line per parked event. */
export function dlqTable(items: readonly DlqItem[]): string {
  if (items.length === 0) return 'The dead-letter queue is empty.';
  return columns(
    ['ID', 'FUNCTION', 'KEY', 'ATTEMPTS', 'FAILED', 'ERROR'],
    items.map((i) => [
      i.id,
      i.function,
      eventKey(i.event) ?? '',
      i.attempts === undefined ? '' : String(i.attempts),
      i.failedAt ?? '',
      `${i.error.type}: ${i.error.message.split('\n')[0] ?? ''}`,
    ]),
  );
}

/** `reconcile`: the report in one readable line. */
export function reconcileLine(report: ReconcileReport): string {
  if (report.skipped)
    return `reconcile skipped: ${report.skipped === 'lease-held' ? 'another run holds the lease' : report.skipped}`;
  const parts = [
    `scanned ${report.scanned}`,
    `rendered ${report.rendered}`,
    `rows repaired ${report.rowsRepaired}`,
    `orphans removed ${report.orphansRemoved}`,
    `tombstoned ${report.tombstoned}`,
  ];
  return `reconcile ${report.complete ? 'complete' : 'incomplete (resumes from its checkpoint next run)'}: ${parts.join(', ')}`;
}
