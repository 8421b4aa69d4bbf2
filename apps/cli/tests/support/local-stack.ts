import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { spawnLocalStack } from '@imgpipe/local-aws/testing';

const APP = join(__dirname, '..', '..');
const BIN = join(APP, 'bin', 'imgpipe.cjs');

/** A local stack running in a child process, as `npm start` runs it. */
export interface RunningStack {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts the built local stack on a free port with a fresh data directory (the engine's testing export). */
export async function startStack(env: Record<string, string> = {}): Promise<RunningStack> {
  const stack = await spawnLocalStack({ env, readyTimeoutMs: 60_000 });
  return { endpoint: stack.url, stop: () => stack.stop() };
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
