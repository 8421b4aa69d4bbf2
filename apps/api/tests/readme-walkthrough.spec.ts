/**
 * README's curl walkthrough of the image API ("The image API"), run as written against a local stack
 * it starts: only the base URL and the image file are swapped in. It needs curl and jq
 * (`apps/api/scripts/ensure-walkthrough-tools.sh`, which `.ci/run` calls).
 */
import { definePipeline, derivedKey } from '@imgpipe/pipeline';
import { corpusFile, useTempDirs } from '@imgpipe/testing';
import { type LocalStack, startLocalStack } from '@imgpipe/local-aws';
import sharp from 'sharp';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../../..');
const DOCUMENTED_API = 'API=http://127.0.0.1:4566/_api';
const IMAGE = corpusFile('exif-orientation-examples/Landscape_6.jpg');
/** What step 3 prints (to stderr) when it stops polling: bash -x's trace lines start with `+`. */
const GAVE_UP = /^still pending after \d+ tries: .*$/m;
const DEADLINE_HIT = 'step 3 hit its deadline: the pipeline did not finish the upload in time';

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

/** Step 3 of the block: from its `# 3.` comment to the `# 4.` one. */
function step3(block: string): string {
  const step = /^# 3\.[\s\S]*?(?=^# 4\.)/m.exec(block)?.[0];
  if (!step) throw new Error('the walkthrough has no step 3 (`# 3.` ... `# 4.`)');
  return step;
}

function requireTools(tools: readonly string[] = ['curl', 'jq']): void {
  for (const tool of tools) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(
        `${tool} is missing: run apps/api/scripts/ensure-walkthrough-tools.sh as root (apt-get install -y curl jq zsh)`,
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

/** What the stack's DLQ holds, one line per entry: a parked event is why step 3 would wait until its deadline. */
function parkedEvents(stack: LocalStack): string | undefined {
  const parked = stack
    .dlq()
    .map((e) => `${e.function} after ${e.attempts} attempt(s): ${e.error.type}: ${e.error.message}`);
  return parked.length > 0 ? `the pipeline parked an event in the DLQ:\n${parked.join('\n')}` : undefined;
}

/**
 * Runs the block with `<shell> -x -e` in its own process group and resolves with its output. It fails (and
 * kills the whole group: bash, curl, sleep) as soon as `stopReason` names a reason or `timeoutMs` passes,
 * with the trace of where the script was.
 */
function runBlock(
  script: string,
  env: NodeJS.ProcessEnv,
  stopReason: () => string | undefined,
  timeoutMs: number,
  shell = 'bash',
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(shell, ['-x', '-e', '-c', script], {
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
      if (code === 0 && stopped === undefined) return resolveRun({ stdout, stderr });
      const trace = stderr.trimEnd().split('\n').slice(-40).join('\n');
      // A step 3 that gave up is why the steps after it failed: say that first.
      const gaveUp = GAVE_UP.exec(stderr)?.[0];
      const why =
        stopped ?? (gaveUp ? `${DEADLINE_HIT} ("${gaveUp}")` : `${shell} exited with ${code ?? signal}`);
      rejectRun(
        new Error(
          `The walkthrough stopped: ${why}\n--- ${shell} -x (tail) ---\n${trace}\n--- stdout ---\n${stdout}`,
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
    const { stdout, stderr } = await runBlock(runnable, env, () => parkedEvents(stack), 240_000).catch(
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${message}\nfunction logs:\n${functionLogTails(dataDir)}`, { cause: error });
      },
    );
    const gaveUp = GAVE_UP.exec(stderr)?.[0];
    if (gaveUp) {
      throw new Error(
        `The walkthrough stopped: ${DEADLINE_HIT} ("${gaveUp}")\n` +
          `--- stdout ---\n${stdout}\nfunction logs:\n${functionLogTails(dataDir)}`,
      );
    }
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

describe("README's step 3 when the pipeline never finishes", () => {
  const tempDir = useTempDirs();
  let server: Server;
  let requests: string[] = [];
  beforeAll(async () => {
    requireTools(['curl', 'jq', 'zsh']);
    // An image API whose image stays pending for ever.
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: 'img-1', status: 'pending', variants: [] }));
    });
    await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  });
  afterAll(() => new Promise<void>((resolveClose) => server.close(() => resolveClose())));

  // The block is meant to be pasted into either shell (ensure-walkthrough-tools.sh installs zsh).
  it.each(['bash', 'zsh'])(
    'gives up after 30 tries in %s, says so, and goes on to show the row',
    async (shell) => {
      // `sleep` answers at once and counts its calls, so the 30 tries take no time.
      const bin = tempDir('imgpipe-walkthrough-bin');
      const sleeps = join(bin, 'sleeps');
      writeFileSync(join(bin, 'sleep'), `#!/bin/sh\necho "$1" >> '${sleeps}'\n`, { mode: 0o755 });
      const { port } = server.address() as AddressInfo;
      const script = [
        `API=http://127.0.0.1:${port}`,
        `auth='Authorization: Bearer test'`,
        `up='{"id":"img-1"}'`,
        step3(walkthrough()),
      ].join('\n');
      requests = [];
      const env = { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` };
      const { stdout, stderr } = await runBlock(script, env, () => undefined, 60_000, shell);
      expect(GAVE_UP.exec(stderr)?.[0]).toBe("still pending after 30 tries: see the stack's log");
      expect(stdout).toBe('{"status":"pending","width":null,"height":null,"variants":[]}\n');
      // 30 polls and the row; a second between polls.
      expect(requests).toEqual(Array(31).fill('GET /v1/images/img-1 Bearer test'));
      expect(readFileSync(sleeps, 'utf8')).toBe('1\n'.repeat(29));
    },
  );
});
