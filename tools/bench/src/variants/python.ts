import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A Python interpreter that can `import PIL`. */
export interface PythonWithPillow {
  readonly python: string;
  readonly pythonVersion: string;
  readonly pillowVersion: string;
}

export const PILLOW_INSTALL = 'apt-get install -y python3-pil';

/**
 * Candidate interpreters, in order: `IMGPIPE_BENCH_PYTHON`, every `python3`/`python3.N` on PATH,
 * then the system interpreter (`/usr/bin/python3`, where Debian's python3-pil lives; a pyenv or
 * venv `python3` earlier on PATH often lacks PIL).
 */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const found: string[] = [];
  const fromEnv = env['IMGPIPE_BENCH_PYTHON'];
  if (fromEnv) found.push(fromEnv);
  const names = ['python3', ...Array.from({ length: 20 }, (_, i) => `python3.${i + 6}`)];
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) found.push(candidate);
    }
  }
  for (const system of ['/usr/bin/python3', '/usr/local/bin/python3'])
    if (existsSync(system)) found.push(system);
  return [...new Set(found)];
}

/** The first candidate that imports PIL, or null (also when `IMGPIPE_BENCH_PYTHON=none` turns Pillow off). */
export function findPythonWithPillow(env: NodeJS.ProcessEnv = process.env): PythonWithPillow | null {
  if (env['IMGPIPE_BENCH_PYTHON'] === 'none') return null;
  for (const python of pythonCandidates(env)) {
    const probe = spawnSync(
      python,
      ['-c', 'import sys, PIL; print(PIL.__version__, sys.version.split()[0])'],
      {
        encoding: 'utf8',
        timeout: 15_000,
      },
    );
    if (probe.status === 0) {
      const [pillowVersion = '?', pythonVersion = '?'] = probe.stdout.trim().split(/\s+/);
      return { python, pythonVersion, pillowVersion };
    }
  }
  return null;
}
