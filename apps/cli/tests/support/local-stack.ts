import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const APP = join(__dirname, '..', '..');
const REPO = join(APP, '..', '..');
const BIN = join(APP, 'bin', 'imgpipe.cjs');
const STACK_MAIN = join(REPO, 'apps', 'local-stack', 'dist', 'main.mjs');

/** A local stack running in a child process, as `npm start` runs it. */
export interface RunningStack {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts `apps/local-stack/dist/main.mjs` on a free port with a fresh data directory. */
export async function startStack(env: Record<string, string> = {}): Promise<RunningStack> {
  if (!existsSync(STACK_MAIN))
    throw new Error(
      `Build the local stack first: npx nx run-many -t build -p local-stack resize metadata-sync reconcile cli (no ${STACK_MAIN})`,
    );
  const dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-cli-stack-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [STACK_MAIN, '--port', '0', '--data-dir', dataDir, '--fresh', '--no-samples'],
    {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`local stack did not start in 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /ready at (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with ${String(code)}:\n${output}`));
    });
  });
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `imgpipe` bin in a child process. */
export function imgpipe(args: readonly string[], env: Record<string, string> = {}): Run {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The JSON lines of a `--json` run. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A port nothing listens on (taken and released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` until it returns a value or `timeoutMs` passes. */
export async function eventually<T>(
  check: () => T | undefined,
  timeoutMs: number,
  intervalMs = 300,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
