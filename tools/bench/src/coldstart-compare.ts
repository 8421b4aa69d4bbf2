/**
 * Same-run comparison of handler bundles' import CPU: the cold-start stage's measurement (a fresh
 * process per import, `loadCpuMs`) over two or more builds of the bundles, alternated import by import
 * (the order rotates each round), so machine load hits every build alike. For changes to the bundler.
 *
 *   npx tsx tools/bench/src/coldstart-compare.ts --save /tmp/bundles-before   # copy apps/<fn>/dist
 *   ... change tools/scripts/bundle-function.mjs, rebuild ...
 *   npx tsx tools/bench/src/coldstart-compare.ts --rounds 11 before=/tmp/bundles-before after=built
 *
 * A build is a directory holding `<fn>/<fn>.mjs` per function (what `--save` writes), or `built`: the
 * workspace's `apps/<fn>/dist`. Runs on the machine's Node and Node 22 (see node22.ts).
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FUNCTION_NAMES, type FunctionName } from '@imgpipe/pipeline';
import { bundlePath, handlerEnvironment, loadScript, nodeRuntimes, timedNode } from './coldstart';
import { workspaceRoot } from './paths';
import { median, round } from './stats';
import type { Missing } from './types';

interface Build {
  readonly label: string;
  readonly bundle: (fn: FunctionName) => string;
}

function parseBuild(spec: string): Build {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`Expected <label>=<directory|built> but received "${spec}"`);
  const label = spec.slice(0, eq);
  const dir = spec.slice(eq + 1);
  if (dir === 'built') return { label, bundle: bundlePath };
  const root = resolve(process.env['INIT_CWD'] ?? process.cwd(), dir);
  return { label, bundle: (fn) => join(root, fn, `${fn}.mjs`) };
}

/** Copies every built function's dist/ to `<dir>/<fn>/`. */
function save(dir: string): void {
  for (const fn of FUNCTION_NAMES) {
    const dist = join(workspaceRoot(), 'apps', fn, 'dist');
    if (!existsSync(bundlePath(fn))) throw new Error(`${bundlePath(fn)} not built`);
    rmSync(join(dir, fn), { recursive: true, force: true });
    mkdirSync(join(dir, fn), { recursive: true });
    cpSync(dist, join(dir, fn), { recursive: true });
  }
  console.log(`saved ${FUNCTION_NAMES.join(', ')} to ${dir}`);
}

async function loadCpu(
  node: string,
  bundle: string,
  fn: FunctionName,
  env?: NodeJS.ProcessEnv,
): Promise<number> {
  const run = await timedNode(
    ['--input-type=module', '-e', loadScript(bundle)],
    { ...handlerEnvironment(fn), ...env },
    node,
  );
  return (JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { loadCpuMs: number }).loadCpuMs;
}

async function compare(builds: readonly Build[], rounds: number): Promise<void> {
  const missing: Missing[] = [];
  // The compile-cache runtime measures another thing (a baked cache); compared here: cold imports.
  const runtimes = nodeRuntimes(missing, '').filter((r) => !r.env);
  for (const m of missing)
    console.log(`missing: ${m.what}: ${m.reason}${m.install ? ` (${m.install})` : ''}`);
  for (const runtime of runtimes) {
    const cpu = new Map<string, number[]>();
    const bare: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const cpuRun = await timedNode(
        ['-p', 'const c = process.cpuUsage(); (c.user + c.system) / 1000'],
        process.env,
        runtime.path,
      );
      bare.push(Number(cpuRun.stdout.trim()));
      for (const fn of FUNCTION_NAMES) {
        for (let i = 0; i < builds.length; i++) {
          const build = builds[(i + r) % builds.length] as Build;
          const key = `${fn}\t${build.label}`;
          cpu.set(key, [...(cpu.get(key) ?? []), await loadCpu(runtime.path, build.bundle(fn), fn)]);
        }
      }
    }
    const bareCpu = median(bare);
    console.log(
      `\n${runtime.label}: import CPU ms, median of ${rounds} (bare start ${round(bareCpu)} ms CPU)`,
    );
    console.log(
      [
        'handler',
        ...builds.map((b) => b.label),
        ...builds.slice(1).map((b) => `${b.label}/${builds[0]?.label}`),
      ].join('\t'),
    );
    for (const fn of FUNCTION_NAMES) {
      const medians = builds.map((b) => median(cpu.get(`${fn}\t${b.label}`) ?? [NaN]));
      const first = medians[0] ?? NaN;
      console.log(
        [
          fn,
          ...medians.map((m) => `${round(m)} (${(m / bareCpu).toFixed(1)}x bare)`),
          ...medians.slice(1).map((m) => (m / first).toFixed(3)),
        ].join('\t'),
      );
    }
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { save: { type: 'string' }, rounds: { type: 'string', default: '11' } },
  });
  if (values.save) {
    save(resolve(process.env['INIT_CWD'] ?? process.cwd(), values.save));
    return;
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`Expected --rounds >= 1 but received "${values.rounds}"`);
  if (positionals.length < 2) throw new Error('Expected at least two builds: <label>=<directory|built> ...');
  await compare(positionals.map(parseBuild), rounds);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
