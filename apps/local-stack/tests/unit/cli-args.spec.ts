import { parseStartArgs } from '../../src/cli-args';

describe('parseStartArgs', () => {
  it('reads the contract flags and environment', () => {
    const { options } = parseStartArgs(['--fresh', '--no-samples', '--port', '4600', '--data-dir=/tmp/x'], {
      IMGPIPE_FAULT_RATE: '0.2',
      IMGPIPE_RECONCILE_SCHEDULE: 'rate(1 minute)',
    });
    expect(options).toEqual({ fresh: true, samples: false, port: 4600, dataDir: '/tmp/x', faultRate: 0.2, pipeline: { reconcileSchedule: 'rate(1 minute)' } });
  });

  it('takes the port and data directory from the environment when no flag is given', () => {
    expect(parseStartArgs([], { IMGPIPE_EDGE_PORT: '4999', IMGPIPE_DATA_DIR: 'state' }).options).toEqual(
      expect.objectContaining({ port: 4999, dataDir: 'state', fresh: false, samples: true }),
    );
  });

  it('rejects unknown flags and bad numbers with INVALID_OPTION', () => {
    expect(() => parseStartArgs(['--frsh'], {})).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('Unknown option "--frsh"') }));
    expect(() => parseStartArgs([], { IMGPIPE_FAULT_RATE: 'lots' })).toThrow(/Expected a number for IMGPIPE_FAULT_RATE but received "lots"/);
  });
});
