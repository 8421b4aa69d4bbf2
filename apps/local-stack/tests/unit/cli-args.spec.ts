import { availableParallelism } from 'node:os';
import { parseStartArgs } from '../../src/cli-args';
import { resolveOptions } from '@imgpipe/local-aws';

describe('parseStartArgs', () => {
  it('reads the contract flags and environment', () => {
    const { options } = parseStartArgs(['--fresh', '--no-samples', '--port', '4600', '--data-dir=/tmp/x'], {
      IMGPIPE_FAULT_RATE: '0.2',
      IMGPIPE_RECONCILE_SCHEDULE: 'rate(1 minute)',
    });
    expect(options).toEqual({
      fresh: true,
      samples: false,
      port: 4600,
      dataDir: '/tmp/x',
      faultRate: 0.2,
      concurrency: Math.max(2, availableParallelism()),
      pipeline: { reconcileSchedule: 'rate(1 minute)' },
    });
  });

  it('takes the port and data directory from the environment when no flag is given', () => {
    expect(parseStartArgs([], { IMGPIPE_EDGE_PORT: '4999', IMGPIPE_DATA_DIR: 'state' }).options).toEqual(
      expect.objectContaining({ port: 4999, dataDir: 'state', fresh: false, samples: true }),
    );
  });

  it('reads the web origins allowed besides the stack itself', () => {
    expect(
      parseStartArgs([], { IMGPIPE_ALLOWED_ORIGINS: ' http://localhost:5173, ,https://x.test ' }).options
        .allowedOrigins,
    ).toEqual(['http://localhost:5173', 'https://x.test']);
    expect(parseStartArgs([], {}).options.allowedOrigins).toBeUndefined();
  });

  it('caps per-function concurrency from the flag, the environment, or the CPU count', () => {
    expect(parseStartArgs(['--concurrency', '4'], {}).options.concurrency).toBe(4);
    expect(parseStartArgs([], { IMGPIPE_FUNCTION_CONCURRENCY: '3' }).options.concurrency).toBe(3);
    expect(parseStartArgs([], {}).options.concurrency).toBe(Math.max(2, availableParallelism()));
    expect(() => resolveOptions({ concurrency: 0 })).toThrow(
      'Expected a positive integer for concurrency but received 0',
    );
  });

  it('rejects unknown flags and bad numbers with INVALID_OPTION', () => {
    expect(() => parseStartArgs(['--frsh'], {})).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringContaining("Unknown option '--frsh'"),
      }),
    );
    expect(() => parseStartArgs([], { IMGPIPE_FAULT_RATE: 'lots' })).toThrow(
      /Expected a number for IMGPIPE_FAULT_RATE but received "lots"/,
    );
  });
});
