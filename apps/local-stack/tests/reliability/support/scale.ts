/**
 * How big the reliability runs are, read once from the environment.
 * `RELIABILITY_MODE=quick` leaves out the burst (the Jest config drops its file); `RELIABILITY_SCALE` multiplies
 * every count (0.1 while developing on a shared machine; counts never drop below what the issue asks
 * unless the scale is below 1, and then the summary says so).
 */
export interface ReliabilityScale {
  readonly mode: 'full' | 'quick';
  readonly scale: number;
  /** Uploads in the fault run (issue: at least 200). */
  readonly faultUploads: number;
  /** Uploads in the burst (issue: 1,000); quick mode does not run the burst file at all. */
  readonly burstUploads: number;
}

function readScale(env: NodeJS.ProcessEnv): ReliabilityScale {
  const quick = env['RELIABILITY_MODE'] === 'quick';
  const raw = env['RELIABILITY_SCALE'] ?? '1';
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(`Expected a positive number for RELIABILITY_SCALE but received "${raw}"`);
  }
  return {
    mode: quick ? 'quick' : 'full',
    scale,
    faultUploads: Math.max(10, Math.round(200 * scale)),
    burstUploads: Math.max(20, Math.round(1000 * scale)),
  };
}

export const SCALE: ReliabilityScale = readScale(process.env);
