import { CorruptImageError } from './errors';

/** A job's wall-clock budget, shared by every sharp pipeline the job runs. */
export class Deadline {
  private readonly endsAt: number;

  constructor(readonly budgetMs: number) {
    this.endsAt = Date.now() + budgetMs;
  }

  /** Whole seconds left, at least 1: the unit of sharp's own `timeout()`, which stops libvips work. */
  sharpSeconds(): number {
    return Math.max(1, Math.ceil((this.endsAt - Date.now()) / 1000));
  }

  /** True once the budget is spent: a libvips failure after that is the timeout, whatever its text. */
  expired(): boolean {
    return Date.now() >= this.endsAt;
  }

  timedOut(cause?: unknown): CorruptImageError {
    return new CorruptImageError(
      `Image processing timed out after ${this.budgetMs} ms; the input keeps the decoder busy and is rejected`,
      { cause },
    );
  }

  /**
   * Runs `work` and rejects with a timed-out `CorruptImageError` when the budget ends first.
   * sharp's `timeout()` stops the libvips pipelines themselves; this race also covers work
   * libvips does outside a pipeline's evaluation (header parsing), which it cannot interrupt.
   */
  async race<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.timedOut()), Math.max(0, this.endsAt - Date.now()));
    });
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
