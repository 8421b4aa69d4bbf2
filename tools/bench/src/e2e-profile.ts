/**
 * Where the function workers' CPU goes per upload (Linux): runs the built local stack at function
 * concurrency 2, drains `--warm` uploads, then times `--uploads` more and prints, per function, the CPU ms
 * per upload of each thread kind from `/proc/<pid>/task` (the main thread is the JavaScript: SDK,
 * handler, logs, sharp's calls; libvips and libuv threads are the image work), and the stack process's
 * CPU per upload beside it. With `--cpu-prof` the
 * handler bundles are rebuilt unminified, the stack runs under `node --cpu-prof` (its workers inherit
 * it), and each worker's main-thread self time over the timed window is printed by bundle package; the
 * bundles are rebuilt minified at the end. The stack is killed (SIGKILL): its workers then exit on
 * their closed IPC channel, which writes their profiles.
 * `--tids` splits the stack's and the workers' CPU per thread id (see `threadCpu`),
 * `--stack-node-args="<flags>"` adds Node/V8 flags to the stack (e.g. `--cpu-prof --cpu-prof-dir=<dir>`
 * or `--trace-gc`; the `=` is needed, as `parseArgs` refuses a separate value that starts with a dash),
 * `--stack-log <file>` keeps its output.
 *   npx tsx tools/bench/src/e2e-profile.ts [--uploads 100] [--warm 12] [--cpu-prof] [--out <dir>] [--tids]
 *     [--stack-node-args="<flags>"] [--stack-log <file>]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { definePipeline } from '@imgpipe/pipeline';
import { freePort, localStackEntry } from '@imgpipe/local-aws/testing';
import { readProfile, summarizeProfile } from './e2e-profile-summary';
import { awaitRows } from './e2e-phases';
import { burstImages } from './images';
import { workspaceRoot } from './paths';

const ROOT = workspaceRoot();
const FUNCTIONS = ['resize', 'metadata-sync'] as const;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * CPU ms used so far by each thread of `pid`, summed by thread name (`main` for the process's own), or
 * `byTid`: per thread, named by its id's offset from the process id (Node names all of its threads
 * `node`; in creation order V8's platform threads come first, then libuv's pool, then worker threads).
 */
function threadCpu(pid: number, byTid = false): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name =
        Number(tid) === pid
          ? 'main'
          : byTid
            ? `t${Number(tid) - pid}`
            : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      out.set(name, (out.get(name) ?? 0) + ms);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return out;
}

