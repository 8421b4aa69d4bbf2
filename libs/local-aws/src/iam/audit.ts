import type { AnyFunctionName, FunctionPolicy } from '@imgpipe/pipeline';
import type { IamDecision } from './enforcer';

/**
 * `"<sid> <action>"` of every action a policy grants for the function's code to send (its `code`
 * statements), sorted: what a complete run of the function should use, no more and no less.
 * @example expect(usedGrants(decisions, 'resize')).toEqual(codeGrants(pipeline.policies.resize ?? []))
 */
export function codeGrants(policy: FunctionPolicy): string[] {
  return [
    ...new Set(
      policy.filter((s) => s.basis === 'code').flatMap((s) => s.actions.map((a) => `${s.sid} ${a}`)),
    ),
  ].sort();
}

/** `"<sid> <action>"` of every allowed decision about `fn`'s requests (`-` for a denied one), sorted. */
export function usedGrants(decisions: readonly IamDecision[], fn: AnyFunctionName): string[] {
  return [
    ...new Set(decisions.filter((d) => d.function === fn).map((d) => `${d.sid ?? '-'} ${d.action}`)),
  ].sort();
}
