import {
  compareSequencers,
  InvalidEventError,
  RECONCILE_BASE_SEQUENCER,
  seqKey,
  sequencerAfter,
} from '../src';

describe('compareSequencers', () => {
  it('orders equal-length sequencers as hex text', () => {
    expect(compareSequencers('0055AED6DCD90281E5', '0055AED6DCD90281E6')).toBeLessThan(0);
    expect(compareSequencers('0055AED6DCD90281E6', '0055AED6DCD90281E5')).toBeGreaterThan(0);
  });

  it('pads the shorter value with zeros on the right, as S3 documents', () => {
    // 0055AED6DCD90281E5 vs 0055AED6DCD90281E500: equal once padded.
    expect(compareSequencers('0055AED6DCD90281E5', '0055AED6DCD90281E500')).toBe(0);
    // A shorter value is not "smaller" just for being shorter.
    expect(compareSequencers('0056', '0055AED6DCD90281E5')).toBeGreaterThan(0);
  });

  it('ignores hex letter case', () => {
    expect(compareSequencers('617f08299329d189', '617F08299329D189')).toBe(0);
  });

  it('rejects a non-hex sequencer', () => {
    expect(() => compareSequencers('xyz', '00')).toThrow(InvalidEventError);
  });
});

describe('seqKey', () => {
  it('makes string order equal S3 order', () => {
    const sequencers = ['0056', '0055AED6DCD90281E5', '0055AED6DCD90281E500001', '0055aed6dcd90281e4ff'];
    const byKey = [...sequencers].sort((a, b) => (seqKey(a) < seqKey(b) ? -1 : 1));
    const byRule = [...sequencers].sort(compareSequencers);
    expect(byKey).toEqual(byRule);
    expect(seqKey('0055aed6')).toBe('0055AED6000000000000000000000000');
  });
});

describe('reconcile sequencers', () => {
  it('uses a base sequencer that every real event beats', () => {
    expect(compareSequencers(RECONCILE_BASE_SEQUENCER, '0000000000000001')).toBeLessThan(0);
  });

  it('places sequencerAfter just after the row and before the next real event', () => {
    const row = '0055AED6DCD90281E5';
    const after = sequencerAfter(row);
    expect(compareSequencers(after, row)).toBeGreaterThan(0);
    expect(compareSequencers(after, '0055AED6DCD90281E6')).toBeLessThan(0);
  });

  it('keeps trailing zeros, so a real event one step after the row still wins', () => {
    const row = '001A200BD704100000';
    const after = sequencerAfter(row);
    expect(compareSequencers(after, row)).toBeGreaterThan(0);
    expect(compareSequencers(after, '001A200BD704100001')).toBeLessThan(0);
    expect(compareSequencers(sequencerAfter(after), after)).toBeGreaterThan(0);
    expect(compareSequencers(sequencerAfter(after), '001A200BD704100001')).toBeLessThan(0);
  });
});
