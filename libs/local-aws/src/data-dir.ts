import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { join } from 'node:path';
import { LocalStackError } from './errors';

const MARKER = '.imgpipe-data';

/**
 * Prepares the data directory. `fresh` empties it first, but only when it is ours (it holds our marker
 * file) or already empty, so a mistyped `--data-dir` can never wipe someone's files.
 */
export function prepareDataDir(dataDir: string, fresh: boolean): void {
  if (fresh && existsSync(dataDir)) {
    const entries = readdirSync(dataDir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new LocalStackError(
        'INVALID_OPTION',
        `Refusing to empty ${dataDir}: it is not an imgpipe data directory (no ${MARKER} file). Choose another --data-dir.`,
      );
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, MARKER),
    'State of the imgpipe local stack. Safe to delete while it is stopped.\n',
  );
}

/** Where a function's output goes in the data directory: `logs/<name>.log`, as CloudWatch would hold it. */
export function functionLogsDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

/** Opens (appending) one log file per function; the caller ends the streams when the functions stop. */
export function openFunctionLogs<Name extends string>(
  dataDir: string,
  names: readonly Name[],
): Record<Name, WriteStream> {
  mkdirSync(functionLogsDir(dataDir), { recursive: true });
  return Object.fromEntries(
    names.map((name) => [
      name,
      createWriteStream(join(functionLogsDir(dataDir), `${name}.log`), { flags: 'a' }),
    ]),
  ) as Record<Name, WriteStream>;
}
