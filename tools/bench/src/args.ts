import { parseArgs as parse } from 'node:util';
import { BUILT_IN_IMAGE_KEYS, DEFAULT_IMAGE_KEYS } from './images';
import { VARIANT_TOOLS, type VariantTool } from './types';

export const STAGES = ['variants', 'coldstart', 'e2e', 'api'] as const;
export type Stage = (typeof STAGES)[number];

/** What one `npm run bench` does. */
export interface BenchOptions {
  readonly json: boolean;
  readonly quick: boolean;
  readonly stages: readonly Stage[];
  /** Built-in workloads by key (`--images`). */
  readonly images: readonly string[];
  /** Any files to measure as well (`--image <path>`, repeatable), relative to the workspace root. */
  readonly imagePaths: readonly string[];
  readonly tools: readonly VariantTool[];
  readonly rounds: number;
  readonly warmup: number;
  readonly iterations: number;
  readonly coldStartSpawns: number;
  readonly uploads: number;
  /** End to end: timed bursts, each with the library alone after it; the median round is reported. */
  readonly e2eRounds: number;
  readonly concurrency: number;
  /** End to end: steady-rate arrivals per second (`--rate`); null: half the burst's drain rate. */
  readonly rate: number | null;
  /**
   * End to end: uploads drained before the burst is timed (`--warm-uploads`), so every function worker
   * has started and loaded its bundle and sharp, as the library alone loads sharp before its clock;
   * null: two per function slot (2 x concurrency). 0 times the burst from a cold stack.
   */
  readonly warmUploads: number | null;
  /** Also write the JSON report (pretty) to this file; relative to the workspace root. */
  readonly out: string | null;
}

/** Thrown for a command line we do not understand; the message says what was expected. */
export class BenchUsageError extends Error {
  readonly code = 'BENCH_USAGE';
}

export const USAGE = `npm run bench -- [--json] [--quick] [--only variants,coldstart,e2e] [--images 6mp,20mp,progressive,tiny,adobe-rgb,wide-gamut,display-p3]
  [--image <path>]... [--tools imgpipe,pillow-draft,...] [--rounds N] [--warmup N] [--iterations N] [--uploads N] [--e2e-rounds N] [--concurrency N] [--rate <uploads/s>] [--warm-uploads N] [--out report.json]`;

const ALL_TOOLS: readonly VariantTool[] = [...VARIANT_TOOLS, 'imgpipe-no-arena-max'];

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new BenchUsageError(`Expected a positive integer after ${name} but received "${value ?? ''}"`);
  return n;
}

function nonNegative(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new BenchUsageError(
      `Expected a whole number (0 or more) after ${name} but received "${value ?? ''}"`,
    );
  return n;
}

function positiveNumber(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new BenchUsageError(`Expected a positive number after ${name} but received "${value ?? ''}"`);
  return n;
}

function list<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T[] {
  const items = (value ?? '').split(',').filter(Boolean);
  const bad = items.filter((i) => !allowed.includes(i as T));
  if (items.length === 0 || bad.length > 0) {
    throw new BenchUsageError(
      `Expected ${name} to be a comma list of ${allowed.join('|')} but received "${value ?? ''}"`,
    );
  }
  return items as T[];
}

const OPTIONS = {
  json: { type: 'boolean' },
  quick: { type: 'boolean' },
  help: { type: 'boolean' },
  only: { type: 'string' },
  images: { type: 'string' },
  image: { type: 'string', multiple: true },
  tools: { type: 'string' },
  rounds: { type: 'string' },
  warmup: { type: 'string' },
  iterations: { type: 'string' },
  uploads: { type: 'string' },
  'e2e-rounds': { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  'warm-uploads': { type: 'string' },
  out: { type: 'string' },
} as const;

function parseStrict(argv: readonly string[]) {
  try {
    return parse({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    throw new BenchUsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

/** Parses the command line (after `--`) with `node:util`'s parseArgs. `--quick` shrinks repetitions and the burst, not the workloads. */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseStrict(argv);
  if (values.help) throw new BenchUsageError(USAGE);
  const quick = values.quick === true;
  const num = (
    name: 'rounds' | 'warmup' | 'iterations' | 'uploads' | 'e2e-rounds' | 'concurrency',
    fallback: number,
  ): number => (values[name] === undefined ? fallback : positive(`--${name}`, values[name]));
  const paths = (values.image ?? []).map((p) => p.trim());
  if (paths.some((p) => p === '')) throw new BenchUsageError(`Expected a file after --image\n${USAGE}`);
  return {
    json: values.json === true,
    quick,
    stages: values.only !== undefined ? list('--only', values.only, STAGES) : [...STAGES],
    images:
      values.images !== undefined
        ? list('--images', values.images, BUILT_IN_IMAGE_KEYS)
        : paths.length > 0
          ? []
          : [...DEFAULT_IMAGE_KEYS],
    imagePaths: paths,
    tools:
      values.tools !== undefined
        ? list('--tools', values.tools, ALL_TOOLS)
        : quick
          ? ALL_TOOLS.filter((t) => t !== 'imgpipe-no-arena-max' && t !== 'sharp-naive-parallel')
          : [...ALL_TOOLS],
    rounds: num('rounds', quick ? 1 : 3),
    warmup: num('warmup', quick ? 1 : 2),
    iterations: num('iterations', quick ? 3 : 5),
    coldStartSpawns: quick ? 3 : 7,
    uploads: num('uploads', quick ? 40 : 200),
    e2eRounds: num('e2e-rounds', quick ? 1 : 5),
    concurrency: num('concurrency', 2),
    rate: values.rate === undefined ? null : positiveNumber('--rate', values.rate),
    warmUploads:
      values['warm-uploads'] === undefined ? null : nonNegative('--warm-uploads', values['warm-uploads']),
    out: values.out ?? null,
  };
}
