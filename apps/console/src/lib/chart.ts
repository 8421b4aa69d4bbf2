/** Geometry for the small inline-SVG charts: scales, nice maxima, bars and line paths. */

/** A linear map from a domain onto a range. */
export type Scale = (value: number) => number;

/**
 * @example linearScale([0, 10], [100, 0])(5) // 50
 */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  if (span === 0) return () => (r0 + r1) / 2;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/**
 * The smallest "nice" axis maximum (1, 2, 5 × 10^n) at or above `value`; 1 for zero or less.
 * @example niceMax(37) // 50
 */
export function niceMax(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    const candidate = step * magnitude;
    if (candidate >= value - magnitude * 1e-9) return candidate;
  }
  return 10 * magnitude;
}

export interface Box {
  readonly width: number;
  readonly height: number;
  readonly padTop: number;
  readonly padBottom: number;
}

export interface Bar {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly value: number;
}

/**
 * Bars for equally spaced buckets: heights scale to `max` (a nice maximum of the values by default),
 * `widthRatio` of a slot wide (0.8 leaves a gap of a fifth), centred in their slot.
 */
export function bars(
  values: readonly number[],
  box: Box,
  max = niceMax(Math.max(0, ...values)),
  widthRatio = 0.8,
): Bar[] {
  if (values.length === 0) return [];
  const slot = box.width / values.length;
  const barWidth = Math.max(1, slot * widthRatio);
  const y = linearScale([0, max], [box.height - box.padBottom, box.padTop]);
  return values.map((value, i) => {
    const top = y(Math.min(value, max));
    return {
      x: i * slot + (slot - barWidth) / 2,
      y: top,
      width: barWidth,
      height: box.height - box.padBottom - top,
      value,
    };
  });
}

/**
 * An SVG path through the defined values (gaps where a value is `undefined`), x evenly spaced.
 * @example linePath([0, 10], { width: 100, height: 50, padTop: 0, padBottom: 0 }, 10) // 'M50,50' …
 */
export function linePath(values: readonly (number | undefined)[], box: Box, max: number): string {
  if (values.length === 0) return '';
  const slot = box.width / values.length;
  const y = linearScale([0, max], [box.height - box.padBottom, box.padTop]);
  let path = '';
  let pen = false;
  values.forEach((value, i) => {
    if (value === undefined) {
      pen = false;
      return;
    }
    const px = round(i * slot + slot / 2);
    const py = round(y(Math.min(value, max)));
    path += `${pen ? 'L' : 'M'}${px},${py}`;
    pen = true;
  });
  return path;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The points a line passes through (for dots, so a single bucket is still visible). */
export function linePoints(
  values: readonly (number | undefined)[],
  box: Box,
  max: number,
): { x: number; y: number; value: number }[] {
  const slot = box.width / Math.max(1, values.length);
  const y = linearScale([0, max], [box.height - box.padBottom, box.padTop]);
  return values.flatMap((value, i) =>
    value === undefined ? [] : [{ x: round(i * slot + slot / 2), y: round(y(Math.min(value, max))), value }],
  );
}
