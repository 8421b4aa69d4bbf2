import { Scheduler } from '../../src/scheduler/scheduler';

describe('Scheduler', () => {
  afterEach(() => jest.useRealTimers());

  it('sends a Scheduled Event to the target each time a rate schedule comes due', () => {
    jest.useFakeTimers({ now: new Date('2025-03-01T10:00:00Z') });
    const fired: { target: string; event: Record<string, unknown> }[] = [];
    const scheduler = new Scheduler(
      [{ name: 'reconcile', description: '', expression: 'rate(1 minute)', target: 'reconcile' }],
      (target, event) => fired.push({ target, event: event as Record<string, unknown> }),
      new Date('2025-03-01T10:00:00Z'),
    );
    scheduler.start();
    expect(scheduler.list()[0]?.nextRun).toBe('2025-03-01T10:01:00.000Z');
    jest.advanceTimersByTime(61_000);
    jest.advanceTimersByTime(60_000);
    scheduler.stop();
    expect(fired).toHaveLength(2);
    expect(fired[0]).toEqual({
      target: 'reconcile',
      event: expect.objectContaining({
        source: 'aws.events',
        'detail-type': 'Scheduled Event',
        time: '2025-03-01T10:01:00Z',
        detail: {},
      }),
    });
    expect(scheduler.list()[0]?.nextRun).toBe('2025-03-01T10:03:00.000Z');
  });
});
