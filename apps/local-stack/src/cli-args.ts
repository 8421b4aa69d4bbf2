import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
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
IMGPIPE_RECONCILE_SCHEDULE (e.g. "rate(1 minute)"), IMGPIPE_ALLOWED_ORIGINS (comma-separated web
origins, besides the stack's own, that may call it from a browser).`;

function number(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n))
    throw new LocalStackError('INVALID_OPTION', `Expected a number for ${what} but received "${value}"`);
  return n;
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        fresh: { type: 'boolean', default: false },
        'no-samples': { type: 'boolean', default: false },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    throw new LocalStackError('INVALID_OPTION', `${message}\n\n${USAGE}`, { cause: error });
  }
}

/**
 * Reads flags and environment once into options.
 * @example parseStartArgs(['--fresh'], {}).options.fresh // true
 */
export function parseStartArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): StartRequest {
  const flags = parseFlags(argv);
  const port = number(flags.port ?? env['IMGPIPE_EDGE_PORT'], flags.port ? '--port' : 'IMGPIPE_EDGE_PORT');
  const dataDir = flags['data-dir'] || env['IMGPIPE_DATA_DIR'] || undefined;
  const concurrency = number(
    flags.concurrency ?? env['IMGPIPE_FUNCTION_CONCURRENCY'],
    flags.concurrency ? '--concurrency' : 'IMGPIPE_FUNCTION_CONCURRENCY',
  );
  const faultRate = number(env['IMGPIPE_FAULT_RATE'], 'IMGPIPE_FAULT_RATE');
  const retryDelayScale = number(env['IMGPIPE_RETRY_DELAY_SCALE'], 'IMGPIPE_RETRY_DELAY_SCALE');
  const schedule = env['IMGPIPE_RECONCILE_SCHEDULE'] || undefined;
  const allowedOrigins = (env['IMGPIPE_ALLOWED_ORIGINS'] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
  return {
    help: flags.help,
    options: {
      fresh: flags.fresh,
      samples: !flags['no-samples'],
      ...(port === undefined ? {} : { port }),
      ...(dataDir ? { dataDir } : {}),
      // Each worker is a whole Node process with sharp: more of them than cores only adds queueing.
      concurrency: concurrency ?? Math.max(2, availableParallelism()),
      ...(faultRate === undefined ? {} : { faultRate }),
      ...(retryDelayScale === undefined ? {} : { retryDelayScale }),
      ...(schedule ? { pipeline: { reconcileSchedule: schedule } } : {}),
      ...(allowedOrigins.length ? { allowedOrigins } : {}),
    },
  };
}
