import { compareSequencers, parseObjectEvents, seqKey } from '@imgpipe/core';
import { backfillEvent, backfillSequencer } from '../src/stack/backfill-plan';

const OBJECT = { key: 'my photos/a+b.jpg', size: 1234, etag: 'b1946ac92492d2347c6235b4d2611184' };

describe('backfillSequencer', () => {
  it('uses the all-zero sequencer for an object without a row, which any real event beats', () => {
    expect(backfillSequencer(undefined)).toBe('0');
    expect(compareSequencers('00617F08299329D189', backfillSequencer(undefined))).toBeGreaterThan(0);
  });

  it("sorts after the row's sequencer, so the re-render applies", () => {
    expect(
      compareSequencers(backfillSequencer({ sequencer: '001A200BD704100000' }), '001A200BD704100000'),
    ).toBeGreaterThan(0);
  });

  it('loses to any real newer event, even one differing only in the last digit', () => {
    const row = { sequencer: '001A200BD704100000' };
    for (const newer of [
      '001A200BD704100001',
      '001A200BD704100010',
      '001A200BD704200000',
      '001A200BD80000000',
    ]) {
      expect(compareSequencers(newer, backfillSequencer(row))).toBeGreaterThan(0);
    }
  });

  it('keeps moving forward when backfill runs again on its own result', () => {
    const once = backfillSequencer({ sequencer: '001A200BD704100000' });
    const twice = backfillSequencer({ sequencer: once });
    expect(seqKey(twice) > seqKey(once)).toBe(true);
  });
});

describe('backfillEvent', () => {
  it('is an EventBridge Object Created event the functions parse back to the object', () => {
    const event = backfillEvent('imgpipe-source', OBJECT, { sequencer: '00617F08299329D189' } as never, {
      region: 'eu-west-1',
      now: new Date('2026-11-21T10:00:00.123Z'),
    });
    const [parsed] = parseObjectEvents(event);
    expect(parsed).toEqual({
      kind: 'created',
      bucket: 'imgpipe-source',
      key: 'my photos/a+b.jpg',
      size: 1234,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      sequencer: '00617F08299329D18900000000000001',
      eventTime: '2026-11-21T10:00:00Z',
      source: 'eventbridge',
      reason: 'PutObject',
    });
    expect((event['detail'] as { object: { key: string } }).object.key).toBe('my+photos/a%2Bb.jpg');
  });
});
