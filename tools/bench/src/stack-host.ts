/**
 * Runs the built local stack in a child process (tools may not import apps; the built bundle is
 * loaded by path at run time). The child prints one JSON line when ready, and on `stop` on stdin
 * prints the stack's metrics, stops it and exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { workspaceRoot } from './paths';

export const BUILD_STACK = 'npx nx build local-stack';

export interface StackInfo {
  readonly endpoint: string;
  readonly table: string;
  readonly sourceBucket: string;
  readonly env: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface RunningStack {
  readonly info: StackInfo;
  /** Stops the stack; resolves with its metrics document (or null). */
  stop(): Promise<unknown>;
}

export function stackEntry(): string {
  return join(workspaceRoot(), 'apps', 'local-stack', 'dist', 'main.mjs');
}

function hostScript(entry: string, dataDir: string, concurrency: number): string {
  return String.raw`
const mod = await import(${JSON.stringify(pathToFileURL(entry).href)});
if (typeof mod.startLocalStack !== 'function') throw new Error('the local stack bundle exports no startLocalStack');
const stack = await mod.startLocalStack({
  port: 0, dataDir: ${JSON.stringify(dataDir)}, fresh: true, samples: false, summaryIntervalMs: 0,
  pipeline: { functions: { resize: { reservedConcurrency: ${concurrency} }, 'metadata-sync': { reservedConcurrency: ${concurrency} } } },
});
const env = {};
for (const fn of ['resize', 'metadata-sync', 'reconcile']) env[fn] = stack.environment(fn);
console.log(JSON.stringify({ endpoint: stack.endpoint, table: stack.pipeline.names.table, sourceBucket: stack.pipeline.names.sourceBucket, env }));
process.stdin.setEncoding('utf8');
process.stdin.on('data', async (chunk) => {
  if (!chunk.includes('stop')) return;
  const metrics = stack.metrics();
  await stack.stop();
  console.log(JSON.stringify({ metrics }));
  process.exit(0);
});
`;
}

/** Starts the stack with `concurrency` for resize and metadata-sync; rejects with the reason when it cannot. */
export function startStack(dataDir: string, concurrency: number, timeoutMs = 60_000): Promise<RunningStack> {
  const entry = stackEntry();
  if (!existsSync(entry)) return Promise.reject(new Error(`${entry} not built`));
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', hostScript(entry, dataDir, concurrency)], {
      cwd: workspaceRoot(),
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env },
    });
    let buffer = '';
    let stderr = '';
    let info: StackInfo | null = null;
    let onMetrics: ((m: unknown) => void) | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the local stack did not start within ${timeoutMs} ms: ${stderr.slice(-300)}`));
    }, timeoutMs);
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
    child.stdout?.on('data', (c: Buffer) => {
      buffer += c.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (!info && typeof parsed['endpoint'] === 'string') {
          info = parsed as unknown as StackInfo;
          clearTimeout(timer);
          const stop = (): Promise<unknown> =>
            new Promise((done) => {
              const kill = setTimeout(() => {
                child.kill('SIGKILL');
                done(null);
              }, 20_000);
              onMetrics = (m) => {
                clearTimeout(kill);
                done(m);
              };
              child.stdin?.write('stop\n');
            });
          resolve({ info, stop });
        } else if ('metrics' in parsed) {
          onMetrics?.(parsed['metrics']);
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!info) reject(new Error(`the local stack exited ${String(code)}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      onMetrics?.(null);
    });
  });
}
