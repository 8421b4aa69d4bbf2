/**
 * The image context's hash, one implementation for both sides that need it: `tools/lambda-image`
 * records it in `context.json` when it assembles the context, infra tags the image with it and
 * refuses a context assembled from other sources. Node-only (it reads files), so it is its own entry
 * point, `@imgpipe/pipeline/tree-hash`, outside the browser-safe index.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { IMAGE_SOURCE_ROOTS, isExcludedImageSource } from './image-sources';

/** What {@link hashTree} hashed: the hash and the size of the tree. */
export interface TreeHash {
  /** SHA-256 (hex) over `"<path relative to the root>\0<bytes>\0"` of every file, in path order. */
  readonly hash: string;
  readonly bytes: number;
  readonly files: number;
}

/** Every file under `root` (but what `skip` names), sorted, as absolute paths. */
export function listFiles(root: string, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (skip(path)) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk(root);
  return out.sort();
}

/**
 * Hashes `files` by their path relative to `base` and their bytes, in path order, so the same tree
 * always gives the same hash, wherever it lives.
 */
export function hashFiles(base: string, files: readonly string[]): TreeHash {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const file of [...files].sort()) {
    const data = readFileSync(file);
    hash.update(relative(base, file).split(sep).join('/'));
    hash.update('\0');
    hash.update(data);
    hash.update('\0');
    bytes += data.length;
  }
  return { hash: hash.digest('hex'), bytes, files: files.length };
}

/**
 * The hash of every file under `root`: the assembled context's, from which the image tag derives.
 * @example hashTree('tools/lambda-image/dist/context').hash // 'e3b0c442...'
 */
export function hashTree(root: string): TreeHash {
  return hashFiles(root, listFiles(root));
}

/**
 * The hash of the sources the image is built from ({@link IMAGE_SOURCE_ROOTS} under the repository
 * root, without what {@link isExcludedImageSource} names), in the same form as {@link hashTree}.
 */
export function hashImageSources(workspaceRoot: string): string {
  const files = IMAGE_SOURCE_ROOTS.map((path) => join(workspaceRoot, path))
    .filter((path) => existsSync(path))
    .flatMap((path) => (statSync(path).isDirectory() ? listFiles(path, isExcludedImageSource) : [path]));
  return hashFiles(workspaceRoot, files).hash;
}
