import { ALL_FUNCTION_NAMES, DEFAULT_ALL_FUNCTIONS } from '@imgpipe/pipeline';
import { startPipelineServers, type PipelineServers } from '@imgpipe/local-aws/testing';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assembleContext, type ContextManifest } from '../src/assemble';
import type { Arch } from '../src/sharp';

export const workspaceRoot = resolve(__dirname, '..', '..', '..');
export const hostArch: Arch = process.arch === 'arm64' ? 'arm64' : 'x64';

export interface TaskRoot {
  /** Where the context was copied to, as `COPY` puts it in the image (the staging copy is gone). */
  readonly dir: string;
  readonly manifest: ContextManifest;
  /** The local S3 and DynamoDB the handlers talk to (only with `servers: true`). */
  readonly servers: PipelineServers;
}

/**
 * Assembles the image context for this machine's architecture before the file's tests and removes it after;
 * with `servers`, also starts the pipeline's local servers for handlers run from it.
 */
export function useTaskRoot(options: { servers: boolean }): TaskRoot {
  let scratch: string | undefined;
  let dir: string | undefined;
  let manifest: ContextManifest | undefined;
  let servers: PipelineServers | undefined;
  beforeAll(async () => {
    // The bundles are the functions' build output; Nx builds them first, this covers a bare `jest`.
    for (const fn of ALL_FUNCTION_NAMES) {
      if (!existsSync(join(workspaceRoot, 'apps', fn, 'dist', DEFAULT_ALL_FUNCTIONS[fn].bundle))) {
        execFileSync(process.execPath, [join(workspaceRoot, 'tools', 'scripts', 'bundle-function.mjs'), fn], {
          stdio: 'pipe',
        });
      }
    }
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'imgpipe-lambda-image-test-')));
    const staged = join(scratch, 'context');
    manifest = await assembleContext({
      workspaceRoot,
      outDir: staged,
      arch: hostArch,
      sharpFrom: 'workspace',
    });
    dir = join(scratch, 'var-task');
    cpSync(staged, dir, { recursive: true });
    rmSync(staged, { recursive: true, force: true });
    if (options.servers) {
      servers = await startPipelineServers({
        names: { sourceBucket: 'imgpipe-test-source', derivedBucket: 'imgpipe-test-derived' },
      });
    }
  });
  afterAll(async () => {
    await servers?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the task root's ${what} is not ready (beforeAll failed?)`);
    return value;
  };
  return {
    get dir() {
      return ready(dir, 'directory');
    },
    get manifest() {
      return ready(manifest, 'manifest');
    },
    get servers() {
      return ready(servers, 'servers');
    },
  };
}