function children(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

/** Which handler bundle a worker runs (its last argument). */
function bundleOf(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  return basename(args[args.length - 1] ?? '', '.mjs');
}

function bundle(minify: boolean): void {
  for (const fn of FUNCTIONS) {
    execFileSync(process.execPath, [join(ROOT, 'tools', 'scripts', 'bundle-function.mjs'), fn], {
      env: { ...process.env, IMGPIPE_BUNDLE_MINIFY: minify ? '1' : '0' },
      stdio: 'ignore',
    });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      uploads: { type: 'string', default: '100' },
      warm: { type: 'string', default: '12' },
      'cpu-prof': { type: 'boolean', default: false },
      out: { type: 'string' },
      tids: { type: 'boolean', default: false },
      'stack-node-args': { type: 'string', default: '' },
      'stack-log': { type: 'string' },
    },
  });
  const uploads = Number(values.uploads);
  const profiling = values['cpu-prof'] === true;
  // The profiles are this tool's output: kept (their folder is printed); only made when profiling.
  const profileDir = values.out ?? (profiling ? mkdtempSync(join(tmpdir(), 'imgpipe-e2e-profile-')) : '');
  if (profiling) bundle(false);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-e2e-profile-data-'));
  const nodeArgs = profiling ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const stackArgs = ['--port', String(port), '--data-dir', dataDir, '--fresh', '--no-samples'];
  const extraArgs = (values['stack-node-args'] ?? '').split(' ').filter(Boolean);
  const logFd = values['stack-log'] ? openSync(values['stack-log'], 'w') : 'ignore';
  const stack = spawn(process.execPath, [...nodeArgs, ...extraArgs, localStackEntry(ROOT), ...stackArgs], {
    cwd: ROOT,
    env: { ...process.env, IMGPIPE_FUNCTION_CONCURRENCY: '2' },
    stdio: ['ignore', logFd, logFd],
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    for (let ready = false; !ready; await sleep(300)) {
      const health = await fetch(`${endpoint}/_imgpipe/health`).then(
        (r) => r.json() as Promise<{ status?: string }>,
        () => ({ status: undefined }),
      );
      ready = health.status === 'ready';
    }
    const { names } = definePipeline();
    const common = {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    const s3 = new S3Client({ ...common, forcePathStyle: true });
    const ddb = new DynamoDBClient(common);
    const images = burstImages().map((i) => i.path);
    const bodies = new Map(images.map((p) => [p, readFileSync(p)]));
    /** Uploads `count` files (16 in flight), waits until every row is final and answers the last row's `updatedAt`. */
    const drain = async (phase: string, count: number): Promise<number> => {
      const keys: string[] = [];
      let next = 0;
      const lane = async (): Promise<void> => {
        for (let i = next++; i < count; i = next++) {
          const path = images[i % images.length] as string;
          const key = `profile/${phase}/${String(i).padStart(4, '0')}-${basename(path)}`;
          await s3.send(
            new PutObjectCommand({ Bucket: names.sourceBucket, Key: key, Body: bodies.get(path) }),
          );
          keys.push(key);
        }
      };
      await Promise.all(Array.from({ length: 16 }, lane));
      const rows = await awaitRows(ddb, names.table, keys, Date.now() + Math.max(120_000, count * 1500));
      return Math.max(...[...rows.values()].map((r) => r.updatedAt));
    };
    await drain('warm', Number(values.warm));
    const workers = children(stack.pid ?? 0);
    const runs = new Map(workers.map((pid) => [pid, bundleOf(pid)]));
    const before = new Map(workers.map((pid) => [pid, threadCpu(pid, values.tids)]));
    const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    const stackBefore = threadCpu(stack.pid ?? 0, values.tids);
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const started = Date.now();
    const lastFinal = await drain('timed', uploads);
    const toUs = Number(process.hrtime.bigint() / 1000n);
    const seconds = (lastFinal - started) / 1000;
    const stackAfter = threadCpu(stack.pid ?? 0, values.tids);
    const stackMs = (sum(stackAfter) - sum(stackBefore)) / uploads;
    const stackParts = [...stackAfter]
      .map(([n, ms]) => [n, ms - (stackBefore.get(n) ?? 0)] as const)
      .filter(([, ms]) => ms > 0)
      .map(([n, ms]) => `${n} ${(ms / uploads).toFixed(1)}`);
    process.stdout.write(
      `${uploads} uploads in ${seconds.toFixed(1)} s; stack process ${stackMs.toFixed(1)} CPU ms per upload ` +
        `(${stackParts.join(', ')}); workers' CPU ms per upload by thread:\n`,
    );
    for (const fn of FUNCTIONS) {
      const used = new Map<string, number>();
      for (const pid of workers.filter((p) => runs.get(p) === fn)) {
        for (const [name, ms] of threadCpu(pid, values.tids)) {
          used.set(name, (used.get(name) ?? 0) + ms - (before.get(pid)?.get(name) ?? 0));
        }
      }
      const total = [...used.values()].reduce((a, b) => a + b, 0);
      const parts = [...used]
        .filter(([, ms]) => ms > 0)
        .map(([n, ms]) => `${n} ${(ms / uploads).toFixed(1)}`);
      process.stdout.write(`  ${fn}: ${(total / uploads).toFixed(1)} (${parts.join(', ')})\n`);
    }
    s3.destroy();
    ddb.destroy();
    if (extraArgs.some((a) => a.startsWith('--cpu-prof'))) {
      // The stack writes its own profile only when it exits normally.
      const exited = new Promise((resolve) => stack.once('exit', resolve));
      stack.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
    }
    stack.kill('SIGKILL');
    if (!profiling) return;
    await sleep(3_000);
    process.stdout.write(`profiles in ${profileDir}\n`);
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
      const pid = Number(file.split('.')[3]);
      const fn = FUNCTIONS.find((f) => runs.get(pid) === f);
      if (!fn) continue;
      // The entry and its split chunks: every script the worker loaded from the function's dist folder.
      const dist = join(ROOT, 'apps', fn, 'dist');
      const bundleText = (url: string): string | undefined => {
        if (!url.startsWith('file://')) return undefined;
        const path = fileURLToPath(url);
        return path.startsWith(`${dist}/`) ? readFileSync(path, 'utf8') : undefined;
      };
      const shares = summarizeProfile(readProfile(join(profileDir, file)), bundleText, { fromUs, toUs });
      // The pool deals invocations to its workers about evenly.
      const invocations = uploads / workers.filter((p) => runs.get(p) === fn).length;
      process.stdout.write(
        `${fn} worker ${pid}: main-thread self ms per invocation, by owner (${file}, window ${fromUs}-${toUs} us)\n`,
      );
      for (const s of shares.slice(0, 25))
        process.stdout.write(`  ${(s.ms / invocations).toFixed(2).padStart(6)}  ${s.owner}\n`);
    }
  } finally {
    if (stack.exitCode === null && stack.signalCode === null) {
      const exited = new Promise((resolve) => stack.once('exit', resolve));
      stack.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (profiling) bundle(true);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
