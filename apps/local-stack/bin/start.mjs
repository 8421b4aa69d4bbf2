#!/usr/bin/env node
// `npm start`: builds what the local stack needs (Nx caches, so a second start is quick), then runs
// it in the foreground. Flags pass through: npm start -- --fresh --no-samples
//
// Stopping: npm runs this under `sh -c`, and SIGTERM to npm kills npm and sh without reaching us, so
// signals are not enough. The stack (dist/main.mjs) is our child over an IPC channel and stops when that
// channel closes (we died, even by SIGKILL); we forward SIGINT/SIGTERM and stop the stack as soon as
// npm or the shell between us is gone (we watch those pids, as a reparented process cannot be told).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const nx = join(root, 'node_modules', '.bin', 'nx');
const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' };

/** The parent of `pid` (Linux /proc, else ps), or undefined. */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) || undefined;
  } catch {
    const ps = spawnSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' });
    return Number(ps.stdout?.trim()) || undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// Our parent, and npm above the shell when npm runs us: if either goes, so do we.
const watched = [process.ppid];
if (process.env.npm_lifecycle_event) {
  const grandparent = parentOf(process.ppid);
  if (grandparent && grandparent > 1) watched.push(grandparent);
}
const originalParent = process.ppid;
const parentGone = () => process.ppid !== originalParent || watched.some((pid) => !alive(pid));

let stopping = false;
let child;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  if (!child || child.exitCode !== null || child.signalCode !== null) process.exit(1);
  child.kill(signal);
  // The stack gives itself ~8 s; past that, nothing of it may remain.
  setTimeout(() => child.kill('SIGKILL'), 9_500).unref();
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(signal, () => stop(signal === 'SIGHUP' ? 'SIGTERM' : signal));
const watch = setInterval(() => parentGone() && stop('SIGTERM'), 250);

/** Runs an Nx build as our child (so a signal meanwhile stops it too); resolves whether it succeeded. */
function build(projects) {
  child = spawn(nx, ['run-many', '-t', 'build', '-p', ...projects, '--output-style=static'], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code === 0)));
}

console.log('imgpipe: building the local stack and the functions…');
// Every function of the definition (tagged `scope:function`: resize, metadata-sync, reconcile, and the
// image API's api and render), so a fresh clone serves the API and the CDN, not only the pipeline.
if (!(await build(['local-stack', 'tag:scope:function']))) {
  console.error(stopping ? 'imgpipe: stopped while building' : 'imgpipe: the build failed (see above)');
  process.exit(1);
}
if (existsSync(join(root, 'apps', 'console', 'package.json')) && !(await build(['console']))) {
  if (stopping) process.exit(1);
  console.warn('imgpipe: the console did not build; the stack runs without it');
}
if (stopping) process.exit(1);

child = spawn(
  process.execPath,
  ['--enable-source-maps', join(root, 'apps', 'local-stack', 'dist', 'main.mjs'), ...process.argv.slice(2)],
  { cwd: process.cwd(), stdio: ['inherit', 'inherit', 'inherit', 'ipc'] },
);
child.on('exit', (code, signal) => {
  clearInterval(watch);
  process.exit(code ?? (signal ? 1 : 0));
});
