import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('loading sharp', () => {
  // Observed in a fresh process: whether libvips is mapped in is timing-free evidence that sharp loaded.
  it('waits for the first image: importing the library does not load libvips, inspecting an image does', () => {
    const script = join(__dirname, 'fixtures', 'lazy-sharp-probe.ts');
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      afterImport: false,
      afterBadInput: false,
      afterInspect: true,
      format: 'jpeg',
    });
  });
});
