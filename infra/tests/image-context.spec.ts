import { contextHashFixture } from '@imgpipe/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveImageContext } from '../src/image-context';

describe('resolveImageContext', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'imgpipe-context-test-'));
    mkdirSync(join(root, 'apps', 'resize', 'src'), { recursive: true });
    writeFileSync(join(root, 'apps', 'resize', 'src', 'handler.ts'), 'export const handler = 1;');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('hashes the handler sources while the context is not assembled', () => {
    const before = resolveImageContext(undefined, root);
    expect(before.hashedFrom).toBe('sources');
    expect(before.directory).toBe(join(root, 'tools', 'lambda-image', 'dist', 'context'));
    writeFileSync(join(root, 'apps', 'resize', 'src', 'handler.ts'), 'export const handler = 2;');
    expect(resolveImageContext(undefined, root).hash).not.toBe(before.hash);
  });

  it('ignores tests and build output, which never reach the image', () => {
    const before = resolveImageContext(undefined, root).hash;
    mkdirSync(join(root, 'apps', 'resize', 'src', 'dist'));
    writeFileSync(join(root, 'apps', 'resize', 'src', 'dist', 'x.js'), 'x');
    writeFileSync(join(root, 'apps', 'resize', 'src', 'handler.spec.ts'), 'test');
    expect(resolveImageContext(undefined, root).hash).toBe(before);
  });

  it('hashes the assembled context by path and content once it exists', () => {
    const context = join(root, 'ctx');
    mkdirSync(join(context, 'node_modules', 'sharp'), { recursive: true });
    writeFileSync(join(context, 'Dockerfile'), 'FROM x');
    writeFileSync(join(context, 'node_modules', 'sharp', 'index.js'), 'sharp');
    const first = resolveImageContext(context, root);
    expect(first).toMatchObject({ directory: context, hashedFrom: 'context' });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(resolveImageContext(context, root).hash).toBe(first.hash);
    writeFileSync(join(context, 'node_modules', 'sharp', 'index.js'), 'sharp 2');
    expect(resolveImageContext(context, root).hash).not.toBe(first.hash);
  });

  it('reads the architecture sharp was installed for from context.json', () => {
    const context = join(root, 'dist', 'context');
    mkdirSync(context, { recursive: true });
    writeFileSync(join(context, 'Dockerfile'), 'FROM x');
    writeFileSync(join(root, 'dist', 'context.json'), JSON.stringify({ arch: 'x64' }));
    expect(resolveImageContext(context, root).arch).toBe('x64');
  });
});

describe('the context hash', () => {
  it('is SHA-256 over "<relative path>\\0<bytes>\\0" per file in path order, as lambda-image computes it', () => {
    const tree = contextHashFixture();
    try {
      expect(resolveImageContext(tree.dir, tree.dir).hash).toBe(tree.hash);
    } finally {
      tree.remove();
    }
  });
});
