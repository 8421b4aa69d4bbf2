import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthSchema } from '@imgpipe/contracts';
import { findRepoRoot } from '../options';

/**
 * The reconcile schedule of a stack a test starts: one that never fires while a test runs. The default,
 * `cron(17 * * * ? *)`, fires at minute 17 of every hour by the wall clock, and a run then became part of
 * what a test measured: parked beside the events a test's injected faults parked (CI, 08:17:00 and
 * 12:17:00), or taking the worker a test expected to start cold. A test that wants the schedule sets one.
 */
export const TEST_RECONCILE_SCHEDULE = 'cron(0 0 1 1 ? 2199)';

/** A free TCP port on the loopback interface (taken and released). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface SpawnStackOptions {
  /** State directory; default a fresh temp directory, removed on stop. */
  readonly dataDir?: string;
  /** Edge port; default a free one. */
  readonly port?: number;
  /** `--fresh`: start empty. Default true. */
  readonly fresh?: boolean;
  /** Extra environment (e.g. `IMGPIPE_FAULT_RATE`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Default 120 s. */
  readonly readyTimeoutMs?: number;
}

/** The real local stack, running in a child process as `npm start` runs it. */
export interface SpawnedStack {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The stack's process id (its function workers are its children), for tools that sample its CPU. */
  readonly pid: number;
  /** Everything it printed so far (the last megabyte or two). */
  log(): string;
  /** Writes the log to a file (beside screenshots, test artifacts). */
  saveLog(path: string): void;
  /** SIGTERM, SIGKILL after 15 s; resolves once it has exited (removes a temp data directory). */
  stop(): Promise<void>;
}

/** The built shell entry (`npx nx build local-stack`). */
export function localStackEntry(root = findRepoRoot(__dirname)): string {
  return join(root, 'apps', 'local-stack', 'dist', 'main.mjs');
}

/**
 * The stack's line `imgpipe local stack ready at http://127.0.0.1:<port> ...` names the edge it bound: on
 * port 0 the kernel picks the port at bind time, so no other process can take it between a probe and the
 * bind, as with a port found free beforehand and handed over.
 */
const READY_LINE = /imgpipe local stack ready at (http:\/\/[^\s]+)/;

/** Waits for the edge's URL (given, or announced on the stack's output) to answer health `ready`; returns it. */
async function waitForHealth(
  endpoint: () => string | undefined,
  child: ChildProcess,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no "ready at" line on its output yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`The local stack exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    const url = endpoint();
    if (url !== undefined) {
      try {
        const response = await fetch(`${url}/_imgpipe/health`, { signal: AbortSignal.timeout(5_000) });
        const body: unknown = await response.json();
        const health = HealthSchema.safeParse(body);
        if (response.ok && health.success && health.data.status === 'ready') return url;
        // An answer the contract refuses (a stale build of the stack, say) is named as such, not as "not ready".
        const refused = health.success
          ? ''
          : ` (refused by HealthSchema: ${health.error.issues[0]?.message})`;
        last = `HTTP ${response.status} ${JSON.stringify(body).slice(0, 200)}${refused}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `The local stack at ${endpoint() ?? '(port not announced)'} was not ready within ${timeoutMs} ms (last: ${last})`,
  );
}

/**
 * Starts the built local stack (`node apps/local-stack/dist/main.mjs --port <free> --data-dir <dir>
 * [--fresh] --no-samples`) and waits for `GET /_imgpipe/health` to answer `ready`. Fails with the tail of
 * its output when it exits or never gets ready. The tests of the CLI and the console use it.
 * @example const stack = await spawnLocalStack({ env: { IMGPIPE_FAULT_RATE: '1' } }); ... await stack.stop();
 */
export async function spawnLocalStack(options: SpawnStackOptions = {}): Promise<SpawnedStack> {
  const root = findRepoRoot(__dirname);
  const entry = localStackEntry(root);
  if (!existsSync(entry))
    throw new Error(
      `The local stack is not built (${entry} is missing): npx nx run-many -t build -p local-stack resize metadata-sync reconcile`,
    );
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'imgpipe-stack-'));
  // Port 0 unless asked: the stack binds a free port itself and announces it (READY_LINE).
  const args = [entry, '--port', String(options.port ?? 0), '--data-dir', dataDir, '--no-samples'];
  if (options.fresh ?? true) args.push('--fresh');
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, IMGPIPE_RECONCILE_SCHEDULE: TEST_RECONCILE_SCHEDULE, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    }
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const announced = (): string | undefined =>
    options.port === undefined ? READY_LINE.exec(output)?.[1] : `http://127.0.0.1:${options.port}`;
  let url: string;
  try {
    url = await waitForHealth(announced, child, options.readyTimeoutMs ?? 120_000);
  } catch (error) {
    await stop();
    const tail = output.trim().split('\n').slice(-30).join('\n');
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- local stack output (tail) ---\n${tail}`,
    );
  }
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    pid: child.pid as number,
    log: () => output,
    saveLog: (path) => writeFileSync(path, output),
    stop,
  };
}
