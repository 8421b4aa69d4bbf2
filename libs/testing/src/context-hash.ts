import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small tree on disk and the hash the context-hash format gives it. */
export interface ContextHashFixture {
  readonly dir: string;
  /** SHA-256, hex, of `"<relative path>\0<bytes>\0"` per file in path order. */
  readonly hash: string;
  /** Total bytes of the files. */
  readonly bytes: number;
  readonly files: number;
  remove(): void;
}

/**
 * The image context's hash is computed twice, by lambda-image when it assembles the context and by infra
 * when it tags the image, and both must give the same answer: each side's test hashes this one fixture
 * (a file at the root and one in a nested folder) and compares with the format's hash written out here.
 * @example const tree = contextHashFixture(); try { expect(hashTree(tree.dir).hash).toBe(tree.hash); } finally { tree.remove(); }
 */
export function contextHashFixture(): ContextHashFixture {
  const dir = mkdtempSync(join(tmpdir(), 'imgpipe-hash-test-'));
  mkdirSync(join(dir, 'node_modules', 'b'), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), 'FROM x');
  writeFileSync(join(dir, 'node_modules', 'b', 'index.js'), 'b');
  return {
    dir,
    hash: createHash('sha256').update('Dockerfile\0FROM x\0node_modules/b/index.js\0b\0').digest('hex'),
    bytes: 7,
    files: 2,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
