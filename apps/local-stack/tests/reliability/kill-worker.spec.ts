import { readCorpusFile } from '@imgpipe/testing';
import { CORPUS } from './support/corpus';
import { useRealStack } from './support/session';
import { reportKey, type Row } from './support/stack';
import { recordFigures } from './support/summary';

/** A resize worker killed (SIGKILL) while it writes variants: the retry converges, nothing half-written stays. */
describe('a worker killed in the middle of writing variants', () => {
  const suite = useRealStack('kill');

  it('retries to a ready row whose variants are exactly those in the derived bucket', async () => {
    // The largest valid photos take long enough that the kill lands after variants start to land and
    // before the invocation records them; a kill that came too late shows as a successful first attempt.
    const photos = CORPUS.filter((r) => r.category === 'valid' && r.summary.format_by_magic === 'jpeg')
      .sort((a, b) => b.size_bytes - a.size_bytes)
      .slice(0, 5);
    const kills: { key: string; variantsSeen: number }[] = [];
    for (const [i, photo] of photos.entries()) {
      const key = `kill/${i}.jpg`;
      await suite.upload(key, readCorpusFile(photo.id));
      const deadline = Date.now() + 60_000;
      let seen: string[] = [];
      while (Date.now() < deadline && seen.length === 0) seen = await suite.derivedKeys(`${key}/`);
      const busy = suite.stack
        .runtime('resize')
        .workers()
        .filter((w) => w.busy);
      if (seen.length > 0 && busy.length === 1 && busy[0]?.pid !== undefined)
        process.kill(busy[0].pid, 'SIGKILL');
      await suite.idle();
      const first = suite.log.reports.find((r) => r.function === 'resize' && reportKey(r) === key);
      if (first && !first.ok && first.error?.type === 'Runtime.ExitError')
        kills.push({ key, variantsSeen: seen.length });
      if (kills.length >= 2) break;
    }

    // At least one kill landed between variant writes (the photos are large; this machine is slow).
    expect(kills.length).toBeGreaterThanOrEqual(1);
    for (const { key } of kills) {
      const attempts = suite.log.reports.filter((r) => r.function === 'resize' && reportKey(r) === key);
      expect(attempts.map((r) => r.ok)).toEqual([false, true]);
      expect(attempts[0]?.error?.type).toBe('Runtime.ExitError');
      const row = (await suite.row(key)) as Row;
      expect(row.status).toBe('ready');
      expect(await suite.variantsPresent(row)).toBe(true);
      expect((await suite.derivedKeys(`${key}/`)).sort()).toEqual(
        (row.variants ?? []).map((v) => v.key).sort(),
      );
    }
    expect(suite.stack.dlq()).toEqual([]);
    recordFigures('kill-worker', { photosTried: photos.length, killedMidWrite: kills.length, kills });
  });
});
