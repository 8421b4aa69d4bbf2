import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ProviderMirrorNotFoundError } from '../errors';

/** What to look for: a provider version for a platform (`linux_amd64`). */
export interface ProviderWanted {
  readonly hostname: string;
  readonly namespace: string;
  readonly type: string;
  readonly version: string;
  readonly platform: string;
}

/** A mirror directory that holds the wanted provider, and how it was found. */
export interface FoundMirror {
  readonly path: string;
  readonly foundBy: 'env' | 'cli-config' | 'implicit' | 'search';
}

export interface MirrorSearchOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Roots scanned last, a few levels deep. Default: common install roots. */
  readonly searchRoots?: readonly string[];
  /** How deep below a search root the mirror may start. Default 4. */
  readonly maxDepth?: number;
  readonly home?: string;
}

/** The environment variable that names the mirror directly. */
export const MIRROR_ENV = 'IMGPIPE_TF_PROVIDER_MIRROR';

/** Terraform's platform name for this process (`linux_amd64`, `darwin_arm64`, ...). */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const archName: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${platform === 'win32' ? 'windows' : platform}_${archName[arch] ?? arch}`;
}

/**
 * Does `dir` hold the provider in either mirror layout Terraform reads: unpacked
 * (`<host>/<ns>/<type>/<version>/<platform>/`) or packed (`<host>/<ns>/<type>/terraform-provider-<type>_<version>_<platform>.zip`)?
 */
export function holdsProvider(dir: string, wanted: ProviderWanted): boolean {
  const base = join(dir, wanted.hostname, wanted.namespace, wanted.type);
  const unpacked = join(base, wanted.version, wanted.platform);
  if (
    existsSync(unpacked) &&
    readdirSync(unpacked).some((f) => f.startsWith(`terraform-provider-${wanted.type}`))
  ) {
    return true;
  }
  return existsSync(join(base, `terraform-provider-${wanted.type}_${wanted.version}_${wanted.platform}.zip`));
}

/** `filesystem_mirror` paths and `plugin_cache_dir` of a Terraform CLI config (HCL), in order. */
export function mirrorPathsFromCliConfig(text: string): string[] {
  const paths: string[] = [];
  for (const match of text.matchAll(/filesystem_mirror\s*\{([^}]*)\}/g)) {
    const path = /path\s*=\s*"([^"]+)"/.exec(match[1] ?? '')?.[1];
    if (path) paths.push(path);
  }
  const cache = /plugin_cache_dir\s*=\s*"([^"]+)"/.exec(text)?.[1];
  if (cache) paths.push(cache);
  return paths;
}

/** Terraform's implicit local mirror directories on Unix, in its own order. */
export function implicitMirrorDirs(
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string[] {
  const dataHome = env['XDG_DATA_HOME'] || join(home, '.local', 'share');
  const dataDirs = (env['XDG_DATA_DIRS'] || ['/usr/local/share', '/usr/share'].join(delimiter)).split(
    delimiter,
  );
  return [
    join(home, '.terraform.d', 'plugins'),
    join(dataHome, 'terraform', 'plugins'),
    ...dataDirs.map((d) => join(d, 'terraform', 'plugins')),
  ];
}

/** Common places a mirror is installed; scanned a few levels deep only. */
export const DEFAULT_SEARCH_ROOTS: readonly string[] = [
  '/opt',
  '/usr/local',
  '/usr/share',
  '/var/lib',
  '/srv',
];

function searchBelow(root: string, wanted: ProviderWanted, maxDepth: number): string | undefined {
  const queue: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { dir, depth } = next;
    if (holdsProvider(dir, wanted)) return dir;
    if (depth >= maxDepth) continue;
    let entries: string[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true })
        .filter(
          (e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== 'proc',
        )
        .map((e) => e.name)
        .sort();
    } catch {
      continue; // unreadable directory: not ours to search
    }
    for (const name of entries) queue.push({ dir: join(dir, name), depth: depth + 1 });
  }
  return undefined;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Finds a filesystem mirror holding the AWS provider: `IMGPIPE_TF_PROVIDER_MIRROR` first, then the
 * Terraform CLI config's `filesystem_mirror`/`plugin_cache_dir`, then Terraform's implicit local
 * mirror directories, then a bounded search of common install roots. Never a hard-coded path.
 * @example findProviderMirror(wanted, { env: process.env }).path
 */
export function findProviderMirror(wanted: ProviderWanted, options: MirrorSearchOptions): FoundMirror {
  const { env } = options;
  const home = options.home ?? env['HOME'] ?? homedir();
  const fromEnv = env[MIRROR_ENV];
  if (fromEnv) {
    if (holdsProvider(fromEnv, wanted)) return { path: fromEnv, foundBy: 'env' };
    throw new ProviderMirrorNotFoundError(
      `Expected ${MIRROR_ENV}="${fromEnv}" to hold ${wanted.hostname}/${wanted.namespace}/${wanted.type} ${wanted.version} for ${wanted.platform} but it does not`,
    );
  }
  const cliConfig = env['TF_CLI_CONFIG_FILE'] || join(home, '.terraformrc');
  if (existsSync(cliConfig)) {
    const found = mirrorPathsFromCliConfig(readFileSync(cliConfig, 'utf8')).find((dir) =>
      holdsProvider(dir, wanted),
    );
    if (found) return { path: found, foundBy: 'cli-config' };
  }
  const implicit = implicitMirrorDirs(env, home).find((dir) => holdsProvider(dir, wanted));
  if (implicit) return { path: implicit, foundBy: 'implicit' };
  const roots = options.searchRoots ?? [...DEFAULT_SEARCH_ROOTS, home];
  for (const root of roots.filter(isDir)) {
    const found = searchBelow(root, wanted, options.maxDepth ?? 4);
    if (found) return { path: found, foundBy: 'search' };
  }
  throw new ProviderMirrorNotFoundError(
    `No filesystem mirror of ${wanted.hostname}/${wanted.namespace}/${wanted.type} ${wanted.version} (${wanted.platform}) found: ` +
      `set ${MIRROR_ENV} to the directory holding ${wanted.hostname}/`,
  );
}
