import { readCorpusFile } from '@imgpipe/testing';
import { compareSequencers } from '@imgpipe/core';
import type { InvocationReport, LocalStack, S3EventBridgeEvent } from '@imgpipe/local-aws';
import { useRealStack } from './support/session';
import { reportKey, type Row } from './support/stack';
import { recordFigures } from './support/summary';

const V1 = 'sharp-fixtures/320x240.jpg';
const V2 = 'sharp-fixtures/2569067123_aca715a2ee_o.jpg';

/** The delivered S3 event of each function for `key`, newest upload last. */
function deliveredEvents(
  reports: readonly InvocationReport[],
  key: string,
  detailType: string,
): S3EventBridgeEvent[] {
  const seen = new Map<string, S3EventBridgeEvent>();
  for (const r of reports) {
    const event = r.event as S3EventBridgeEvent;
    if (reportKey(r) === key && event['detail-type'] === detailType) seen.set(event.id, event);
  }
  return [...seen.values()].sort((a, b) =>
    compareSequencers(a.detail.object.sequencer ?? '', b.detail.object.sequencer ?? ''),
  );
}

function withSequencer(event: S3EventBridgeEvent, sequencer: string): S3EventBridgeEvent {
  return {
    ...event,
    id: `${event.id}-${sequencer.length}`,
    detail: { ...event.detail, object: { ...event.detail.object, sequencer } },
  };
}

/** Delivers an event to both targets of its rule, as EventBridge would deliver a duplicate. */
function deliver(stack: LocalStack, event: S3EventBridgeEvent): void {
  stack.runtime('resize').enqueue(event);
  stack.runtime('metadata-sync').enqueue(event);
}

describe('duplicates and out-of-order delivery', () => {
  const suite = useRealStack('ordering');

  async function expectNewest(
    key: string,
    want: { status: 'ready'; width: number } | { status: 'deleted' },
  ): Promise<Row> {
    const row = await suite.row(key);
    expect(row?.status).toBe(want.status);
    const derived = (await suite.derivedKeys(`${key}/`)).sort();
    if (want.status === 'ready') {
      expect(row?.width).toBe(want.width);
      expect(await suite.variantsPresent(row as Row)).toBe(true);
      // No orphan: the derived bucket holds exactly the variants the row lists.
      expect(derived).toEqual((row?.variants ?? []).map((v) => v.key).sort());
    } else {
      expect(derived).toEqual([]);
    }
    return row as Row;
  }

  it('keeps a ready row unchanged when its event is replayed many times, in parallel and in sequence', async () => {
    const key = 'order/dup/one.jpg';
    await suite.upload(key, readCorpusFile(V1));
    await suite.idle();
    const before = await expectNewest(key, { status: 'ready', width: 320 });
    const [event] = deliveredEvents(suite.log.reports, key, 'Object Created');
    expect(event).toBeDefined();

    for (let i = 0; i < 12; i++) deliver(suite.stack, event as S3EventBridgeEvent); // parallel: all queued at once
    await suite.idle();
    for (let i = 0; i < 4; i++) {
      deliver(suite.stack, event as S3EventBridgeEvent); // in sequence: one after the other finished
      await suite.idle();
    }

    const after = await expectNewest(key, { status: 'ready', width: 320 });
    expect({ sequencer: after.sequencer, etag: after.etag, variants: after.variants }).toEqual({
      sequencer: before.sequencer,
      etag: before.etag,
      variants: before.variants,
    });
  });

  it('keeps the newest version when the v1 event of an overwrite arrives after v2 (also with longer sequencers)', async () => {
    const key = 'order/overwrite/photo.jpg';
    await suite.upload(key, readCorpusFile(V1));
    await suite.idle();
    await suite.upload(key, readCorpusFile(V2));
    await suite.idle();
    const [v1, v2] = deliveredEvents(suite.log.reports, key, 'Object Created');
    expect(v1 && v2).toBeTruthy();
    const v2Row = await expectNewest(key, { status: 'ready', width: 2725 });

    const s1 = (v1 as S3EventBridgeEvent).detail.object.sequencer;
    const s2 = (v2 as S3EventBridgeEvent).detail.object.sequencer;
    // v1 as it was, v1 with zero padding (same version, longer), and v2 padded far past 32 digits.
    for (const event of [
      v1,
      withSequencer(v1 as S3EventBridgeEvent, `${s1}000000`),
      withSequencer(v2 as S3EventBridgeEvent, `${s2}${'0'.repeat(16)}`),
    ]) {
      deliver(suite.stack, event as S3EventBridgeEvent);
    }
    for (let i = 0; i < 5; i++) deliver(suite.stack, v1 as S3EventBridgeEvent);
    await suite.idle();

    const row = await expectNewest(key, { status: 'ready', width: 2725 });
    expect(row.etag).toBe(v2Row.etag);
  });

  it('never resurrects a tombstone when older creates arrive after the delete, whatever their sequencer length', async () => {
    const key = 'order/delete/gone.jpg';
    await suite.upload(key, readCorpusFile(V1));
    await suite.idle();
    await suite.upload(key, readCorpusFile(V2));
    await suite.idle();
    await suite.remove(key);
    await suite.idle();
    await expectNewest(key, { status: 'deleted' });
    const creates = deliveredEvents(suite.log.reports, key, 'Object Created');
    const [deletion] = deliveredEvents(suite.log.reports, key, 'Object Deleted');
    expect(creates).toHaveLength(2);
    expect(deletion).toBeDefined();

    const shorter = (e: S3EventBridgeEvent) =>
      withSequencer(e, (e.detail.object.sequencer ?? '').replace(/0+$/, '') || '0');
    const longer = (e: S3EventBridgeEvent) => withSequencer(e, `${e.detail.object.sequencer ?? ''}00`);
    const late = creates.flatMap((e) => [e, shorter(e), longer(e)]).reverse();
    for (const event of late) deliver(suite.stack, event);
    deliver(suite.stack, deletion as S3EventBridgeEvent);
    await suite.idle();

    await expectNewest(key, { status: 'deleted' });
  });

  it('ends with the newest state when a create and its delete are delivered reversed, then duplicated', async () => {
    const key = 'order/reversed/x.jpg';
    await suite.upload(key, readCorpusFile(V1));
    await suite.remove(key);
    await suite.upload(key, readCorpusFile(V2));
    await suite.idle();
    await expectNewest(key, { status: 'ready', width: 2725 });
    const creates = deliveredEvents(suite.log.reports, key, 'Object Created');
    const [deletion] = deliveredEvents(suite.log.reports, key, 'Object Deleted');
    // Everything again, newest first, twice over: the delete is older than v2 and must not win.
    for (const event of [...creates, deletion as S3EventBridgeEvent].reverse()) deliver(suite.stack, event);
    for (const event of [deletion as S3EventBridgeEvent, ...creates]) deliver(suite.stack, event);
    await suite.idle();

    await expectNewest(key, { status: 'ready', width: 2725 });
    recordFigures('ordering', {
      invocations: suite.log.reports.length,
      failedAttempts: suite.log.reports.filter((r) => !r.ok).length,
      dlq: suite.stack.dlq().length,
    });
    expect(suite.stack.dlq()).toEqual([]);
  });
});
