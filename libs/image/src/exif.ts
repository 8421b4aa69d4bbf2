import exifReader from 'exif-reader';
import type { ExifSubset, GpsPosition } from './types';

type Tags = Readonly<Record<string, unknown>>;

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // Camera strings are NUL-padded fixed-width fields.
  const trimmed = value.replace(/\0+$/, '').trim();
  return trimmed.length > 0 && trimmed.length <= 256 ? trimmed : undefined;
}

function positive(value: unknown): number | undefined {
  const n = Array.isArray(value) ? value[0] : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 && n < 0xffffffff ? n : undefined;
}

/** exif-reader turns the camera's local `YYYY:MM:DD HH:MM:SS` into a Date in UTC with the same fields. */
function localDateTime(value: unknown, offset: unknown): string | undefined {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) return undefined;
  const local = value.toISOString().slice(0, 19);
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : '';
  return `${local}${zone}`;
}

function degrees(value: unknown, ref: unknown, negativeRef: string, max: number): number | undefined {
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [d, m, s] = value as unknown[];
  if (![d, m, s].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) return undefined;
  const magnitude = (d as number) + (m as number) / 60 + (s as number) / 3600;
  if (magnitude > max) return undefined;
  return ref === negativeRef ? -magnitude : magnitude;
}

function gpsOf(gps: Tags | undefined): GpsPosition | undefined {
  if (!gps) return undefined;
  const latitude = degrees(gps['GPSLatitude'], gps['GPSLatitudeRef'], 'S', 90);
  const longitude = degrees(gps['GPSLongitude'], gps['GPSLongitudeRef'], 'W', 180);
  if (latitude === undefined || longitude === undefined) return undefined;
  const altitude = gps['GPSAltitude'];
  if (typeof altitude !== 'number' || !Number.isFinite(altitude) || Math.abs(altitude) > 100_000) {
    return { latitude, longitude };
  }
  return { latitude, longitude, altitude: gps['GPSAltitudeRef'] === 1 ? -altitude : altitude };
}

function withoutUndefined<T extends object>(record: T): T | undefined {
  const entries = Object.entries(record).filter(([, v]) => v !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}

/** The EXIF subset kept on the row, and GPS when asked for. Damaged EXIF yields nothing, never an error. */
export function readExif(raw: Buffer | undefined, gps: boolean): { exif?: ExifSubset; gps?: GpsPosition } {
  if (!raw) return {};
  let parsed: ReturnType<typeof exifReader>;
  try {
    parsed = exifReader(raw);
  } catch {
    return {};
  }
  const image: Tags = parsed.Image ?? {};
  const photo: Tags = parsed.Photo ?? {};
  const exif = withoutUndefined<ExifSubset>({
    make: text(image['Make']),
    model: text(image['Model']),
    lens: text(photo['LensModel']),
    takenAt: localDateTime(photo['DateTimeOriginal'], photo['OffsetTimeOriginal']),
    exposureTime: positive(photo['ExposureTime']),
    fNumber: positive(photo['FNumber']),
    iso: positive(photo['ISOSpeedRatings']) ?? positive(photo['PhotographicSensitivity']),
    focalLength: positive(photo['FocalLength']),
  });
  const position = gps ? gpsOf(parsed.GPSInfo as Tags | undefined) : undefined;
  return { ...(exif ? { exif } : {}), ...(position ? { gps: position } : {}) };
}
