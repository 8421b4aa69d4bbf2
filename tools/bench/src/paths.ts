import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The bench project's own folder (tools/bench), found from this file. */
export const BENCH_DIR = resolve(__dirname, '..');

/** The workspace root: the nearest folder above the bench holding nx.json. */
export function workspaceRoot(): string {
  let dir = BENCH_DIR;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('nx.json not found above tools/bench');
    dir = parent;
  }
  return dir;
}
