import { hashImageSources, hashTree } from '@imgpipe/pipeline/tree-hash';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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
  /** Hash of the image's sources now (`IMAGE_SOURCE_ROOTS`). */
  readonly sourcesHash: string;
  /** Hash of the sources the context was assembled from (`context.json`), when recorded. */
  readonly assembledFromSourcesHash?: string;
}

interface ContextRecord {
  readonly arch?: 'arm64' | 'x64';
  readonly sourcesHash?: string;
}

function contextRecord(contextDir: string): ContextRecord {
  const manifest = join(dirname(contextDir), 'context.json');
  if (!existsSync(manifest)) return {};
  const doc = JSON.parse(readFileSync(manifest, 'utf8')) as { arch?: unknown; sourcesHash?: unknown };
  return {
    ...(doc.arch === 'arm64' || doc.arch === 'x64' ? { arch: doc.arch } : {}),
    ...(typeof doc.sourcesHash === 'string' ? { sourcesHash: doc.sourcesHash } : {}),
  };
}

/**
 * Hash of the sources that go into the image, as `tools/lambda-image` records it in `context.json`
 * (one implementation: `@imgpipe/pipeline/tree-hash`).
 */
export function imageSourcesHash(root: string = workspaceRoot()): string {
  return hashImageSources(root);
}

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
  const sourcesHash = imageSourcesHash(root);
  if (existsSync(join(contextDir, 'Dockerfile'))) {
    const record = contextRecord(contextDir);
    const { hash } = hashTree(contextDir);
    return {
      directory: contextDir,
      hash,
      hashedFrom: 'context',
      sourcesHash,
      ...(record.arch ? { arch: record.arch } : {}),
      ...(record.sourcesHash ? { assembledFromSourcesHash: record.sourcesHash } : {}),
    };
  }
  return { directory: contextDir, hash: sourcesHash, hashedFrom: 'sources', sourcesHash };
}
