import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { GetObjectCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { type LocalStack, type LocalStackOptions, StackPhaseError, startLocalStack } from '../../src';
import { FIXTURE_BUNDLES, s3For, tempDir } from '../support/helpers';

jest.setTimeout(60_000);

/** A port something else already listens on. */
async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
}

describe('the stack starts in phases and a failed start leaves nothing behind', () => {
  const dataDir = tempDir('phases');
  const options: LocalStackOptions = {
    dataDir,
    samples: false,
    bundles: FIXTURE_BUNDLES,
    summaryIntervalMs: 0,
  };
  let stack: LocalStack | undefined;
  afterAll(async () => {
    await stack?.stop();
  });

  it('names the edge phase when the port is taken, and stops the emulators it had started', async () => {
    const taken = await takenPort();
    const log: string[] = [];

    const failed = startLocalStack({ ...options, port: taken.port, log: (line) => log.push(line) });

    await expect(failed).rejects.toBeInstanceOf(StackPhaseError);
    await expect(failed).rejects.toMatchObject({
      code: 'START_FAILED',
      phase: 'edge',
      cause: expect.objectContaining({ code: 'EADDRINUSE' }),
    });
    expect(log.filter((line) => line.includes('ready'))).toEqual([]);
    await new Promise<void>((resolve) => taken.server.close(() => resolve()));

    // dynalite holds a lock on its LevelDB: this start opens it only if the failed one closed it.
    stack = await startLocalStack({ ...options, port: 0 });
    const head = await s3For(stack.endpoint).send(new HeadBucketCommand({ Bucket: 'imgpipe-source' }));
    expect(head.$metadata.httpStatusCode).toBe(200);
  });
});

describe('one stack per data directory', () => {
  const dataDir = tempDir('locked');
  const options: LocalStackOptions = {
    dataDir,
    port: 0,
    samples: false,
    bundles: FIXTURE_BUNDLES,
    summaryIntervalMs: 0,
  };
  const lock = join(dataDir, 'stack.pid');

  it('refuses a directory a running stack holds before touching it, even with --fresh', async () => {
    const first = await startLocalStack(options);
    try {
      const s3 = s3For(first.endpoint);
      await s3.send(new PutObjectCommand({ Bucket: 'imgpipe-derived', Key: 'kept.txt', Body: 'kept' }));
      expect(readFileSync(lock, 'utf8').trim()).toBe(String(process.pid));

      const second = startLocalStack({ ...options, fresh: true });

      await expect(second).rejects.toMatchObject({
        code: 'START_FAILED',
        phase: 'data-dir',
        cause: expect.objectContaining({
          code: 'DATA_DIR_IN_USE',
          message: `${dataDir} is in use by another local stack (process ${process.pid}): stop it, or start this one with another --data-dir`,
        }),
      });
      const kept = await s3.send(new GetObjectCommand({ Bucket: 'imgpipe-derived', Key: 'kept.txt' }));
      expect([await kept.Body?.transformToString(), readFileSync(lock, 'utf8').trim()]).toEqual([
        'kept',
        String(process.pid),
      ]);
    } finally {
      await first.stop();
    }
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over the lock of a stack whose process is gone, and keeps what it stored', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lock, `${gone}\n`);

    const stack = await startLocalStack(options);
    try {
      const kept = await s3For(stack.endpoint).send(
        new GetObjectCommand({ Bucket: 'imgpipe-derived', Key: 'kept.txt' }),
      );
      expect([await kept.Body?.transformToString(), readFileSync(lock, 'utf8').trim()]).toEqual([
        'kept',
        String(process.pid),
      ]);
    } finally {
      await stack.stop();
    }
  });
});
