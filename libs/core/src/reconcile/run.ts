import type { Checkpoint } from '../ports';
import { nowOf } from '../deps';
import { derivedPage, rowsPage, sourcePage } from './phases';
import { emptyReport, type ReconcileDeps, type ReconcileReport } from './types';

const DEFAULT_MARGIN_MS = 15_000;
type Phase = Checkpoint['phase'];
type PageFn = (
  deps: ReconcileDeps,
  token: string | undefined,
  report: ReconcileReport,
) => Promise<string | undefined>;
const NEXT_PHASE: Readonly<Record<Phase, Phase | undefined>> = {
  source: 'derived',
  derived: 'rows',
  rows: undefined,
};
const PAGES: Readonly<Record<Phase, PageFn>> = { source: sourcePage, derived: derivedPage, rows: rowsPage };

/**
 * Compares the source bucket, the table and the derived bucket, and repairs drift: missing or stale
 * rows and variants are rendered again (the same use cases as the event path), orphans removed, rows
 * of vanished sources tombstoned. Works page by page while the time budget lasts, resumes from the
 * checkpoint, and holds a lease so two runs never overlap.
 * @example const report = await reconcile({ ...deps, control, owner: context.awsRequestId, remainingMs: () => context.getRemainingTimeInMillis() });
 */
export async function reconcile(deps: ReconcileDeps): Promise<ReconcileReport> {
  const report = emptyReport();
  const margin = deps.marginMs ?? DEFAULT_MARGIN_MS;
  // The lease covers this invocation (its remaining time plus the margin); renewed after each page.
  const leaseMs = deps.remainingMs() + margin;
  const leaseUntil = () => nowOf(deps).getTime() + leaseMs;
  if (!(await deps.control.acquireLease(deps.owner, leaseUntil(), nowOf(deps).getTime()))) {
    return { ...report, skipped: 'lease-held' };
  }
  try {
    let checkpoint: Checkpoint | undefined = (await deps.control.getCheckpoint()) ?? {
      phase: 'source',
      startedAt: nowOf(deps).toISOString(),
    };
    while (checkpoint && deps.remainingMs() > margin) {
      const { phase, token, startedAt }: Checkpoint = checkpoint;
      const next = await PAGES[phase](deps, token, report);
      const nextPhase: Phase | undefined = next ? phase : NEXT_PHASE[phase];
      checkpoint = nextPhase ? { phase: nextPhase, startedAt, ...(next ? { token: next } : {}) } : undefined;
      await deps.control.putCheckpoint(checkpoint);
      if (!(await deps.control.acquireLease(deps.owner, leaseUntil(), nowOf(deps).getTime()))) break;
    }
    report.complete = checkpoint === undefined;
    if (checkpoint) report.nextCheckpoint = checkpoint;
    return report;
  } finally {
    await deps.control.releaseLease(deps.owner);
  }
}
