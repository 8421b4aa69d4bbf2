import { createServer, type Server } from 'node:net';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
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
