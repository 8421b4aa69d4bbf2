/**
 * README's curl walkthrough of the image API ("The image API"), run as written against a local stack
 * it starts: only the base URL and the image file are swapped in. It needs curl and jq
 * (`apps/api/scripts/ensure-walkthrough-tools.sh`, which `.ci/run` calls).
 */
import { definePipeline, derivedKey } from '@imgpipe/pipeline';
import { corpusFile } from '@imgpipe/testing';
import { type LocalStack, startLocalStack } from '@imgpipe/local-aws';
import sharp from 'sharp';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../../..');
const DOCUMENTED_API = 'API=http://127.0.0.1:4566/_api';
const IMAGE = corpusFile('exif-orientation-examples/Landscape_6.jpg');

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first `sh` block of README's "The image API" section. */
function walkthrough(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### The image API'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no sh block in "### The image API"');
  return block;
}

function requireTools(): void {
  for (const tool of ['curl', 'jq']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(
        `${tool} is missing: run apps/api/scripts/ensure-walkthrough-tools.sh as root (apt-get install -y curl jq)`,
      );
    }
  }
}

/** The last lines of each function's log in the stack's data directory: what a failed run needs to be read. */
function functionLogTails(dataDir: string, lines = 15): string {
  const dir = join(dataDir, 'logs');
  return readdirSync(dir)
    .map((file) => {
      const tail = readFileSync(join(dir, file), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      return `--- ${file}\n${tail}`;
    })
    .join('\n');
}

describe("README's image API walkthrough", () => {
  let stack: LocalStack;
  let dataDir: string;

  beforeAll(async () => {
    requireTools();
    stack = await startLocalStack({
      port: 0,
      dataDir: (dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-walkthrough-'))),
      samples: false,
      summaryIntervalMs: 0,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('runs as written: upload, ready with CDN variants and their caching, the listing, the delete', async () => {
    const script = walkthrough();
    expect(script).toContain(DOCUMENTED_API);
    const runnable = script
      .replace(DOCUMENTED_API, `API=${stack.endpoint}/_api`)
      .replaceAll('@cat.jpg', `@'${IMAGE}'`)
      .replaceAll('< cat.jpg', `< '${IMAGE}'`);
    // `npx imgpipe token` asks the stack at IMGPIPE_ENDPOINT, from the repository's root.
    // `-x` traces each command to stderr, so a run that stops shows where (with the functions' logs).
    const { stdout } = await promisify(execFile)('bash', ['-x', '-e', '-c', runnable], {
      cwd: ROOT,
      env: { ...process.env, IMGPIPE_ENDPOINT: stack.endpoint },
      timeout: 240_000,
    }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\nfunction logs:\n${functionLogTails(dataDir)}`, { cause: error });
    });
    const lines = stdout.split('\n').map((line) => line.trim());
    const { info } = await sharp(IMAGE).rotate().toBuffer({ resolveWithObject: true });
    const key = 'u/local-user/cat.jpg';
    const presets = definePipeline().presets;
    expect(lines[2] && (JSON.parse(lines[2]) as unknown)).toEqual({
      status: 'ready',
      width: info.width,
      height: info.height,
      variants: presets.map((p) =>
        expect.stringMatching(
          new RegExp(`^${escapeRegExp(`${stack.endpoint}/_cdn/${derivedKey(key, p)}?v=`)}[\\w-]{16}$`),
        ),
      ),
    });
    expect([...lines.slice(0, 2), ...lines.slice(3)]).toEqual([
      '{"status":"ok"}',
      '204',
      'cache-control: public, max-age=3600, s-maxage=31536000',
      `["${key}"]`,
      'null',
      '202',
      '',
    ]);
  });
});
