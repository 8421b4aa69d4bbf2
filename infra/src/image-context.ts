import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The image build context as infra sees it at synth time. */
export interface ImageContext {
  /** Absolute path of the assembled context (`docker buildx build <directory>`). */
  readonly directory: string;
  /** SHA-256 (hex) over every file's relative path and bytes; the image tag derives from it. */
  readonly hash: string;
  /** `context`: hashed the assembled context; `sources`: it was absent, hashed the handler sources. */
  readonly hashedFrom: 'context' | 'sources';
  /** The architecture sharp was installed for (from `context.json` beside the context), when known. */
  readonly arch?: 'arm64' | 'x64';
}

function contextArch(contextDir: string): 'arm64' | 'x64' | undefined {
  const manifest = join(dirname(contextDir), 'context.json');
  if (!existsSync(manifest)) return undefined;
  const arch = (JSON.parse(readFileSync(manifest, 'utf8')) as { arch?: unknown; directory?: unknown }).arch;
  return arch === 'arm64' || arch === 'x64' ? arch : undefined;
}

/** The folders whose sources end up in the image when the context has not been assembled yet. */
const SOURCE_ROOTS = [
  'apps/resize/src',
  'apps/metadata-sync/src',
  'apps/reconcile/src',
  'libs',
  'tools/lambda-image/src',
];

/** The repository root: the nearest folder above `start` whose package.json declares workspaces. */
export function workspaceRoot(start: string = __dirname): string {
  let dir = resolve(start);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object))
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No npm workspace root above ${start}`);
    dir = parent;
  }
}

function listFiles(root: string, skip: (path: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (skip(path)) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk(root);
  return out;
}

/**
 * Hashes files by relative path and content, so the same tree always gives the same hash,
 * wherever it lives. `tools/lambda-image` computes the same hash for `context.json`.
 */
export function hashTree(base: string, files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    hash.update(relative(base, file).split(sep).join('/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Finds the image build context and hashes it. When it has not been assembled (CI's plan, a fresh
 * clone) the handler and library sources are hashed instead: the tag still changes when, and only
 * when, code that goes into the image changes; `infra:deploy` assembles the context first.
 */
export function resolveImageContext(directory?: string, root: string = workspaceRoot()): ImageContext {
  // `lambda-image:build` may swap the context in while we read it (Nx runs targets in parallel): read again.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return readImageContext(directory, root);
    } catch (error: unknown) {
      if (attempt >= 3 || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

function readImageContext(directory: string | undefined, root: string): ImageContext {
  const contextDir = resolve(directory ?? join(root, 'tools', 'lambda-image', 'dist', 'context'));
  if (existsSync(join(contextDir, 'Dockerfile'))) {
    const arch = contextArch(contextDir);
    const hash = hashTree(
      contextDir,
      listFiles(contextDir, () => false),
    );
    return { directory: contextDir, hash, hashedFrom: 'context', ...(arch ? { arch } : {}) };
  }
  const skip = (path: string): boolean =>
    /[\\/](node_modules|dist|tests|\.nx)$/.test(path) || /\.spec\.ts$/.test(path);
  const files = SOURCE_ROOTS.map((dir) => join(root, dir))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => listFiles(dir, skip));
  return { directory: contextDir, hash: hashTree(root, files), hashedFrom: 'sources' };
}
