import { nowOf, telemetryOf, timed, type UseCaseDeps } from './deps';
import { isDeleteMarker, type ObjectEvent } from './events';
import { guardEvent, versionOf } from './guard';
import type { Outcome } from './outcome';
import type { SourceVersion } from './row';

/** Epoch seconds at which a tombstone written at `now` expires (the table's TTL attribute). */
export function tombstoneExpiry(now: Date, ttlDays: number): number {
  return Math.floor(now.getTime() / 1000) + ttlDays * 24 * 60 * 60;
}

export type Tombstoned =
  | { readonly done: true; readonly outcome: Outcome }
  | { readonly done: false; readonly version: SourceVersion; readonly tombstone: 'applied' | 'duplicate' };

/**
 * A deletion that is not a delete marker (a permanent deletion of one version, e.g. a lifecycle rule
 * expiring the previous version of an overwritten image) removes the image only if the object is
 * really gone: one HEAD decides. Returns the outcome that ends the work, or `undefined` to go on.
 */
export async function guardDeletion(event: ObjectEvent, deps: UseCaseDeps): Promise<Outcome | undefined> {
  if (isDeleteMarker(event)) return undefined;
  const current = await deps.objects.head(event.bucket, event.key);
  return current ? { action: 'ignored', reason: 'object-still-present' } : undefined;
}

/**
 * The common first half of both Object Deleted use cases: guard (a deletion that is not a delete
 * marker counts only when the object is gone), then lay the tombstone, conditioned
 * on the deletion's sequencer (both writers attempt it; the second finds it a duplicate). Done when
 * the event is ignored or a newer version is on the row.
 */
export async function layTombstone(event: ObjectEvent, deps: UseCaseDeps): Promise<Tombstoned> {
  const ignored = guardEvent(event, deps.config) ?? (await guardDeletion(event, deps));
  if (ignored) return { done: true, outcome: ignored };
  const version = versionOf(event);
  const now = nowOf(deps);
  const tombstone = await timed(telemetryOf(deps), 'record', () =>
    deps.table.writeTombstone(version, now.toISOString(), tombstoneExpiry(now, deps.config.tombstoneTtlDays)),
  );
  if (tombstone === 'stale')
    return { done: true, outcome: { action: 'stale', reason: 'a newer version exists' } };
  return { done: false, version, tombstone };
}
