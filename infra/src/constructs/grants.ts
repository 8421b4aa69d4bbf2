import { type FunctionPolicy, type PolicyArns, resolvePolicy } from '@imgpipe/pipeline';
import type { Grant } from './iam';

/**
 * A function's grants: its policy from the pipeline definition (`pipeline.policies[fn]`), with
 * the policy resources resolved to the references of the resources this stack creates. The local
 * stack enforces the same policy, so what runs locally is what the role allows.
 * @example functionGrants(pipeline.policies.resize, { sourceBucket: source.arn, ..., logGroup: logs.arn })
 */
export function functionGrants(policy: FunctionPolicy, arns: PolicyArns): Grant[] {
  return resolvePolicy(policy, arns).map((s) => ({
    sid: s.sid,
    actions: s.actions,
    resources: s.resources,
    ...(s.conditions.length > 0 ? { conditions: s.conditions } : {}),
  }));
}
