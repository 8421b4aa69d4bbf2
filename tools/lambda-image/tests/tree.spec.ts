import { contextHashFixture } from '@imgpipe/testing';
import { hashTree } from '@imgpipe/pipeline/tree-hash';

describe('hashTree', () => {
  it('is SHA-256 over "<relative path>\\0<bytes>\\0" per file in path order, as infra computes it for the tag', () => {
    const tree = contextHashFixture();
    try {
      expect(hashTree(tree.dir)).toEqual({ hash: tree.hash, bytes: 7, files: 2 });
    } finally {
      tree.remove();
    }
  });
});
