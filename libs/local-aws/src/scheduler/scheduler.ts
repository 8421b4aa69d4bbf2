import { type FunctionName, parseSchedule, type Schedule, type ScheduleSpec } from '@imgpipe/pipeline';
import { scheduledEvent } from '@imgpipe/core';

interface Running {
  readonly spec: ScheduleSpec;
  readonly schedule: Schedule;
  nextRun: Date | undefined;
  timer?: NodeJS.Timeout;
}

const MAX_TIMER_MS = 60_000;

/** Fires each schedule's target at the times its cron/rate expression gives. */
export class Scheduler {
  private readonly running: Running[];

  constructor(
    specs: readonly ScheduleSpec[],
    private readonly fire: (target: FunctionName, event: unknown) => void,
    start = new Date(),
  ) {
    this.running = specs.map((spec) => ({
      spec,
      schedule: parseSchedule(spec.expression, start),
      nextRun: undefined,
    }));
  }

  start(): void {
    for (const run of this.running) {
      run.nextRun = run.schedule.next(new Date());
      this.arm(run);
    }
  }

  private arm(run: Running): void {
    if (!run.nextRun) return;
    const wait = run.nextRun.getTime() - Date.now();
    run.timer = setTimeout(
      () => {
        if (run.nextRun && Date.now() >= run.nextRun.getTime()) {
          this.fire(run.spec.target, scheduledEvent({ rule: `imgpipe-${run.spec.name}`, time: run.nextRun }));
          run.nextRun = run.schedule.next(new Date(Math.max(Date.now(), run.nextRun.getTime())));
        }
        this.arm(run);
      },
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    run.timer.unref();
  }

  /** Each schedule with its expression and next firing time. */
  list(): { name: string; expression: string; target: FunctionName; nextRun: string | null }[] {
    return this.running.map((r) => ({
      name: r.spec.name,
      expression: r.spec.expression,
      target: r.spec.target,
      nextRun: r.nextRun?.toISOString() ?? null,
    }));
  }

  stop(): void {
    for (const run of this.running) if (run.timer) clearTimeout(run.timer);
  }
}
