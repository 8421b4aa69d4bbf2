import { appendFileSync, fdatasync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DataSync, QueueJournal, SYNC_GAP_MS } from '../../src/runtime/queue-journal';
import { tempDir } from '../support/helpers';

interface Entry {
  readonly id: string;
  readonly n: number;
}

const freshDir = (): string => tempDir('journal');

describe('QueueJournal', () => {
  it('replays puts, replacements and removals after a reopen, in first-written order', async () => {
    const dir = freshDir();
    const journal = new QueueJournal<Entry>(dir);
    journal.put('a', { id: 'a', n: 1 });
    journal.put('b', { id: 'b', n: 1 });
    journal.put('c', { id: 'c', n: 1 });
    journal.put('a', { id: 'a', n: 2 });
    journal.remove('b');
    await journal.close();

    const reopened = new QueueJournal<Entry>(dir);
    expect(reopened.list()).toEqual([
      { id: 'a', n: 2 },
      { id: 'c', n: 1 },
    ]);
    expect(reopened.get('b')).toBeUndefined();
    await reopened.close();
  });

  it('syncs a stream of changes at most once per gap, the last change included', async () => {
    const syncs: number[] = [];
    let finished = 0;
    const counted: DataSync = (fd, done) => {
      syncs.push(Date.now());
      fdatasync(fd, (error) => {
        finished += 1;
        done(error);
      });
    };
    /** Until the last sync has finished and no other is due (under load an fdatasync can outlast a gap). */
    const settled = async (): Promise<void> => {
      while (finished < syncs.length || Date.now() - (syncs[syncs.length - 1] ?? 0) <= SYNC_GAP_MS)
        await new Promise((resolve) => setTimeout(resolve, 10));
    };
    {
      const journal = new QueueJournal<Entry>(freshDir(), counted);
      const started = Date.now();
      let lastPut = 0;
      for (let n = 0; Date.now() - started < 2.5 * SYNC_GAP_MS; n++) {
        journal.put('a', { id: 'a', n });
        lastPut = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await settled();
      // Back to back, about fifty changes would have started up to fifty syncs. At least two: the
      // first change's, and one after the gap for the rest (more when each sync is quick).
      expect(syncs.length).toBeGreaterThanOrEqual(2);
      expect(syncs.length).toBeLessThanOrEqual(4);
      const gaps = syncs.slice(1).map((t, i) => t - (syncs[i] ?? 0));
      expect(gaps.every((gap) => gap >= SYNC_GAP_MS - 1)).toBe(true);
      expect(syncs[syncs.length - 1]).toBeGreaterThanOrEqual(lastPut);
      // A change waiting behind a running sync is covered by close's own fsync: no second sync.
      const before = syncs.length;
      journal.put('b', { id: 'b', n: 0 });
      journal.put('c', { id: 'c', n: 0 });
      await journal.close();
      expect(syncs.length - before).toBe(1);
      expect(new QueueJournal<Entry>(journal.dir).list().map((e) => e.id)).toEqual(['a', 'b', 'c']);
    }
  });

  it('keeps what was written when the process never closed it (a crash of the stack)', () => {
    const dir = freshDir();
    const journal = new QueueJournal<Entry>(dir);
    journal.put('a', { id: 'a', n: 1 });
    journal.put('b', { id: 'b', n: 1 });
    journal.remove('a');
    // No close: the next start reads what the kernel has.
    expect(new QueueJournal<Entry>(dir).list()).toEqual([{ id: 'b', n: 1 }]);
  });

  it('skips a torn last line and compacts the journal to the live entries on open', async () => {
    const dir = freshDir();
    const journal = new QueueJournal<Entry>(dir);
    journal.put('a', { id: 'a', n: 1 });
    journal.put('b', { id: 'b', n: 1 });
    journal.remove('a');
    await journal.close();
    appendFileSync(join(dir, 'journal.ndjson'), '{"put":{"id":"c","n"');

    const reopened = new QueueJournal<Entry>(dir);
    expect(reopened.list()).toEqual([{ id: 'b', n: 1 }]);
    expect(readFileSync(join(dir, 'journal.ndjson'), 'utf8')).toBe('{"put":{"id":"b","n":1}}\n');
    reopened.put('d', { id: 'd', n: 1 });
    await reopened.close();
    expect(new QueueJournal<Entry>(dir).list()).toEqual([
      { id: 'b', n: 1 },
      { id: 'd', n: 1 },
    ]);
  });

  it('takes over the documents of the one-file-per-entry layout and removes them', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'x.json'), JSON.stringify({ id: 'x', n: 7 }));
    writeFileSync(join(dir, 'y.json.tmp'), '{"id":"y"');
    const journal = new QueueJournal<Entry>(dir);
    expect(journal.list()).toEqual([{ id: 'x', n: 7 }]);
    expect(readdirSync(dir).sort()).toEqual(['journal.ndjson']);
    await journal.close();
    expect(new QueueJournal<Entry>(dir).list()).toEqual([{ id: 'x', n: 7 }]);
  });

  it('rewrites itself once removals pile up, keeping only the live entries', async () => {
    const dir = freshDir();
    const journal = new QueueJournal<Entry>(dir);
    for (let i = 0; i < 2_500; i += 1) {
      journal.put(`e${i}`, { id: `e${i}`, n: i });
      if (i !== 7) journal.remove(`e${i}`);
    }
    await journal.close();
    const lines = readFileSync(join(dir, 'journal.ndjson'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(2_100);
    expect(new QueueJournal<Entry>(dir).list()).toEqual([{ id: 'e7', n: 7 }]);
  });

  it('records nothing after close (the entry then runs again on the next start)', async () => {
    const dir = freshDir();
    const journal = new QueueJournal<Entry>(dir);
    journal.put('a', { id: 'a', n: 1 });
    await journal.close();
    journal.remove('a');
    expect(new QueueJournal<Entry>(dir).list()).toEqual([{ id: 'a', n: 1 }]);
  });
});
