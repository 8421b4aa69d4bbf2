import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
