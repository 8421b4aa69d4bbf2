import type { CdnCache } from './cdn-cache';
import type { PipelineConfig } from './config';
import {
  NO_TELEMETRY,
  type ImageProcessor,
  type ImageTable,
  type ObjectStore,
  type Telemetry,
} from './ports';

/**
 * What the resize and metadata use cases run with: config, ports, and the two things tests inject
 * (clock and telemetry). Built once per cold start by a composition module.
 */
export interface UseCaseDeps {
  readonly config: PipelineConfig;
  readonly objects: ObjectStore;
  readonly table: ImageTable;
  readonly images: ImageProcessor;
  readonly telemetry?: Telemetry;
  /** The CDN to invalidate when an image is deleted (resize on AWS); absent: nothing is cached. */
  readonly cdn?: CdnCache;
  /** Injected clock (tests); defaults to `new Date()`. */
  readonly now?: () => Date;
}

/** The deps' telemetry, or one that records nothing. */
export function telemetryOf(deps: Pick<UseCaseDeps, 'telemetry'>): Telemetry {
  return deps.telemetry ?? NO_TELEMETRY;
}

/** The deps' clock reading, or the real time. */
export function nowOf(deps: Pick<UseCaseDeps, 'now'>): Date {
  return deps.now ? deps.now() : new Date();
}

/**
 * Runs `work` and reports its duration as stage `name`.
 * @example const bytes = await timed(telemetry, 'download', () => objects.getBytes(...));
 */
export async function timed<T>(telemetry: Telemetry, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    telemetry.stage(name, performance.now() - started);
  }
}
