import {
  type AnyFunctionName,
  policyHolders,
  namedPolicyArns,
  type PipelineDefinition,
  resolvePolicy,
  type ResolvedStatement,
} from '@imgpipe/pipeline';
import { allowingStatement, type AuthorizationRequest } from './match';

/** The access key id a function's workers sign with. */
export function functionAccessKeyId(fn: AnyFunctionName): string {
  return `imgpipe-${fn}`;
}

/** One authorization decision, for an audit of what each function did. */
export interface IamDecision {
  readonly function: AnyFunctionName;
  readonly service: 's3' | 'dynamodb';
  readonly operation: string;
  readonly action: string;
  readonly resource: string;
  readonly allowed: boolean;
  /** The statement that allowed it. */
  readonly sid?: string;
}

export type IamVerdict =
  | { readonly allowed: true; readonly function?: AnyFunctionName }
  | {
      readonly allowed: false;
      readonly function: AnyFunctionName;
      readonly action: string;
      readonly resource: string;
      /** AWS's wording: `User: <assumed role> is not authorized to perform: <action> on resource: <arn> ...`. */
      readonly message: string;
    };

export interface IamEnforcerOptions {
  readonly pipeline: PipelineDefinition;
  readonly region: string;
  readonly account: string;
  /** Sees every decision about a function's request (allowed or not). */
  readonly onDecision?: (decision: IamDecision) => void;
}

/** What one request asks IAM for: its operation and each action on a resource. */
export interface RequestAuthorization {
  readonly operation: string;
  readonly requests: readonly AuthorizationRequest[];
}

/**
 * Enforces each function's policy from the pipeline definition on requests signed with its access
 * key id (`imgpipe-<function>`); any other key (or none) is the administrator and is allowed.
 * @example new IamEnforcer({ pipeline, region: 'us-east-1', account: '000000000000' }).authorize('imgpipe-resize', 's3', auth)
 */
export class IamEnforcer {
  private readonly statements: ReadonlyMap<string, { fn: AnyFunctionName; statements: ResolvedStatement[] }>;

  constructor(private readonly options: IamEnforcerOptions) {
    const { pipeline, region, account } = options;
    // Every function with a policy in the definition has a key id.
    this.statements = new Map(
      policyHolders(pipeline.policies).map((fn) => [
        functionAccessKeyId(fn),
        {
          fn,
          statements: resolvePolicy(
            pipeline.policies[fn] ?? [],
            namedPolicyArns(pipeline.names, fn, { partition: 'aws', region, account }),
          ),
        },
      ]),
    );
  }

  /** The function an access key id stands for, or undefined for the administrator. */
  functionOf(accessKeyId: string | undefined): AnyFunctionName | undefined {
    return accessKeyId === undefined ? undefined : this.statements.get(accessKeyId)?.fn;
  }

  /** Whether the function behind `accessKeyId` may do one thing, without recording a decision. */
  allows(accessKeyId: string | undefined, request: AuthorizationRequest): boolean {
    const principal = accessKeyId === undefined ? undefined : this.statements.get(accessKeyId);
    return !principal || allowingStatement(principal.statements, request) !== undefined;
  }

  /** Allows the request when every action on its resource is allowed (IAM's implicit deny otherwise). */
  authorize(
    accessKeyId: string | undefined,
    service: 's3' | 'dynamodb',
    authorization: RequestAuthorization,
  ): IamVerdict {
    const principal = accessKeyId === undefined ? undefined : this.statements.get(accessKeyId);
    if (!principal) return { allowed: true };
    const { fn } = principal;
    let denied: AuthorizationRequest | undefined;
    for (const request of authorization.requests) {
      const statement = allowingStatement(principal.statements, request);
      this.options.onDecision?.({
        function: fn,
        service,
        operation: authorization.operation,
        action: request.action,
        resource: request.resource,
        allowed: statement !== undefined,
        ...(statement ? { sid: statement.sid } : {}),
      });
      denied ??= statement ? undefined : request;
    }
    if (!denied) return { allowed: true, function: fn };
    const role = functionAccessKeyId(fn);
    const resource = service === 's3' ? `"${denied.resource}"` : denied.resource;
    return {
      allowed: false,
      function: fn,
      action: denied.action,
      resource: denied.resource,
      message:
        `User: arn:aws:sts::${this.options.account}:assumed-role/${role}/${role} is not authorized to perform: ` +
        `${denied.action} on resource: ${resource} because no identity-based policy allows the ${denied.action} action`,
    };
  }
}
