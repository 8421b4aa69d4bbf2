import { createHash } from 'node:crypto';
import { parsePresets } from '@imgpipe/image';
import {
  checkCdn,
  checkUploads,
  DEFAULT_CDN,
  ENV,
  type CdnSpec,
  type LimitsSpec,
  type PresetSpec,
  type UploadSpec,
} from '@imgpipe/pipeline';
import { z } from 'zod';
import { ConfigError } from './errors';

/** Everything a function needs, read once at cold start from its environment. */
export interface PipelineConfig {
  readonly sourceBucket: string;
  readonly derivedBucket: string;
  readonly table: string;
  readonly controlTable: string;
  readonly presets: readonly PresetSpec[];
  /** Stable hash of the presets; a row whose `presetsHash` differs is re-rendered by reconcile. */
  readonly presetsHash: string;
  readonly limits: LimitsSpec;
  readonly storeGps: boolean;
  readonly tombstoneTtlDays: number;
  readonly keyPrefix: string;
  readonly keySuffixes: readonly string[];
  readonly reconcilePageSize: number;
  /** CDN cache rules: the variants' Cache-Control, the version parameter and metadata. */
  readonly cdn: CdnSpec;
  /** What a presigned upload may carry (the api issues them). */
  readonly uploads: UploadSpec;
}

const name = z.string().min(1);
const positiveInt = z.coerce.number().int().positive();
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const EnvSchema = z.object({
  [ENV.sourceBucket]: name,
  [ENV.derivedBucket]: name,
  [ENV.table]: name,
  [ENV.controlTable]: name,
  [ENV.presets]: z.string().min(1),
  [ENV.maxBytes]: positiveInt,
  [ENV.maxPixels]: positiveInt,
  [ENV.maxFrames]: positiveInt,
  [ENV.jobTimeoutMs]: positiveInt,
  [ENV.allowSvg]: bool.default(false),
  [ENV.storeGps]: bool.default(false),
  [ENV.tombstoneTtlDays]: positiveInt.default(30),
  [ENV.keyPrefix]: z.string().default(''),
  [ENV.keySuffixes]: z.string().default(''),
  [ENV.reconcilePageSize]: positiveInt.default(200),
  // Absent in environments made before the image API: the definition's defaults apply.
  [ENV.cdn]: z.string().optional(),
  [ENV.uploads]: z.string().optional(),
});

function parseJsonSetting<T>(name: string, text: string | undefined, check: (value: T) => T): T | undefined {
  if (text === undefined) return undefined;
  try {
    return check(JSON.parse(text) as T);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(`Expected valid JSON settings in ${name}: ${detail}`, { cause });
  }
}

/** A stable hash of presets (key order independent), recorded on rows as `presetsHash`. */
export function hashPresets(presets: readonly PresetSpec[]): string {
  const canonical = presets.map((p) => [
    p.name,
    p.fit,
    p.width,
    p.height,
    p.format,
    p.quality,
    p.animated ?? false,
  ]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16);
}

function parsePresetsJson(text: string): PresetSpec[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`Expected JSON presets in ${ENV.presets} but received "${text.slice(0, 80)}"`, {
      cause,
    });
  }
  try {
    return parsePresets(raw);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(`Expected valid presets in ${ENV.presets}: ${detail}`, { cause });
  }
}

/**
 * Reads the function's configuration once (call it at cold start, never inside a use case).
 * @example const config = readConfig(process.env);
 */
export function readConfig(env: Readonly<Record<string, string | undefined>>): PipelineConfig {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Expected the pipeline environment (see @imgpipe/pipeline ENV) but ${issues}`, {
      cause: result.error,
    });
  }
  const e = result.data;
  if (e[ENV.sourceBucket] === e[ENV.derivedBucket]) {
    throw new ConfigError(
      `Expected distinct source and derived buckets but both are "${e[ENV.sourceBucket]}"`,
    );
  }
  const presets = parsePresetsJson(e[ENV.presets]);
  const limits: LimitsSpec = {
    maxBytes: e[ENV.maxBytes],
    maxPixels: e[ENV.maxPixels],
    maxFrames: e[ENV.maxFrames],
    jobTimeoutMs: e[ENV.jobTimeoutMs],
    allowSvg: e[ENV.allowSvg],
  };
  const cdn = parseJsonSetting<CdnSpec>(ENV.cdn, e[ENV.cdn], (v) => checkCdn({ ...DEFAULT_CDN, ...v }));
  const uploads = parseJsonSetting<UploadSpec>(ENV.uploads, e[ENV.uploads], (v) => checkUploads(limits, v));
  return {
    sourceBucket: e[ENV.sourceBucket],
    derivedBucket: e[ENV.derivedBucket],
    table: e[ENV.table],
    controlTable: e[ENV.controlTable],
    presets,
    presetsHash: hashPresets(presets),
    limits,
    storeGps: e[ENV.storeGps],
    tombstoneTtlDays: e[ENV.tombstoneTtlDays],
    keyPrefix: e[ENV.keyPrefix],
    keySuffixes: e[ENV.keySuffixes]
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    reconcilePageSize: e[ENV.reconcilePageSize],
    cdn: cdn ?? DEFAULT_CDN,
    uploads: uploads ?? checkUploads(limits),
  };
}
