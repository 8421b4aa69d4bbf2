import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import type { AlarmSubscription, AlarmThresholds } from '../config';
import { type AlarmSpec, type AlarmTargets, PERMANENT_FAILURE_CODES, pipelineAlarms } from './alarms';

export interface OperationsProps {
  readonly namePrefix: string;
  readonly region: string;
  /** What the alarms watch: functions, rules, the dead-letter queue and the functions' own metrics. */
  readonly targets: AlarmTargets;
  readonly thresholds: AlarmThresholds;
  /**
   * The account that owns the stack, for the alarm key's policy. Pass a plan-safe value such as
   * `arnPart(queue.arn, 'account')`, never `data.aws_caller_identity` (it calls STS, which the offline plan cannot).
   */
  readonly accountId: string;
  /** The partition of that account (`aws`, `aws-cn`, ...), e.g. `data.aws_partition`'s. */
  readonly partition: string;
  /** Days a deleted alarm key waits before KMS destroys it (7-30). Default 30. */
  readonly keyDeletionWindowDays?: number;
  /** Subscribers of the alarm topic (none by default: then nobody hears an alarm). */
  readonly subscriptions?: readonly AlarmSubscription[];
}

/**
 * What the account's principals may do with the alarm key, once their IAM policies allow it too
 * (the key policy delegates to IAM through the account root). Concrete actions only: no `kms:*`
 * and no `kms:Describe*`-style wildcards; asymmetric, HMAC and imported-material actions are left out
 * because the key is symmetric with KMS-generated material.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;
export const KEY_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;
/** What CloudWatch needs to publish alarm notifications to a topic encrypted with the key. */
export const CLOUDWATCH_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** A dashboard widget (CloudWatch's dashboard body schema, the parts used here). */
interface MetricWidget {
  readonly type: 'metric';
  readonly width: number;
  readonly height: number;
  readonly properties: {
    readonly title: string;
    readonly region: string;
    readonly stat: string;
    readonly period: number;
    readonly view: 'timeSeries';
    readonly metrics: readonly (readonly string[])[];
  };
}

const FUNCTION_METRICS = [
  { metric: 'Invocations', stat: 'Sum' },
  { metric: 'Duration', stat: 'p95' },
  { metric: 'Errors', stat: 'Sum' },
  { metric: 'Throttles', stat: 'Sum' },
] as const;

/** The dashboard body: one widget per metric, one line per function, plus the dead-letter queue. */
export function dashboardBody(props: {
  readonly region: string;
  readonly functionNames: readonly string[];
  readonly deadLetterQueueName: string;
  /** The pipeline's own rejections (`rejected` by `code`) per event-driven function's service. */
  readonly rejections?: { readonly namespace: string; readonly services: readonly string[] };
}): string {
  const widgets: MetricWidget[] = FUNCTION_METRICS.map(({ metric, stat }) => ({
    type: 'metric',
    width: 12,
    height: 6,
    properties: {
      title: `${metric} (${stat})`,
      region: props.region,
      stat,
      period: 60,
      view: 'timeSeries',
      metrics: props.functionNames.map((name) => ['AWS/Lambda', metric, 'FunctionName', name]),
    },
  }));
  widgets.push({
    type: 'metric',
    width: 12,
    height: 6,
    properties: {
      title: 'Dead-letter queue',
      region: props.region,
      stat: 'Maximum',
      period: 60,
      view: 'timeSeries',
      metrics: [
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', props.deadLetterQueueName],
        ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', props.deadLetterQueueName],
      ],
    },
  });
  if (props.rejections) {
    const { namespace, services } = props.rejections;
    widgets.push({
      type: 'metric',
      width: 12,
      height: 6,
      properties: {
        title: 'Rejected inputs by code (Sum)',
        region: props.region,
        stat: 'Sum',
        period: 300,
        view: 'timeSeries',
        metrics: services.flatMap((service) =>
          PERMANENT_FAILURE_CODES.map((code) => [namespace, 'rejected', 'service', service, 'code', code]),
        ),
      },
    });
  }
  return JSON.stringify({ widgets });
}

/**
 * The stack's alarms (`pipelineAlarms`: Lambda, EventBridge, the dead-letter queue, the pipeline's own
 * rejections by code, reconcile's silence), all to one SNS topic encrypted with its own customer-managed KMS key (the AWS-managed
 * `alias/aws/sns` key cannot be used: its policy does not let CloudWatch publish); and one CloudWatch
 * dashboard per stack.
 */
export class Operations extends Construct {
  readonly key: KmsKey;
  readonly keyPolicy: DataAwsIamPolicyDocument;
  readonly topic: SnsTopic;
  readonly dashboard: CloudwatchDashboard;
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const accountRoot = `arn:${props.partition}:iam::${props.accountId}:root`;
    this.keyPolicy = new DataAwsIamPolicyDocument(this, 'alarms-key-policy', {
      statement: [
        {
          // Without this the key could not be managed any more (and KMS refuses the policy).
          sid: 'KeyAdministrationByAccount',
          effect: 'Allow',
          actions: [...KEY_ADMINISTRATION_ACTIONS],
          resources: ['*'],
          principals: [{ type: 'AWS', identifiers: [accountRoot] }],
        },
        {
          sid: 'KeyUseByAccount',
          effect: 'Allow',
          actions: [...KEY_USE_ACTIONS],
          resources: ['*'],
          principals: [{ type: 'AWS', identifiers: [accountRoot] }],
        },
        {
          // Only on behalf of this account's alarms (confused-deputy protection).
          sid: 'CloudWatchAlarmsPublish',
          effect: 'Allow',
          actions: [...CLOUDWATCH_KEY_ACTIONS],
          resources: ['*'],
          principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] }],
        },
      ],
    });
    this.key = new KmsKey(this, 'alarms-key', {
      description: `${props.namePrefix}: encrypts the alarms SNS topic`,
      enableKeyRotation: true,
      deletionWindowInDays: props.keyDeletionWindowDays ?? 30,
      policy: this.keyPolicy.json,
    });
    new KmsAlias(this, 'alarms-key-alias', {
      name: `alias/${props.namePrefix}-alarms`,
      targetKeyId: this.key.keyId,
    });
    this.topic = new SnsTopic(this, 'alarms-topic', {
      name: `${props.namePrefix}-alarms`,
      kmsMasterKeyId: this.key.arn,
    });
    (props.subscriptions ?? []).forEach((sub, i) => {
      new SnsTopicSubscription(this, `alarm-subscription-${i}`, {
        topicArn: this.topic.arn,
        protocol: sub.protocol,
        endpoint: sub.endpoint,
      });
    });
    this.alarms = pipelineAlarms(props.targets, props.thresholds).map((spec) =>
      this.alarm(props.namePrefix, spec),
    );
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.namePrefix,
      dashboardBody: dashboardBody({
        region: props.region,
        functionNames: Object.values(props.targets.functions),
        deadLetterQueueName: props.targets.deadLetterQueueName,
        rejections: {
          namespace: props.targets.metricsNamespace,
          services: props.targets.eventDriven.map((fn) => props.targets.services[fn] ?? fn),
        },
      }),
    });
  }

  /** One alarm to the topic: a single metric directly, several summed with metric math. */
  private alarm(prefix: string, spec: AlarmSpec): CloudwatchMetricAlarm {
    const [only, ...more] = spec.metrics;
    const common = {
      alarmName: `${prefix}-${spec.id}`,
      alarmDescription: spec.description,
      evaluationPeriods: spec.evaluationPeriods,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison,
      treatMissingData: spec.treatMissingData,
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
    };
    if (only && more.length === 0) {
      return new CloudwatchMetricAlarm(this, spec.id, {
        ...common,
        namespace: only.namespace,
        metricName: only.metricName,
        dimensions: { ...only.dimensions },
        statistic: spec.statistic,
        period: spec.periodSeconds,
      });
    }
    // SUM([...]) adds what is there: a function that published nothing does not blank the total.
    return new CloudwatchMetricAlarm(this, spec.id, {
      ...common,
      metricQuery: [
        ...spec.metrics.map((m, i) => ({
          id: `m${i}`,
          returnData: false,
          metric: {
            namespace: m.namespace,
            metricName: m.metricName,
            dimensions: { ...m.dimensions },
            stat: spec.statistic,
            period: spec.periodSeconds,
          },
        })),
        {
          id: 'total',
          expression: `SUM([${spec.metrics.map((_, i) => `m${i}`).join(', ')}])`,
          label: spec.description,
          returnData: true,
        },
      ],
    });
  }
}
