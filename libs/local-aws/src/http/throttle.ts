import type { ApiThrottleSpec } from '@imgpipe/pipeline';

/**
 * API Gateway's stage throttling: a token bucket holding `burstLimit` tokens, refilled at `rateLimit`
 * per second; a request that finds it empty is answered 429 without reaching the integration.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly spec: ApiThrottleSpec,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.tokens = spec.burstLimit;
    this.last = clock();
  }

  /** Takes one token; false when the bucket is empty (throttled). */
  take(): boolean {
    const now = this.clock();
    this.tokens = Math.min(
      this.spec.burstLimit,
      this.tokens + ((now - this.last) / 1000) * this.spec.rateLimit,
    );
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
