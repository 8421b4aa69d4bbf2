import { VARIANT_FITS, VARIANT_FORMATS } from '@imgpipe/pipeline';
import { InvalidPresetError } from './errors';
import type { Preset } from './types';

/** Largest preset edge: big enough for any display, small enough to bound memory. */
export const MAX_PRESET_EDGE = 8192;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const PRESET_KEYS = ['name', 'fit', 'width', 'height', 'format', 'quality', 'animated'] as const;
/** Formats whose encoder keeps every frame of an animated input. */
const ANIMATED_FORMATS = ['webp'] as const;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

function fail(what: string, field: string, value: unknown): never {
  throw new InvalidPresetError(`Expected ${what} for ${field} but received ${show(value)}`);
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown, field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return fail(`one of ${allowed.join(', ')}`, field, value);
}

function integer(min: number, max: number, value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  return fail(`integer between ${min} and ${max}`, field, value);
}

function parseOne(input: unknown, field: string): Preset {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('object', field, input);
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(PRESET_KEYS as readonly string[]).includes(key)) {
      fail(`only ${PRESET_KEYS.join(', ')}`, `${field} keys`, key);
    }
  }
  const name = record['name'];
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    fail('1-64 letters, digits, "-" or "_" (starting with a letter or digit)', `${field}.name`, name);
  }
  const format = oneOf(VARIANT_FORMATS, record['format'], `${field}.format`);
  const animated = record['animated'];
  if (animated !== undefined && typeof animated !== 'boolean') fail('boolean', `${field}.animated`, animated);
  if (animated === true && !(ANIMATED_FORMATS as readonly string[]).includes(format)) {
    fail(`${ANIMATED_FORMATS.join(' or ')} when animated is true`, `${field}.format`, format);
  }
  return {
    name,
    fit: oneOf(VARIANT_FITS, record['fit'], `${field}.fit`),
    width: integer(1, MAX_PRESET_EDGE, record['width'], `${field}.width`),
    height: integer(1, MAX_PRESET_EDGE, record['height'], `${field}.height`),
    format,
    quality: integer(1, 100, record['quality'], `${field}.quality`),
    ...(animated === undefined ? {} : { animated }),
  };
}

/**
 * Validates variant presets up front (e.g. from `IMGPIPE_PRESETS`), so a bad configuration fails
 * at cold start with a message naming the field, never halfway through an image.
 * @throws InvalidPresetError e.g. `Expected integer between 1 and 100 for presets[0].quality but received 0`
 * @example const presets = parsePresets(JSON.parse(process.env.IMGPIPE_PRESETS ?? '[]'));
 */
export function parsePresets(input: unknown): Preset[] {
  if (!Array.isArray(input) || input.length === 0) return fail('non-empty array', 'presets', input);
  const presets = input.map((item: unknown, i) => parseOne(item, `presets[${i}]`));
  const seen = new Set<string>();
  presets.forEach((preset, i) => {
    if (seen.has(preset.name))
      fail('a name not used by an earlier preset', `presets[${i}].name`, preset.name);
    seen.add(preset.name);
  });
  return presets;
}
