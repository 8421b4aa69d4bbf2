import type { Row, RowStatus } from '@imgpipe/contracts';
import {
  FIRST_PAGE,
  countByStatus,
  currentCursor,
  matchesQuery,
  mergeRow,
  nextPage,
  previousPage,
  thumbVariant,
} from '../src/lib/gallery';

const row = (objectKey: string, status: RowStatus, updatedAt = '2024-01-01T00:00:00Z'): Row => ({
  objectKey,
  status,
  updatedAt,
});

describe('matchesQuery', () => {
  it('filters by status and by key prefix', () => {
    expect(matchesQuery(row('photos/a.jpg', 'ready'), { status: '', prefix: 'photos/' })).toBe(true);
    expect(matchesQuery(row('photos/a.jpg', 'ready'), { status: 'failed', prefix: '' })).toBe(false);
    expect(matchesQuery(row('other/a.jpg', 'ready'), { status: 'ready', prefix: 'photos/' })).toBe(false);
  });
});

describe('mergeRow', () => {
  it('replaces a row on screen in place', () => {
    const items = [row('a', 'ready'), row('b', 'pending')];
    const { items: next, outcome } = mergeRow(items, row('b', 'failed', '2024-01-01T00:00:01Z'));
    expect(outcome).toBe('updated');
    expect(next.map((r) => r.status)).toEqual(['ready', 'failed']);
    expect(items[1]?.status).toBe('pending');
  });

  it('ignores an update older than what is shown', () => {
    const items = [row('a', 'ready', '2024-01-01T00:00:05Z')];
    expect(mergeRow(items, row('a', 'pending', '2024-01-01T00:00:01Z'))).toEqual({
      items,
      outcome: 'unchanged',
    });
  });

  it('reports a row that is not on screen as missing', () => {
    expect(mergeRow([row('a', 'ready')], row('z', 'ready')).outcome).toBe('missing');
  });
});

describe('cursor paging', () => {
  it('remembers the cursors so Previous works on a forward-only API', () => {
    const second = nextPage(FIRST_PAGE, 'c2');
    const third = nextPage(second, 'c3');
    expect(currentCursor(third)).toBe('c3');
    expect(currentCursor(previousPage(third))).toBe('c2');
    expect(currentCursor(previousPage(previousPage(third)))).toBeUndefined();
    expect(previousPage(FIRST_PAGE)).toBe(FIRST_PAGE);
  });

  it('forgets pages beyond the current one when paging forward from an earlier page', () => {
    const back = previousPage(nextPage(nextPage(FIRST_PAGE, 'c2'), 'c3'));
    expect(nextPage(back, 'c3b').cursors).toEqual([undefined, 'c2', 'c3b']);
  });
});

describe('thumbVariant', () => {
  it('prefers the thumb, else the smallest variant', () => {
    expect(
      thumbVariant([
        { name: 'large', width: 1280, height: 960 },
        { name: 'thumb', width: 128, height: 128 },
      ])?.name,
    ).toBe('thumb');
    expect(
      thumbVariant([
        { name: 'large', width: 1280, height: 960 },
        { name: 'small', width: 320, height: 240 },
      ])?.name,
    ).toBe('small');
    expect(thumbVariant([])).toBeUndefined();
  });
});

describe('countByStatus', () => {
  it('counts rows per status', () => {
    expect(countByStatus([row('a', 'ready'), row('b', 'ready'), row('c', 'failed')])).toEqual({
      ready: 2,
      failed: 1,
    });
  });
});
