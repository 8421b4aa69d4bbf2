import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageContextError } from './errors';

/** One package of an npm v2/v3 lockfile (`packages["node_modules/<name>"]`), the fields used here. */
export interface LockedPackage {
  readonly version?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

/** An npm lockfile (`lockfileVersion` 2 or 3). */
export interface Lockfile {
  readonly name?: string;
  readonly lockfileVersion: number;
  readonly requires?: boolean;
  readonly packages: Readonly<Record<string, LockedPackage>>;
}

/** Where Node (and npm) finds `dep` for the package installed at `from`: nearest `node_modules` upwards. */
function resolveLocked(lock: Lockfile, from: string, dep: string): string | undefined {
  for (let dir = from; ;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${dep}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/**
 * The part of the workspace lockfile that installs `name` and everything it depends on (optional
 * dependencies of every platform included: npm picks the target's with `--os/--cpu/--libc`), as the
 * lockfile of a project that depends on `name` only. Installing from it with `npm ci` gives exactly
 * the versions (and integrity hashes) the workspace was tested with, never a newer match of a range.
 * @example lockfileFor(readWorkspaceLockfile(root), 'sharp', 'imgpipe-image-deps')
 */
export function lockfileFor(workspace: Lockfile, name: string, projectName: string): Lockfile {
  const top = `node_modules/${name}`;
  const root = workspace.packages[top];
  if (!root?.version) {
    throw new ImageContextError(
      'SHARP_NOT_FOUND',
      `Expected ${name} in the workspace lockfile but it is not there`,
    );
  }
  const packages: Record<string, LockedPackage> = {};
  const queue = [top];
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    if (packages[path]) continue;
    const entry = workspace.packages[path] as LockedPackage;
    // A workspace lockfile marks what only its dev tooling needs; here everything is production.
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
    packages[path] = kept;
    for (const [dep, optional] of [
      ...Object.keys(entry.dependencies ?? {}).map((d) => [d, false] as const),
      ...Object.keys(entry.optionalDependencies ?? {}).map((d) => [d, true] as const),
    ]) {
      const resolved = resolveLocked(workspace, path, dep);
      if (resolved) queue.push(resolved);
      else if (!optional) {
        throw new ImageContextError(
          'SHARP_NOT_FOUND',
          `Expected ${dep} (a dependency of ${path}) in the workspace lockfile but it is not there`,
        );
      }
    }
  }
  const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b)));
  return {
    name: projectName,
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: projectName, dependencies: { [name]: root.version } }, ...sorted },
  };
}

/** The repository's `package-lock.json`. */
export function readWorkspaceLockfile(workspaceRoot: string): Lockfile {
  return JSON.parse(readFileSync(join(workspaceRoot, 'package-lock.json'), 'utf8')) as Lockfile;
}
