import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareSequencers } from '@imgpipe/core';
import { Sequencer } from '../../src/events/sequencer';
import { tempDir } from '../support/helpers';

describe('Sequencer', () => {
  it('issues strictly increasing hex sequencers even when the clock stands still', () => {
    const dir = tempDir('seq');
    const sequencer = new Sequencer(join(dir, 'seq'), () => 1_700_000_000_000);
    const values = Array.from({ length: 50 }, () => sequencer.next());
    expect(values.every((v) => /^[0-9A-F]{18}$/.test(v))).toBe(true);
    for (let i = 1; i < values.length; i += 1) expect(compareSequencers(values[i - 1]!, values[i]!)).toBe(-1);
  });

  it('keeps increasing across restarts even when the clock went backwards', () => {
    const file = join(tempDir('seq'), 'seq');
    const before = new Sequencer(file, () => 1_800_000_000_000).next();
    const after = new Sequencer(file, () => 1_700_000_000_000).next();
    expect(compareSequencers(before, after)).toBe(-1);
  });
});

describe('Sequencer reservation', () => {
  it('writes its file once per reserved block, not once per value', () => {
    const file = join(tempDir('seq'), 'seq');
    let now = 1_700_000_000_000;
    const sequencer = new Sequencer(file, () => now);
    const first = sequencer.next();
    const stored = readFileSync(file, 'utf8');
    for (let i = 0; i < 1_000; i += 1) {
      now += 1;
      sequencer.next();
    }
    // A second of clock later the reserved minute still covers every value: the file is unchanged.
    expect(readFileSync(file, 'utf8')).toBe(stored);
    expect(compareSequencers(first, stored)).toBe(-1);
  });

  it('continues above every value issued before a restart, even within the reserved block', () => {
    const file = join(tempDir('seq'), 'seq');
    const clock = () => 1_700_000_000_000;
    const before = new Sequencer(file, clock);
    const issued = Array.from({ length: 100 }, () => before.next());
    const after = new Sequencer(file, clock).next();
    expect(compareSequencers(issued.at(-1) as string, after)).toBe(-1);
  });
});
