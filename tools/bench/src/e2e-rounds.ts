/**
 * Rounds of the end-to-end bench: the ratio of one round and the round that stands for the run. On a
 * shared machine one burst's ratio moves by a tenth or more between back-to-back runs of the same build
 * (docs/benchmarks.md), so a run times several rounds and reports the median one.
 */
import type { EndToEndRound } from './types';

/** The burst's rate over the library alone's, from the same round; null when the library was not measured. */
export function roundRatio(round: EndToEndRound): number | null {
  return round.libraryImagesPerSecond ? round.imagesPerSecond / round.libraryImagesPerSecond : null;
}

/**
 * The round with the median ratio (the lower middle of an even count); rounds without a ratio sort
 * first, so they stand for the run only when no round has one.
 * @throws Error on an empty list
 */
export function medianRound<R extends EndToEndRound>(rounds: readonly R[]): R {
  if (rounds.length === 0) throw new Error('Expected at least one end-to-end round');
  const sorted = [...rounds].sort((a, b) => (roundRatio(a) ?? -1) - (roundRatio(b) ?? -1));
  const withRatio = sorted.filter((r) => roundRatio(r) !== null);
  const pool = withRatio.length > 0 ? withRatio : sorted;
  return pool[Math.floor((pool.length - 1) / 2)] as R;
}

/** `the median of 3 rounds (ratios in the order run: 0.45x, 0.51x, 0.48x)`, or `one round`. */
export function roundsSummary(rounds: readonly EndToEndRound[]): string {
  if (rounds.length <= 1) return 'one round';
  const ratios = rounds.map((r) => {
    const ratio = roundRatio(r);
    return ratio === null ? '-' : `${ratio.toFixed(2)}x`;
  });
  return `the median of ${rounds.length} rounds (ratios in the order run: ${ratios.join(', ')})`;
}
