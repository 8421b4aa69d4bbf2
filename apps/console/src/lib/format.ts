/** Formatting for people: sizes, durations, times, camera settings. Pure functions, unit-tested. */

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/**
 * Bytes in powers of 1024 with at most one decimal.
 * @example formatBytes(81198) // '79.3 KB'
 */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/**
 * Milliseconds as ms below a second, else seconds.
 * @example formatDuration(1534) // '1.53 s'
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** `320 × 240`, or a dash when unknown. */
export function formatDimensions(width: number | undefined, height: number | undefined): string {
  if (width === undefined || height === undefined) return '—';
  return `${width} × ${height}`;
}

/**
 * How long ago (or until) `iso` is from `now`, coarsely.
 * @example formatRelative('2024-01-01T00:00:00Z', Date.parse('2024-01-01T00:01:30Z')) // '1 min ago'
 */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const diff = at - now;
  const abs = Math.abs(diff);
  let text: string;
  if (abs < 5_000) return 'just now';
  if (abs < 60_000) text = `${Math.round(abs / 1000)} s`;
  else if (abs < 3_600_000) text = `${Math.floor(abs / 60_000)} min`;
  else if (abs < 86_400_000) text = `${Math.floor(abs / 3_600_000)} h`;
  else text = `${Math.floor(abs / 86_400_000)} d`;
  return diff < 0 ? `${text} ago` : `in ${text}`;
}

/**
 * Exposure time as photographers write it.
 * @example formatExposure(0.004) // '1/250 s'
 */
export function formatExposure(seconds: number | undefined): string | undefined {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  if (seconds >= 1) return `${Number(seconds.toFixed(1))} s`;
  return `1/${Math.round(1 / seconds)} s`;
}

/** Camera settings in one line, e.g. `Canon EOS 400D · f/5.6 · 1/250 s · ISO 100 · 50 mm`. */
export function formatCamera(
  exif:
    | {
        make?: string;
        model?: string;
        fNumber?: number;
        exposureTime?: number;
        iso?: number;
        focalLength?: number;
      }
    | undefined,
): string | undefined {
  if (!exif) return undefined;
  const camera = cameraName(exif.make, exif.model);
  const parts = [
    camera,
    exif.fNumber !== undefined ? `f/${Number(exif.fNumber.toFixed(1))}` : undefined,
    formatExposure(exif.exposureTime),
    exif.iso !== undefined ? `ISO ${exif.iso}` : undefined,
    exif.focalLength !== undefined ? `${Number(exif.focalLength.toFixed(1))} mm` : undefined,
  ].filter((p): p is string => p !== undefined && p !== '');
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function cameraName(make: string | undefined, model: string | undefined): string | undefined {
  const m = make?.trim();
  const mo = model?.trim();
  if (m && mo) return mo.toLowerCase().startsWith(m.toLowerCase()) ? mo : `${m} ${mo}`;
  return mo || m || undefined;
}

/** The last path segment of a key, for compact labels. */
export function baseName(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  const index = trimmed.lastIndexOf('/');
  return index === -1 ? trimmed : trimmed.slice(index + 1);
}

/** True for a `#rrggbb` colour, the only form rendered as a CSS colour. */
export function isHexColour(value: string | undefined): value is string {
  return value !== undefined && /^#[0-9a-fA-F]{6}$/.test(value);
}
