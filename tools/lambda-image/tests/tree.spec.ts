import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashTree } from '../src/tree';

describe('hashTree', () => {
  it('is SHA-256 over "<relative path>\\0<bytes>\\0" per file in path order, as infra computes it for the tag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgpipe-hash-test-'));
    try {
      mkdirSync(join(dir, 'node_modules', 'b'), { recursive: true });
      writeFileSync(join(dir, 'Dockerfile'), 'FROM x');
      writeFileSync(join(dir, 'node_modules', 'b', 'index.js'), 'b');
      const expected = createHash('sha256')
        .update('Dockerfile\0FROM x\0node_modules/b/index.js\0b\0')
        .digest('hex');
      expect(hashTree(dir)).toEqual({ hash: expected, bytes: 7, files: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
