import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findRepoRoot } from '../../src/options';

const ROOT = findRepoRoot(__dirname);
/** The folders the engine tree of docs/architecture.md draws, every folder below each. */
const DRAWN = ['apps/local-stack', 'libs/local-aws/src'];
/** Built, installed or run-time folders, never drawn. */
const NOT_SOURCE = new Set(['node_modules', 'dist', 'coverage']);

/** The engine tree: the `text` block of docs/architecture.md that starts with apps/local-stack/. */
function engineTree(): string {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const start = doc.indexOf('```text\napps/local-stack/');
  const end = doc.indexOf('```', start + 3);
  if (start < 0 || end < 0)
    throw new Error('docs/architecture.md has no engine tree (```text apps/local-stack/)');
  return doc.slice(start, end);
}

function walk(dir: string): { folders: string[]; files: string[] } {
  const folders: string[] = [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || NOT_SOURCE.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (!entry.isDirectory()) {
      files.push(entry.name);
      continue;
    }
    folders.push(relative(ROOT, path));
    const below = walk(path);
    folders.push(...below.folders);
    files.push(...below.files);
  }
  return { folders, files };
}

describe('the engine tree in docs/architecture.md', () => {
  const tree = engineTree();
  const drawn = DRAWN.map((dir) => walk(join(ROOT, dir)));

  it('names every folder of the engine and its shell', () => {
    const named = new Set(tree.match(/[\w.-]+\//g) ?? []);
    const missing = drawn
      .flatMap((d) => d.folders)
      .filter((folder) => !named.has(`${folder.split('/').pop()}/`));
    expect(missing).toEqual([]);
  });

  it('names only source files that exist', () => {
    const files = new Set(drawn.flatMap((d) => d.files));
    const named = tree.match(/[\w-]+(?:\.d)?\.(?:ts|mjs)\b/g) ?? [];
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((file) => !files.has(file))).toEqual([]);
  });
});
