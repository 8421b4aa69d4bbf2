import { Fn } from 'cdktf';

/** The fields of an ARN (`arn:partition:service:region:account:resource`), by name. */
const ARN_FIELDS = { partition: 1, service: 2, region: 3, account: 4 } as const;

/**
 * One field of an ARN, as a Terraform expression (`element(split(":", arn), n)`), so it works on
 * ARNs only known after apply.
 *
 * This is how the stack learns its account id and partition without `data.aws_caller_identity` /
 * `data.aws_partition`: those data sources call AWS at plan time, which the offline plan (fake
 * credentials, no network) cannot do. An ARN of a resource the stack creates carries both, and
 * Terraform just leaves the value unknown until that resource exists.
 * @example arnPart(queue.arn, 'account') // ${element(split(":", aws_sqs_queue.x.arn), 4)}
 */
export function arnPart(arn: string, field: keyof typeof ARN_FIELDS): string {
  return Fn.element(Fn.split(':', arn), ARN_FIELDS[field]) as string;
}
