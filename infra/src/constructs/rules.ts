import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { FunctionName, PipelineDefinition } from '@imgpipe/pipeline';
import { Construct } from 'constructs';
import type { DeployedFunction } from './functions';
import { tlsOnlyStatement } from './iam';

export interface RulesProps {
  readonly pipeline: PipelineDefinition;
  readonly namePrefix: string;
  readonly functions: Readonly<Record<FunctionName, DeployedFunction>>;
  readonly deadLetterQueue: SqsQueue;
  /** EventBridge's own retry before an event goes to the target DLQ. Default: 24 h, 185 attempts. */
  readonly retry?: { readonly maximumEventAgeInSeconds: number; readonly maximumRetryAttempts: number };
}

const DEFAULT_RETRY = { maximumEventAgeInSeconds: 24 * 60 * 60, maximumRetryAttempts: 185 };

/**
 * The deployed name of each rule, by its short name: `object-created` → `<prefix>-object-created`,
 * the reconcile schedule `schedule-reconcile` → `<prefix>-schedule-reconcile`.
 */
export function ruleNames(pipeline: PipelineDefinition, namePrefix: string): Record<string, string> {
  const ids = [
    ...pipeline.rules.map((spec) => spec.name),
    ...pipeline.schedules.map((schedule) => `schedule-${schedule.name}`),
  ];
  return Object.fromEntries(ids.map((id) => [id, `${namePrefix}-${id}`]));
}

/**
 * The EventBridge rules from the pipeline definition: the S3 rules (patterns pinned to the source
 * bucket, so the derived bucket can never trigger a function) and the schedules, each target with a
 * retry policy and the dead-letter queue, plus the Lambda permissions and the queue policy that let
 * exactly these rules invoke and park events.
 */
export class Rules extends Construct {
  readonly rules: readonly CloudwatchEventRule[];

  constructor(scope: Construct, id: string, props: RulesProps) {
    super(scope, id);
    const retry = props.retry ?? DEFAULT_RETRY;
    const names = ruleNames(props.pipeline, props.namePrefix);
    const rules: CloudwatchEventRule[] = [];
    const target = (rule: CloudwatchEventRule, ruleName: string, fn: FunctionName): void => {
      const lambda = props.functions[fn].lambda;
      new CloudwatchEventTarget(this, `${ruleName}-${fn}`, {
        rule: rule.name,
        targetId: fn,
        arn: lambda.arn,
        retryPolicy: retry,
        deadLetterConfig: { arn: props.deadLetterQueue.arn },
      });
      new LambdaPermission(this, `${ruleName}-${fn}-permission`, {
        statementId: `invoke-from-${ruleName}`,
        action: 'lambda:InvokeFunction',
        functionName: lambda.functionName,
        principal: 'events.amazonaws.com',
        sourceArn: rule.arn,
      });
    };
    for (const spec of props.pipeline.rules) {
      const rule = new CloudwatchEventRule(this, spec.name, {
        name: names[spec.name],
        description: spec.description,
        eventPattern: JSON.stringify(spec.pattern),
      });
      rules.push(rule);
      for (const fn of spec.targets) target(rule, spec.name, fn);
    }
    for (const schedule of props.pipeline.schedules) {
      const rule = new CloudwatchEventRule(this, `schedule-${schedule.name}`, {
        name: names[`schedule-${schedule.name}`],
        description: schedule.description,
        scheduleExpression: schedule.expression,
      });
      rules.push(rule);
      target(rule, `schedule-${schedule.name}`, schedule.target);
    }
    this.rules = rules;

    const queuePolicy = new DataAwsIamPolicyDocument(this, 'dlq-policy-document', {
      statement: [
        {
          sid: 'RulesParkUndeliverableEvents',
          effect: 'Allow',
          actions: ['sqs:SendMessage'],
          resources: [props.deadLetterQueue.arn],
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          condition: [
            { test: 'ArnEquals', variable: 'aws:SourceArn', values: rules.map((rule) => rule.arn) },
          ],
        },
        tlsOnlyStatement('sqs:*', [props.deadLetterQueue.arn]),
      ],
    });
    new SqsQueuePolicy(this, 'dlq-policy', { queueUrl: props.deadLetterQueue.url, policy: queuePolicy.json });
  }
}
