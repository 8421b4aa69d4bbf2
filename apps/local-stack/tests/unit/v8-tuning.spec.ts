import { spawnSync } from 'node:child_process';
import { turbofanBudgetFlag } from '../../src/v8-tuning';

describe('the stack process V8 tuning', () => {
  it('raises the interrupt budget on V8 11 (Node 20) only; V8 12 and 13 (Node 22, 24) have no such flag', () => {
    expect(
      ['11.3.244.8-node.33', '12.4.254.21-node.33', '13.6.233.10-node.18'].map(turbofanBudgetFlag),
    ).toEqual(['--interrupt-budget=1081344', undefined, undefined]);
  });

  it('picks nothing the V8 running these tests rejects (it would print "unrecognized flag" on every start)', () => {
    const flag = turbofanBudgetFlag(process.versions.v8);
    const script = flag ? `require('node:v8').setFlagsFromString(${JSON.stringify(flag)})` : '';
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
