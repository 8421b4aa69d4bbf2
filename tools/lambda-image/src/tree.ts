import { IMAGE_SOURCE_ROOTS, isExcludedImageSource } from '@imgpipe/pipeline';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

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
 * SHA-256 over each file's relative path and bytes: the same tree gives the same hash wherever it
 * lives. Infra (`infra/src/image-context.ts`) hashes the context the same way for the image tag.
 */
export function hashTree(root: string): { hash: string; bytes: number; files: number } {
  const hash = createHash('sha256');
  const files = listFiles(root);
  let bytes = 0;
  for (const file of files) {
    hash.update(relative(root, file).split(sep).join('/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
    bytes += statSync(file).size;
  }
  return { hash: hash.digest('hex'), bytes, files: files.length };
}

/**
 * Hash of the sources the image is built from (`IMAGE_SOURCE_ROOTS` under the repository root), in
 * the same form as {@link hashTree}: recorded in `context.json`, so infra can refuse to deploy a context
 * assembled from other sources than the ones checked out.
 */
export function hashSources(workspaceRoot: string): string {
  const hash = createHash('sha256');
  const files = IMAGE_SOURCE_ROOTS.map((path) => join(workspaceRoot, path))
    .filter((path) => existsSync(path))
    .flatMap((path) => (statSync(path).isDirectory() ? listFiles(path, isExcludedImageSource) : [path]))
    .sort();
  for (const file of files) {
    hash.update(relative(workspaceRoot, file).split(sep).join('/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}
