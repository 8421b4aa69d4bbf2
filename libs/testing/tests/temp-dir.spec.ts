import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { removeTempDir, useTempDirs } from '../src/temp-dir';

describe('useTempDirs', () => {
  const made: string[] = [];

  describe('in a block', () => {
    const tempDir = useTempDirs();

    it('makes fresh directories under the OS temp dir with the prefix', () => {
      const a = tempDir('imgpipe-temp-dir-test');
      const b = tempDir('imgpipe-temp-dir-test');
      writeFileSync(join(a, 'file'), 'x');
      made.push(a, b);
      expect(a).not.toBe(b);
      expect([dirname(a), dirname(b)]).toEqual([tmpdir(), tmpdir()]);
      expect(basename(a)).toMatch(/^imgpipe-temp-dir-test-\w{6}$/);
      expect(statSync(b).isDirectory()).toBe(true);
    });
  });

  // The inner block's afterAll has run by now: its directories, with what they held, are gone.
  afterAll(() => {
    expect(made).toHaveLength(2);
    expect(made.filter((dir) => existsSync(dir))).toEqual([]);
  });
});

describe('removeTempDir', () => {
  it('removes a directory with its contents, and accepts a missing one or none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgpipe-remove-test-'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', 'file'), 'x');
    removeTempDir(dir);
    expect(existsSync(dir)).toBe(false);
    expect(() => removeTempDir(dir)).not.toThrow();
    expect(() => removeTempDir(undefined)).not.toThrow();
  });
});
