import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { join } from 'node:path';
import { LocalStackError } from './errors';

const MARKER = '.imgpipe-data';
/** The running stack's process id: one stack per data directory (`lockDataDir`). */
export const DATA_DIR_LOCK = 'stack.pid';

/** A data directory this process holds; `release` lets it go (once the stack has stopped using it). */
export interface DataDirLock {
  release(): void;
}

/** The process id a lock file names; undefined when it names none (a write cut short). */
function lockOwner(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // running, as another user
  }
}

/**
 * Takes the data directory for this process before anything in it is read, changed or emptied: two
 * stacks on one directory would each rewrite its journals and remove the files the other has not yet
 * recorded. The lock is `stack.pid`, created exclusively with this process's id. One naming a process
 * that still runs (this one included: a stack it started and has not stopped) refuses with
 * `DATA_DIR_IN_USE`; one whose process is gone (killed, a power cut) is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, DATA_DIR_LOCK);
  for (;;) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return {
        release: () => {
          if (lockOwner(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = lockOwner(path);
    if (owner !== undefined && isRunning(owner))
      throw new LocalStackError(
        'DATA_DIR_IN_USE',
        `${dataDir} is in use by another local stack (process ${owner}): stop it, or start this one with another --data-dir`,
      );
    rmSync(path, { force: true }); // its process is gone
  }
}

/**
 * Prepares the data directory (locked by this process: `lockDataDir`). `fresh` empties it first, but
 * only when it is ours (it holds our marker file) or already empty, so a mistyped `--data-dir` can never
 * wipe someone's files.
 */
export function prepareDataDir(dataDir: string, fresh: boolean): void {
  if (fresh && existsSync(dataDir)) {
    const entries = readdirSync(dataDir).filter((name) => name !== DATA_DIR_LOCK);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new LocalStackError(
        'INVALID_OPTION',
        `Refusing to empty ${dataDir}: it is not an imgpipe data directory (no ${MARKER} file). Choose another --data-dir.`,
      );
    }
    for (const name of entries) rmSync(join(dataDir, name), { recursive: true, force: true });
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
