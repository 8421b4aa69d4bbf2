import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Removes a directory a test made and everything in it; a missing one is fine. */
export function removeTempDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Temporary directories the calling test file owns, so `npm test` leaves nothing in the OS temp dir
 * (`tools/scripts/test-leftovers.sh` checks it). Returns a maker: `tempDir('imgpipe-store')` is a fresh
 * `<os.tmpdir()>/imgpipe-store-XXXXXX`. Registers an `afterAll`, in the block where it is called, that
 * removes every directory the maker made.
 *
 * Jest runs the `afterAll` hooks of one block in the order they were declared, and a block's own after
 * those of the blocks inside it: call this at the top level of the file (or in the block that owns the
 * directories, after the hook that stops whatever still writes into them).
 */
export function useTempDirs(): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) removeTempDir(dir);
  });
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    made.push(dir);
    return dir;
  };
}
