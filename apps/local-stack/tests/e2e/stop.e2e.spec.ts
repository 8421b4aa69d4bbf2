/**
 * Stopping, through `npm start` itself (the contract: SIGINT or SIGTERM to the npm process stops every
 * process of the stack within 10 s; the stack never outlives its parent). Each case runs `npm start` in
 * its own process group, so "every process" is the whole group.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { HealthSchema } from '@imgpipe/contracts';
import { findRepoRoot } from '@imgpipe/local-aws';
import { freePort } from '@imgpipe/local-aws/testing';
import { ALL_FUNCTION_NAMES } from '@imgpipe/pipeline';

jest.setTimeout(240_000);

const root = findRepoRoot(__dirname);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The pids of a process group (ps lists every process with its group). */
function groupPids(pgid: number): number[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, group]) => group === pgid && pid !== undefined)
    .map(([pid]) => pid as number);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

interface Started {
  readonly npm: ChildProcess;
  readonly port: number;
  readonly dataDir: string;
  readonly logFile: string;
}

/** Whatever a failed case left behind goes (the group is ours: npm start runs detached). */
function killGroup(npm: ChildProcess): void {
  try {
    process.kill(-(npm.pid as number), 'SIGKILL');
  } catch {
    // already gone
  }
}

/** `npm start -- --no-samples` on a free port and a temp data dir, detached (its own group); waits for health. */
async function startNpm(): Promise<Started> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-stop-'));
  const logFile = join(dataDir, 'npm-start.log');
  const out = openSync(logFile, 'a');
  const npm = spawn('npm', ['start', '--', '--no-samples'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, IMGPIPE_EDGE_PORT: String(port), IMGPIPE_DATA_DIR: join(dataDir, 'state') },
  });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const health = HealthSchema.parse(
        await (await fetch(`http://127.0.0.1:${port}/_imgpipe/health`)).json(),
      );
      if (health.status === 'ready') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || npm.exitCode !== null) {
      killGroup(npm);
      throw new Error(`npm start did not get ready:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    await sleep(250);
  }
  // Start a worker too (a cold start of resize on an upload), so the group holds every kind of process.
  await fetch(`http://127.0.0.1:${port}/imgpipe-source/stop/a.txt`, { method: 'PUT', body: 'not an image' });
  return { npm, port, dataDir, logFile };
}

/** Sends `signal` to `pid`, then waits until the whole group is gone and the port is free; returns the ms it took. */
async function stopAndMeasure(started: Started, signal: NodeJS.Signals, pid: number): Promise<number> {
  const pgid = started.npm.pid as number;
  // npm, start.mjs (the script execs it in place of sh), the stack, and its workers.
  expect(groupPids(pgid).length).toBeGreaterThanOrEqual(3);
  const t0 = Date.now();
  process.kill(pid, signal);
  while (Date.now() - t0 < 15_000) {
    if (groupPids(pgid).length === 0 && (await portFree(started.port))) return Date.now() - t0;
    await sleep(100);
  }
  const left = groupPids(pgid);
  killGroup(started.npm);
  throw new Error(
    `still running after 15 s: ${left.join(', ')}\n${readFileSync(started.logFile, 'utf8').slice(-2000)}`,
  );
}

describe('npm start stops with its parent and on signals', () => {
  const cleanup: Started[] = [];
  afterAll(() => {
    for (const started of cleanup) {
      killGroup(started.npm);
      rmSync(started.dataDir, { recursive: true, force: true });
    }
  });

  it('builds every function, serves the image API, and SIGTERM to npm stops every process within 10 s', async () => {
    const started = await startNpm();
    cleanup.push(started);
    // A fresh clone has no bundles: npm start must build each function of the definition, the image
    // API's too, or the API answers 500 to every request.
    // Under `npm test` the outer Nx sets FORCE_COLOR for its tasks, so the inner Nx colours '> nx run'.
    const log = stripVTControlCharacters(readFileSync(started.logFile, 'utf8'));
    const built = new Set([...log.matchAll(/> nx run ([\w-]+):build/g)].map((m) => m[1]));
    expect(ALL_FUNCTION_NAMES.filter((fn) => built.has(fn))).toEqual(ALL_FUNCTION_NAMES);
    const health = HealthSchema.parse(
      await (await fetch(`http://127.0.0.1:${started.port}/_imgpipe/health`)).json(),
    );
    expect(health.functions.filter((fn) => !fn.built).map((fn) => fn.name)).toEqual([]);
    const api = await fetch(`http://127.0.0.1:${started.port}/_api/v1/health`);
    expect({ status: api.status, body: await api.json() }).toEqual({ status: 200, body: { status: 'ok' } });
    const ms = await stopAndMeasure(started, 'SIGTERM', started.npm.pid as number);
    expect(ms).toBeLessThan(10_000);
  });

  it.each([
    ['SIGINT', 'the npm process'],
    ['SIGINT', 'the whole group (Ctrl-C)'],
  ] as const)('%s to %s stops every process of the group within 10 s', async (signal, to) => {
    const started = await startNpm();
    cleanup.push(started);
    const npm = started.npm.pid as number;
    const ms = await stopAndMeasure(started, signal, to === 'the npm process' ? npm : -npm);
    expect(ms).toBeLessThan(10_000);
  });

  it('kill -9 of npm: the stack notices its parent died and stops within 10 s', async () => {
    const started = await startNpm();
    cleanup.push(started);
    const ms = await stopAndMeasure(started, 'SIGKILL', started.npm.pid as number);
    expect(ms).toBeLessThan(10_000);
    expect(readFileSync(started.logFile, 'utf8')).toContain('imgpipe local stack stopped');
  });
});
