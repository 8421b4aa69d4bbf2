import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ImageContextError } from './errors';
import { type LockedPackage, type Lockfile, lockfileFor, readWorkspaceLockfile } from './lockfile';

/** The Lambda architectures, as npm's `--cpu` names them. */
export const ARCHES = ['arm64', 'x64'] as const;
export type Arch = (typeof ARCHES)[number];

/** The sharp version the image ships (the workspace's own). */
export const SHARP_VERSION = '0.35.5';

/**
 * The koffi version the image ships (pinned with @imgpipe/image): the FFI through which the image
 * library calls sharp's own libvips (DCT-scaled JPEG decode, ICC transform after the resize).
 * Without it the library falls back to sharp alone.
 */
export const KOFFI_VERSION = '3.3.4';

/** The native packages the image's node_modules holds, with their pinned versions. */
export const NATIVE_DEPENDENCIES: Readonly<Record<string, string>> = {
  koffi: KOFFI_VERSION,
  sharp: SHARP_VERSION,
};

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Does an optional dependency of sharp or koffi belong to glibc Linux on `arch`? */
export function forTarget(name: string, arch: Arch): boolean {
  return (
    name === `@img/sharp-linux-${arch}` ||
    name === `@img/sharp-libvips-linux-${arch}` ||
    name === `@koromix/koffi-linux-${arch}`
  );
}

/**
 * Copies sharp and its runtime dependencies for glibc Linux on `arch` from an installed
 * node_modules (`workspaceRoot`): fast and offline, but only for an architecture installed there,
 * which in practice is this machine's.
 */
export function copySharpFromWorkspace(workspaceRoot: string, arch: Arch, nodeModules: string): string[] {
  const copied: string[] = [];
  const visit = (name: string, from: string, optional: boolean): void => {
    if (copied.includes(name)) return;
    const dir = findPackage(name, from);
    if (!dir) {
      if (optional) return;
      throw new ImageContextError(
        'SHARP_NOT_FOUND',
        `Expected ${name} installed under ${workspaceRoot} for linux-${arch} but it is not: assemble with --sharp registry`,
      );
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    const pinned = NATIVE_DEPENDENCIES[name];
    if (pinned !== undefined && pkg.version !== pinned) {
      throw new ImageContextError(
        'SHARP_NOT_FOUND',
        `Expected ${name} ${pinned} but the workspace has ${pkg.version}`,
      );
    }
    cpSync(dir, join(nodeModules, name), { recursive: true, dereference: true });
    copied.push(name);
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {}).filter((d) => forTarget(d, arch)))
      visit(dep, dir, false);
  };
  for (const name of Object.keys(NATIVE_DEPENDENCIES)) visit(name, workspaceRoot, false);
  return copied.sort();
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve(stdout);
    });
  });
}

/** One lockfile for every native dependency (sharp and koffi), cut out of the workspace's. */
function nativeLockfile(workspace: Lockfile): Lockfile {
  const locks = Object.keys(NATIVE_DEPENDENCIES).map((name) =>
    lockfileFor(workspace, name, 'imgpipe-image-deps'),
  );
  const dependencies = Object.assign(
    {},
    ...locks.map((l) => (l.packages[''] as { dependencies?: Record<string, string> }).dependencies ?? {}),
  ) as Record<string, string>;
  const packages = Object.assign({}, ...locks.map((l) => l.packages)) as Record<string, LockedPackage>;
  return {
    name: 'imgpipe-image-deps',
    lockfileVersion: 3,
    requires: true,
    packages: { ...packages, '': { name: 'imgpipe-image-deps', dependencies } },
  };
}

/**
 * Installs sharp's production dependencies for glibc Linux on `arch` from the npm registry with
 * `npm ci` from a lockfile cut out of the workspace's (`lockfileFor`): the exact versions and
 * integrity hashes the workspace was tested with, never a newer match of a range. npm's
 * `--os`/`--cpu`/`--libc` pick the target's binaries. Runs in a scratch folder outside the
 * workspace (so no workspace or .npmrc of ours applies), then moves `node_modules` into place.
 */
export async function installSharpFromRegistry(
  arch: Arch,
  nodeModules: string,
  workspaceRoot: string,
): Promise<string[]> {
  const lock = nativeLockfile(readWorkspaceLockfile(workspaceRoot));
  const locked = lock.packages['node_modules/sharp']?.version;
  if (locked !== SHARP_VERSION) {
    throw new ImageContextError(
      'SHARP_NOT_FOUND',
      `Expected sharp ${SHARP_VERSION} in the workspace lockfile but it locks ${String(locked)}`,
    );
  }
  const scratch = mkdtempSync(join(tmpdir(), 'imgpipe-sharp-'));
  try {
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify(
        { name: 'imgpipe-image-deps', private: true, dependencies: NATIVE_DEPENDENCIES },
        null,
        2,
      ),
    );
    writeFileSync(join(scratch, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
    // npm run passes its own config down as npm_config_*; the scratch install must not inherit workspace settings.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    try {
      await run(
        npm,
        [
          'ci',
          '--omit=dev',
          '--os=linux',
          `--cpu=${arch}`,
          '--libc=glibc',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
        ],
        scratch,
        env,
      );
    } catch (cause: unknown) {
      throw new ImageContextError(
        'SHARP_INSTALL_FAILED',
        `npm ci of sharp ${SHARP_VERSION} for linux-${arch} failed`,
        {
          cause,
          retryable: true,
        },
      );
    }
    // Neither npm's bookkeeping nor bin links are needed at runtime; symlinks would also not hash portably.
    rmSync(join(scratch, 'node_modules', '.package-lock.json'), { force: true });
    rmSync(join(scratch, 'node_modules', '.bin'), { recursive: true, force: true });
    if (
      !existsSync(join(scratch, 'node_modules', '@img', `sharp-linux-${arch}`)) ||
      !existsSync(join(scratch, 'node_modules', '@koromix', `koffi-linux-${arch}`))
    ) {
      throw new ImageContextError(
        'SHARP_INSTALL_FAILED',
        `npm installed no @img/sharp-linux-${arch} or @koromix/koffi-linux-${arch}: is npm >= 10 (with --libc)?`,
      );
    }
    rmSync(nodeModules, { recursive: true, force: true });
    renameSync(join(scratch, 'node_modules'), nodeModules);
    return listPackages(nodeModules);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function listPackages(nodeModules: string): string[] {
  return readdirSync(nodeModules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) =>
      name.startsWith('@') ? readdirSync(join(nodeModules, name)).map((sub) => `${name}/${sub}`) : [name],
    )
    .sort();
}
