/**
 * The bundles are read (by this package's assembler, by the handlers' tests, by the local stack) while
 * another process may bundle the same function again (`nx` and a test's own build run side by side).
 * `tools/scripts/bundle-function.mjs` writes each file atomically and removes a stale chunk only after
 * the new ones are in place, so a reader never finds a file missing or half written.
 */
import { DEFAULT_FUNCTIONS } from '@imgpipe/pipeline';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './task-root-fixture';

jest.setTimeout(120_000);

const fn = 'reconcile';
const dist = join(workspaceRoot, 'apps', fn, 'dist');
const bundler = join(workspaceRoot, 'tools', 'scripts', 'bundle-function.mjs');

function bundle(): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundler, fn], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', resolve);
  });
}

/** Reads the files manifest and every file it names, as the image assembler does. */
function readAll(): string[] {
  const files = JSON.parse(readFileSync(join(dist, `${fn}.files.json`), 'utf8')) as {
    atImport: string[];
    onDemand: string[];
  };
  const missing: string[] = [];
  for (const file of [...files.atImport, ...files.onDemand]) {
    try {
      if (readFileSync(join(dist, file)).length === 0) missing.push(`${file} (empty)`);
    } catch {
      missing.push(file);
    }
  }
  return missing;
}

describe('bundling a function while its bundle is read', () => {
  beforeAll(async () => {
    if (!existsSync(join(dist, DEFAULT_FUNCTIONS[fn].bundle))) expect(await bundle()).toBe(0);
  });

  it('never shows a reader a missing or empty file, and leaves no stale chunk behind', async () => {
    const stale = join(dist, 'chunks', 'chunk-STALE000.mjs');
    writeFileSync(stale, 'export {};\n');
    const missing = new Set<string>();
    let reads = 0;
    let building = true;
    const builds = (async () => {
      const codes = [];
      for (let i = 0; i < 3; i += 1) codes.push(...(await Promise.all([bundle(), bundle()])));
      building = false;
      return codes;
    })();
    while (building) {
      for (const file of readAll()) missing.add(file);
      reads += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await builds).toEqual([0, 0, 0, 0, 0, 0]);
    expect(reads).toBeGreaterThan(0);
    expect([...missing]).toEqual([]);
    const files = JSON.parse(readFileSync(join(dist, `${fn}.files.json`), 'utf8')) as {
      atImport: string[];
      onDemand: string[];
    };
    expect(
      readdirSync(join(dist, 'chunks'))
        .map((name) => `chunks/${name}`)
        .sort(),
    ).toEqual([...files.atImport, ...files.onDemand].filter((file) => file.startsWith('chunks/')).sort());
  });
});
