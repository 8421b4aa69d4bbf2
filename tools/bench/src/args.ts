import { DEFAULT_IMAGE_KEYS } from './images';
import type { VariantTool } from './types';

export const STAGES = ['variants', 'coldstart', 'e2e', 'api'] as const;
export type Stage = (typeof STAGES)[number];

/** What one `npm run bench` does. */
export interface BenchOptions {
  readonly json: boolean;
  readonly quick: boolean;
  readonly stages: readonly Stage[];
  readonly images: readonly string[];
  readonly tools: readonly VariantTool[];
  readonly rounds: number;
  readonly warmup: number;
  readonly iterations: number;
  readonly coldStartSpawns: number;
  readonly uploads: number;
  readonly concurrency: number;
  /** Also write the JSON report (pretty) to this file; relative to the workspace root. */
  readonly out: string | null;
}

/** Thrown for a command line we do not understand; the message says what was expected. */
export class BenchUsageError extends Error {
  readonly code = 'BENCH_USAGE';
}

export const USAGE = `npm run bench -- [--json] [--quick] [--only variants,coldstart,e2e] [--images 6mp,20mp,progressive,tiny]
  [--tools imgpipe,pillow-draft,...] [--rounds N] [--warmup N] [--iterations N] [--uploads N] [--out report.json]`;

const ALL_TOOLS: readonly VariantTool[] = [
  'imgpipe',
  'pillow-draft',
  'sharp-naive',
  'sharp-naive-parallel',
  'floor',
  'imgpipe-no-arena-max',
];

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new BenchUsageError(`Expected a positive integer after ${name} but received "${value ?? ''}"`);
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

/** Parses the command line (after `--`). `--quick` shrinks repetitions and the burst, not the workloads. */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new BenchUsageError(`Unexpected argument "${arg}"\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (['json', 'quick', 'help'].includes(name)) flags.set(name, true);
    else flags.set(name, inline ?? (argv[++i] as string | undefined) ?? '');
  }
  const known = [
    'json',
    'quick',
    'help',
    'only',
    'images',
    'tools',
    'rounds',
    'warmup',
    'iterations',
    'uploads',
    'concurrency',
    'out',
  ];
  for (const name of flags.keys())
    if (!known.includes(name)) throw new BenchUsageError(`Unknown option --${name}\n${USAGE}`);
  if (flags.has('help')) throw new BenchUsageError(USAGE);
  const quick = flags.has('quick');
  const str = (name: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const num = (name: string, fallback: number): number =>
    flags.has(name) ? positive(`--${name}`, str(name)) : fallback;
  return {
    json: flags.has('json'),
    quick,
    stages: flags.has('only') ? list('--only', str('only'), STAGES) : [...STAGES],
    images: flags.has('images')
      ? list('--images', str('images'), ['6mp', '20mp', 'progressive', 'tiny'])
      : [...DEFAULT_IMAGE_KEYS],
    tools: flags.has('tools')
      ? list('--tools', str('tools'), ALL_TOOLS)
      : quick
        ? ALL_TOOLS.filter((t) => t !== 'imgpipe-no-arena-max' && t !== 'sharp-naive-parallel')
        : [...ALL_TOOLS],
    rounds: num('rounds', quick ? 1 : 3),
    warmup: num('warmup', quick ? 1 : 2),
    iterations: num('iterations', quick ? 3 : 5),
    coldStartSpawns: quick ? 3 : 7,
    uploads: num('uploads', quick ? 40 : 200),
    concurrency: num('concurrency', 2),
    out: str('out') ?? null,
  };
}
