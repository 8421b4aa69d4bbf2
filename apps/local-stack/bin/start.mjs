#!/usr/bin/env node
// `npm start`: builds what the local stack needs (Nx caches, so a second start is quick), then runs
// it in the foreground with signals forwarded. Flags pass through: npm start -- --fresh --no-samples
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const nx = join(root, 'node_modules', '.bin', 'nx');
const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' };

function build(projects) {
  const result = spawnSync(nx, ['run-many', '-t', 'build', '-p', ...projects, '--output-style=static'], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
  return result.status === 0;
}

console.log('imgpipe: building the local stack and the functions…');
if (!build(['local-stack', 'resize', 'metadata-sync', 'reconcile'])) {
  console.error('imgpipe: the build failed (see above)');
  process.exit(1);
}
if (existsSync(join(root, 'apps', 'console', 'package.json')) && !build(['console'])) {
  console.warn('imgpipe: the console did not build; the stack runs without it');
}

const child = spawn(
  process.execPath,
  ['--enable-source-maps', join(root, 'apps', 'local-stack', 'dist', 'main.mjs'), ...process.argv.slice(2)],
  {
    cwd: process.cwd(),
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
