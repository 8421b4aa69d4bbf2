/**
 * README's curl walkthrough of the image API ("The image API"), run as written against a local stack
 * it starts: only the base URL and the image file are swapped in. It needs curl and jq
 * (`apps/api/scripts/ensure-walkthrough-tools.sh`, which `.ci/run` calls).
 */
import { definePipeline, derivedKey } from '@imgpipe/pipeline';
import { corpusFile } from '@imgpipe/testing';
import { type LocalStack, startLocalStack } from '@imgpipe/local-aws';
import sharp from 'sharp';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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

/** What the stack's DLQ holds, one line per entry: a parked event is why step 3 would wait for ever. */
function parkedEvents(stack: LocalStack): string | undefined {
  const parked = stack
    .dlq()
    .map((e) => `${e.function} after ${e.attempts} attempt(s): ${e.error.type}: ${e.error.message}`);
  return parked.length > 0 ? `the pipeline parked an event in the DLQ:\n${parked.join('\n')}` : undefined;
}

/**
 * Runs the block with `bash -x -e` in its own process group and resolves with its stdout. It fails (and
 * kills the whole group: bash, curl, sleep) as soon as `stopReason` names a reason or `timeoutMs` passes,
 * with the trace of where the script was: step 3 polls without a deadline, as a reader would.
 */
function runBlock(
  script: string,
  env: NodeJS.ProcessEnv,
  stopReason: () => string | undefined,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn('bash', ['-x', '-e', '-c', script], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let stopped: string | undefined;
    const deadline = Date.now() + timeoutMs;
    const watch = setInterval(() => {
      stopped = stopReason() ?? (Date.now() > deadline ? `still running after ${timeoutMs} ms` : undefined);
      if (stopped === undefined) return;
      clearInterval(watch);
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // The group has just ended by itself: 'close' reports it.
      }
    }, 500);
    child.on('error', (error) => (clearInterval(watch), rejectRun(error)));
    child.on('close', (code, signal) => {
      clearInterval(watch);
      if (code === 0 && stopped === undefined) return resolveRun(stdout);
      const trace = stderr.trimEnd().split('\n').slice(-40).join('\n');
      const why = stopped ?? `bash exited with ${code ?? signal}`;
      rejectRun(
        new Error(
          `The walkthrough stopped: ${why}\n--- bash -x (tail) ---\n${trace}\n--- stdout ---\n${stdout}`,
        ),
      );
    });
  });
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
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs as written: upload, ready with CDN variants and their caching, the listing, the delete', async () => {
    const script = walkthrough();
    expect(script).toContain(DOCUMENTED_API);
    const runnable = script
      .replace(DOCUMENTED_API, `API=${stack.endpoint}/_api`)
      .replaceAll('@cat.jpg', `@'${IMAGE}'`)
      .replaceAll('< cat.jpg', `< '${IMAGE}'`);
    // `npx imgpipe token` asks the stack at IMGPIPE_ENDPOINT, from the repository's root. A run that stops
    // shows where (the trace) and why (the DLQ, the functions' logs).
    const env = { ...process.env, IMGPIPE_ENDPOINT: stack.endpoint };
    const stdout = await runBlock(runnable, env, () => parkedEvents(stack), 240_000).catch(
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${message}\nfunction logs:\n${functionLogTails(dataDir)}`, { cause: error });
      },
    );
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
