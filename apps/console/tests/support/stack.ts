import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** The built entry of the local stack (`npx nx build local-stack`). */
export function localStackEntry(): string {
  return join(repoRoot(), 'apps', 'local-stack', 'dist', 'main.mjs');
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface StackOptions {
  readonly dataDir: string;
  readonly port?: number;
  /** `--fresh`: start empty. Default true. */
  readonly fresh?: boolean;
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
}

/** The real local stack, running as a child process. */
export interface RunningStack {
  readonly url: string;
  readonly port: number;
  /** Everything it printed so far. */
  log(): string;
  /** SIGTERM, then SIGKILL after 15 s; resolves when it has exited. */
  stop(): Promise<void>;
  /** Writes the log beside the screenshots. */
  saveLog(path: string): void;
}

/**
 * Starts `node apps/local-stack/dist/main.mjs --port <port> --data-dir <dir> [--fresh] --no-samples` and waits
 * for `GET /_imgpipe/health` to answer `ready`. Fails with the tail of its output when it exits or never gets ready.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const entry = localStackEntry();
  if (!existsSync(entry)) {
    throw new Error(
      `The local stack is not built (${entry} is missing): run npx nx run-many -t build -p local-stack resize metadata-sync reconcile console`,
    );
  }
  const port = options.port ?? (await freePort());
  const args = [entry, '--port', String(port), '--data-dir', options.dataDir, '--no-samples'];
  if (options.fresh ?? true) args.push('--fresh');
  const child = spawn(process.execPath, args, {
    cwd: repoRoot(),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const url = `http://127.0.0.1:${port}`;
  const stack: RunningStack = {
    url,
    port,
    log: () => output,
    stop: () => stopChild(child, exited),
    saveLog: (path) => writeFileSync(path, output),
  };
  try {
    await waitForHealth(url, child, options.readyTimeoutMs ?? 120_000);
  } catch (error) {
    await stack.stop();
    const tail = output.trim().split('\n').slice(-30).join('\n');
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- local stack output (tail) ---\n${tail}`,
    );
  }
  return stack;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The local stack exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/_imgpipe/health`);
      const body = (await response.json()) as { status?: string };
      if (response.ok && body.status === 'ready') return;
      last = `HTTP ${response.status} ${JSON.stringify(body).slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `The local stack at ${url} was not ready within ${timeoutMs} ms (last health answer: ${last})`,
  );
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
