import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root: the nearest ancestor holding `apps/local-stack` and `apps/console`. */
export function repoRoot(start = __dirname): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'apps', 'console', 'package.json')) && existsSync(join(dir, 'nx.json')))
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Could not find the repository root above ${start}`);
    dir = parent;
  }
}

/** `test-artifacts/console/` at the repository root (gitignored), or `IMGPIPE_ARTIFACTS_DIR`/console. */
export function artifactsDir(): string {
  const base = process.env['IMGPIPE_ARTIFACTS_DIR']
    ? resolve(process.env['IMGPIPE_ARTIFACTS_DIR'])
    : join(repoRoot(), 'test-artifacts');
  const dir = join(base, 'console');
  mkdirSync(dir, { recursive: true });
  return dir;
}
