import type { Checkpoint, ControlTable } from '../ports';
import type { UseCaseDeps } from '../deps';

export interface ReconcileDeps extends UseCaseDeps {
  readonly control: ControlTable;
  /** Who runs (the request id); the lease names it. */
  readonly owner: string;
  /** Milliseconds left in this invocation (`context.getRemainingTimeInMillis`). */
  readonly remainingMs: () => number;
  /** Stop starting pages when less than this is left. Default 15 s. */
  readonly marginMs?: number;
}

/** What one reconcile run found and fixed. */
export interface ReconcileReport {
  /** Source objects, derived objects and rows examined. */
  scanned: number;
  /** Objects whose variants were rendered again. */
  rendered: number;
  /** Rows written, finalised or whose metadata was synced again. */
  rowsRepaired: number;
  /** Derived objects removed because no source or preset explains them. */
  orphansRemoved: number;
  /** Rows turned into tombstones because their source is gone. */
  tombstoned: number;
  /** True when every phase finished (the checkpoint is cleared). */
  complete: boolean;
  /** Where the next run resumes; absent when complete. */
  nextCheckpoint?: Checkpoint;
  /** Set when another run holds the lease: nothing was done. */
  skipped?: 'lease-held';
}

export function emptyReport(): ReconcileReport {
  return { scanned: 0, rendered: 0, rowsRepaired: 0, orphansRemoved: 0, tombstoned: 0, complete: false };
}
