import { ALL_FUNCTION_NAMES, DEFAULT_ALL_FUNCTIONS } from '@imgpipe/pipeline';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { dockerfile } from './dockerfile';
import { ImageContextError } from './errors';
import {
  type Arch,
  copySharpFromWorkspace,
  installSharpFromRegistry,
  NATIVE_DEPENDENCIES,
  SHARP_VERSION,
} from './sharp';
import { hashImageSources, hashTree } from '@imgpipe/pipeline/tree-hash';

export interface AssembleOptions {
  /** The repository root (bundles are read from `apps/<fn>/dist/<fn>.mjs`). */
  readonly workspaceRoot: string;
  /** The context directory; replaced as a whole once the new one is complete. */
  readonly outDir: string;
  readonly arch: Arch;
  /** `registry`: npm ci for `arch` (deploy); `workspace`: copy from the installed node_modules (host arch, offline). */
  readonly sharpFrom: 'registry' | 'workspace';
  /** The base image (default: `baseImage(arch)`, a pinned release); `<image>@sha256:...` pins a digest. */
  readonly baseImage?: string;
}

/** What was assembled: written beside the context as `context.json`. */
export interface ContextManifest {
  readonly arch: Arch;
  readonly sharpVersion: string;
  readonly sharpFrom: 'registry' | 'workspace';
  readonly packages: readonly string[];
  readonly bundles: readonly string[];
  /** The bundles' chunks, relative to the task root (`chunks/<name>-<hash>.mjs`), shared where identical. */
  readonly chunks: readonly string[];
  /** Total size of the context's files, in bytes (what `docker build` sends and the image layer adds). */
  readonly bytes: number;
  readonly files: number;
  /** Content hash of the context; infra tags the image with it. */
  readonly hash: string;
  /** Hash of the sources the context was assembled from; infra refuses to deploy it once they changed. */
  readonly sourcesHash: string;
}

/** What `tools/scripts/bundle-function.mjs` writes beside a bundle: its files, relative to `dist/`. */
interface BundleFiles {
  readonly entry: string;
  readonly atImport: readonly string[];
  readonly onDemand: readonly string[];
}

/** Where `bundle-function.mjs` records a function's output files. */
function bundleFilesPath(workspaceRoot: string, fn: string, bundle: string): string {
  return join(workspaceRoot, 'apps', fn, 'dist', bundle.replace(/\.mjs$/, '.files.json'));
}

/**
 * Copies every function's entry to the task root and its chunks to `chunks/`. Chunks are named by
 * content hash, so two functions' chunks of one name are the same file (the shared SDK code): copied
 * once. Two different files of one name would be a broken build: refused.
 */
function copyBundles(
  workspaceRoot: string,
  bundles: readonly { fn: string; file: string }[],
  staging: string,
): string[] {
  const chunks = new Map<string, Buffer>();
  mkdirSync(join(staging, 'chunks'));
  for (const { fn, file } of bundles) {
    const dist = join(workspaceRoot, 'apps', fn, 'dist');
    const files = JSON.parse(readFileSync(bundleFilesPath(workspaceRoot, fn, file), 'utf8')) as BundleFiles;
    copyFileSync(join(dist, file), join(staging, file));
    for (const chunk of [...files.atImport, ...files.onDemand].filter((f) => f !== files.entry)) {
      const bytes = readFileSync(join(dist, chunk));
      const seen = chunks.get(chunk);
      if (seen && !seen.equals(bytes)) {
        throw new ImageContextError(
          'CHUNK_CONFLICT',
          `Expected one content per chunk name but ${chunk} differs between bundles: rebuild them with npx nx run-many -t build -p ${bundles.map((b) => b.fn).join(' ')}`,
        );
      }
      if (!seen) {
        chunks.set(chunk, bytes);
        writeFileSync(join(staging, chunk), bytes);
      }
    }
  }
  return [...chunks.keys()].sort();
}

/**
 * Assembles the Lambda image build context: Dockerfile, every function's handler bundle and its
 * chunks, a package.json naming sharp, and production node_modules with sharp's libvips binary for `arch`.
 * @example await assembleContext({ workspaceRoot, outDir: 'tools/lambda-image/dist/context', arch: 'arm64', sharpFrom: 'registry' })
 */
export async function assembleContext(options: AssembleOptions): Promise<ContextManifest> {
  const { workspaceRoot, outDir, arch } = options;
  // Before anything is read: a source changed while we assemble makes the record stale, never wrong.
  const sourcesHash = hashImageSources(workspaceRoot);
  const bundles = ALL_FUNCTION_NAMES.map((fn) => ({ fn, file: DEFAULT_ALL_FUNCTIONS[fn].bundle }));
  const missing = bundles
    .flatMap(({ fn, file }) => [
      join(workspaceRoot, 'apps', fn, 'dist', file),
      bundleFilesPath(workspaceRoot, fn, file),
    ])
    .filter((path) => !existsSync(path))
    .map((path) => relative(workspaceRoot, path));
  if (missing.length > 0) {
    throw new ImageContextError(
      'BUNDLE_MISSING',
      `Expected the handler bundles but ${missing.join(', ')} missing: run npx nx run-many -t build -p ${ALL_FUNCTION_NAMES.join(' ')}`,
    );
  }
  // Assemble beside the target and swap it in at the end: a reader (infra hashing the context) never
  // sees a half-written context.
  const staging = `${outDir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  let chunks: string[];
  try {
    chunks = copyBundles(workspaceRoot, bundles, staging);
  } catch (error: unknown) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  writeFileSync(join(staging, 'Dockerfile'), dockerfile(arch, options.baseImage));
  writeFileSync(
    join(staging, 'package.json'),
    `${JSON.stringify({ name: 'imgpipe-functions', private: true, description: 'imgpipe Lambda image task root', dependencies: NATIVE_DEPENDENCIES }, null, 2)}\n`,
  );
  const nodeModules = join(staging, 'node_modules');
  let packages: string[];
  try {
    packages =
      options.sharpFrom === 'registry'
        ? await installSharpFromRegistry(arch, nodeModules, workspaceRoot)
        : copySharpFromWorkspace(workspaceRoot, arch, nodeModules);
  } catch (error: unknown) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const tree = hashTree(staging);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  renameSync(staging, outDir);
  return {
    arch,
    sharpVersion: SHARP_VERSION,
    sharpFrom: options.sharpFrom,
    packages,
    bundles: bundles.map((b) => b.file),
    chunks,
    ...tree,
    sourcesHash,
  };
}
