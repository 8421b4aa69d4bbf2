import { availableParallelism } from 'node:os';
import { LocalStackError, type LocalStackOptions } from '@imgpipe/local-aws';

/** What `npm start -- <flags>` and the environment ask for. */
export interface StartRequest {
  readonly options: LocalStackOptions;
  readonly help: boolean;
}

export const USAGE = `Usage: npm start -- [--fresh] [--no-samples] [--port <n>] [--data-dir <dir>] [--concurrency <n>]

  --fresh            start empty (removes the data directory first)
  --no-samples       do not upload the bundled sample images
  --port <n>         edge port (env IMGPIPE_EDGE_PORT, default 4566)
  --data-dir <d>     state directory (env IMGPIPE_DATA_DIR, default ./.imgpipe)
  --concurrency <n>  most concurrent invocations per function (env IMGPIPE_FUNCTION_CONCURRENCY,
                     default: this machine's CPU count, at least 2; never above a function's
                     reserved concurrency)

Environment: IMGPIPE_FAULT_RATE (0-1), IMGPIPE_RETRY_DELAY_SCALE (default 0.0167),
IMGPIPE_RECONCILE_SCHEDULE (e.g. "rate(1 minute)").`;

function number(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n))
    throw new LocalStackError('INVALID_OPTION', `Expected a number for ${what} but received "${value}"`);
  return n;
}

/**
 * Reads flags and environment once into options.
 * @example parseStartArgs(['--fresh'], {}).options.fresh // true
 */
export function parseStartArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): StartRequest {
  let fresh = false;
  let samples = true;
  let help = false;
  let port = number(env['IMGPIPE_EDGE_PORT'], 'IMGPIPE_EDGE_PORT');
  let dataDir = env['IMGPIPE_DATA_DIR'] || undefined;
  let concurrency = number(env['IMGPIPE_FUNCTION_CONCURRENCY'], 'IMGPIPE_FUNCTION_CONCURRENCY');
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new LocalStackError('INVALID_OPTION', `Expected a value after ${flag}`);
      return v;
    };
    if (flag === '--fresh') fresh = true;
    else if (flag === '--no-samples') samples = false;
    else if (flag === '--port') port = number(value(), '--port');
    else if (flag === '--data-dir') dataDir = value();
    else if (flag === '--concurrency') concurrency = number(value(), '--concurrency');
    else if (flag === '--help' || flag === '-h') help = true;
    else throw new LocalStackError('INVALID_OPTION', `Unknown option "${arg}"\n\n${USAGE}`);
  }
  const faultRate = number(env['IMGPIPE_FAULT_RATE'], 'IMGPIPE_FAULT_RATE');
  const retryDelayScale = number(env['IMGPIPE_RETRY_DELAY_SCALE'], 'IMGPIPE_RETRY_DELAY_SCALE');
  const schedule = env['IMGPIPE_RECONCILE_SCHEDULE'] || undefined;
  return {
    help,
    options: {
      fresh,
      samples,
      ...(port === undefined ? {} : { port }),
      ...(dataDir ? { dataDir } : {}),
      // Each worker is a whole Node process with sharp: more of them than cores only adds queueing.
      concurrency: concurrency ?? Math.max(2, availableParallelism()),
      ...(faultRate === undefined ? {} : { faultRate }),
      ...(retryDelayScale === undefined ? {} : { retryDelayScale }),
      ...(schedule ? { pipeline: { reconcileSchedule: schedule } } : {}),
    },
  };
}
