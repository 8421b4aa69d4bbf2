import { join } from 'node:path';
import { findRepoRoot } from '../../src';
import { buildRunner } from '../../src/runtime/runner-build';
import { Worker } from '../../src/runtime/worker';
import { createLambdaContext, invokeBundle } from '../../src/testing';
import { FIXTURE, tempDir } from '../support/helpers';

jest.setTimeout(60_000);

describe('the one runner and Lambda context', () => {
  it('runs a bundle in a fresh worker with the Lambda context and reports its exports and load time', async () => {
    const run = await invokeBundle(FIXTURE, { env: 'PROBE' }, { PROBE: 'seen' }, 30_000);
    expect(run.ok).toBe(true);
    expect(run.exports).toEqual(['handler']);
    expect(run.loadMs).toBeGreaterThan(0);
    const result = run.result as { functionName: string; remainingMs: number; env: string };
    expect(result.functionName).toBe('bundle-test');
    expect(result.env).toBe('seen');
    expect(result.remainingMs).toBeGreaterThan(25_000);
    expect(result.remainingMs).toBeLessThanOrEqual(30_000);
  });

  it('reports a handler error by its name and message', async () => {
    const run = await invokeBundle(FIXTURE, { action: 'fail', message: 'now' }, {});
    expect(run).toEqual({
      ok: false,
      error: { name: 'TypeError', message: 'asked to fail now' },
      loadMs: expect.any(Number),
    });
  });

  it('gives handlers every context field the Lambda Node.js runtime does', () => {
    const context = createLambdaContext({
      functionName: 'resize',
      memoryMb: 2048,
      requestId: 'r1',
      deadline: Date.now() + 5_000,
    });
    expect({ ...context, getRemainingTimeInMillis: undefined }).toEqual({
      functionName: 'resize',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:resize',
      memoryLimitInMB: '2048',
      awsRequestId: 'r1',
      logGroupName: '/aws/lambda/resize',
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: undefined,
    });
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(4_000);
  });

  it("fails an init it cannot import as Runtime.ImportModuleError and says why in the function's log", async () => {
    const dir = tempDir('runner-init');
    const chunks: Buffer[] = [];
    const worker = new Worker({
      runner: buildRunner(findRepoRoot(__dirname), join(dir, 'runner.mjs')),
      bundle: join(dir, 'missing.mjs'),
      env: { PATH: process.env['PATH'] ?? '' },
      functionName: 'api',
      memoryMb: 512,
      log: { write: (chunk: Buffer) => chunks.push(chunk) },
    });
    const exited = new Promise((resolve) => worker.process.on('close', resolve));
    await expect(worker.ready).rejects.toMatchObject({ type: 'Runtime.ImportModuleError' });
    await exited;
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const [time, requestId, level, what, json] = (lines[0] ?? '').split('\t');
    expect({ requestId, level, what }).toEqual({
      requestId: 'undefined',
      level: 'ERROR',
      what: 'Uncaught Exception ',
    });
    expect(new Date(time ?? '').toISOString()).toBe(time);
    const record = JSON.parse(json ?? '') as { errorType: string; errorMessage: string; stack: string[] };
    expect(record.errorType).toBe('Runtime.ImportModuleError');
    expect(record.errorMessage).toContain(join(dir, 'missing.mjs'));
    expect(record.stack[0]).toBe(record.errorMessage);
  });
});
