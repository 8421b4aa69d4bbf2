import type { SeriesPoint } from '@imgpipe/contracts';
import { bars, linePath, linePoints, linearScale, niceMax } from '../src/lib/chart';
import { normaliseSeries, recent, total } from '../src/lib/series';

const box = { width: 100, height: 50, padTop: 0, padBottom: 0 };

describe('linearScale', () => {
  it('maps the domain onto an inverted range, as SVG y needs', () => {
    const y = linearScale([0, 10], [100, 0]);
    expect(y(0)).toBe(100);
    expect(y(5)).toBe(50);
    expect(y(10)).toBe(0);
  });

  it('puts everything in the middle of an empty domain instead of dividing by zero', () => {
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5);
  });
});

describe('niceMax', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(37)).toBe(50);
    expect(niceMax(120)).toBe(200);
    expect(niceMax(0.3)).toBeCloseTo(0.5);
  });
});

describe('bars', () => {
  it('scales bar heights to the axis maximum and spaces them evenly', () => {
    const result = bars([0, 5, 10], box, 10);
    expect(result.map((b) => b.height)).toEqual([0, 25, 50]);
    expect(result.map((b) => Math.round(b.x * 10) / 10)).toEqual([3.3, 36.7, 70]);
    expect(result[2]?.y).toBe(0);
  });

  it('clips values above the maximum and draws nothing for no values', () => {
    expect(bars([20], box, 10)[0]?.height).toBe(50);
    expect(bars([], box)).toEqual([]);
  });
});

describe('narrow bars', () => {
  it('centres a narrower bar in the same slot', () => {
    const [wide] = bars([5], box, 10);
    const [narrow] = bars([5], box, 10, 0.4);
    expect(narrow?.width).toBe(40);
    expect((narrow?.x ?? 0) + (narrow?.width ?? 0) / 2).toBe((wide?.x ?? 0) + (wide?.width ?? 0) / 2);
  });
});

describe('linePoints', () => {
  it('places a dot for each defined value, so one bucket is still visible', () => {
    expect(linePoints([undefined, 5], box, 10)).toEqual([{ x: 75, y: 25, value: 5 }]);
  });
});

describe('linePath', () => {
  it('lifts the pen over missing values', () => {
    expect(linePath([0, undefined, 10, 5], box, 10)).toBe('M12.5,50M62.5,0L87.5,25');
  });
});

const point = (start: string, fields: Partial<SeriesPoint> = {}): SeriesPoint => ({
  start,
  invocations: 0,
  errors: 0,
  throttles: 0,
  coldStarts: 0,
  durationMsP50: null,
  durationMsP99: null,
  ...fields,
});

describe('normaliseSeries', () => {
  it("reads the metrics API's point: ISO `start` and its bucket's `durationMsP50`/`durationMsP99`", () => {
    const [first] = normaliseSeries([
      point('2024-01-01T00:00:10.000Z', { invocations: 4, errors: 1, coldStarts: 1, durationMsP50: 120.5 }),
    ]);
    expect(first).toEqual({
      t: Date.parse('2024-01-01T00:00:10.000Z'),
      invocations: 4,
      errors: 1,
      throttles: 0,
      coldStarts: 1,
      p50: 120.5,
      p99: undefined,
    });
  });

  it('orders points oldest first and drops one whose start is not a time', () => {
    const points = normaliseSeries([
      point('2023-11-14T22:15:20.000Z', { invocations: 2, durationMsP50: 10, durationMsP99: 40 }),
      point('2023-11-14T22:14:20.000Z', { invocations: 1, errors: 1 }),
      point('not a time', { invocations: 9 }),
    ]);
    expect(points.map((p) => new Date(p.t).toISOString())).toEqual([
      '2023-11-14T22:14:20.000Z',
      '2023-11-14T22:15:20.000Z',
    ]);
    expect(points[1]).toMatchObject({ invocations: 2, p50: 10, p99: 40 });
    expect(total(points, 'invocations')).toBe(3);
  });
});

describe('recent', () => {
  it('keeps the points within the window of the newest one', () => {
    const points = normaliseSeries(
      [0, 10, 20, 30, 40].map((s) =>
        point(new Date(1_700_000_000_000 + s * 1000).toISOString(), { invocations: 1 }),
      ),
    );
    expect(recent(points, 25_000).map((p) => (p.t - 1_700_000_000_000) / 1000)).toEqual([20, 30, 40]);
    expect(recent([], 25_000)).toEqual([]);
  });
});
