/** End to end on the local stack (filled in when the stack's CLI lands). */
import type { WorkerBundles } from './variants/build';
import type { EndToEndResult, Missing } from './types';

export interface EndToEndOptions {
  readonly uploads: number;
  readonly concurrency: number;
  readonly bundles: WorkerBundles;
  readonly log: (line: string) => void;
}

export interface EndToEndRun {
  readonly e2e: EndToEndResult | null;
  readonly missing: Missing[];
  readonly firstInvoke: { handler: string; ms: number; note: string }[];
}

export async function runEndToEnd(_options: EndToEndOptions): Promise<EndToEndRun> {
  return { e2e: null, missing: [{ what: 'e2e', reason: 'not implemented yet' }], firstInvoke: [] };
}
