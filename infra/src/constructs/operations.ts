import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { AlarmSubscription, AlarmThresholds } from '../config';
import { InfraConfigError } from '../errors';
import { alarmTopic } from './alarm-topic';
import { type AlarmSpec, type AlarmTargets, pipelineAlarms } from './alarms';
import { CLOUDFRONT_METRICS_REGION, dashboardBody } from './dashboard';

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
  /**
   * A provider for `us-east-1`, where CloudFront publishes its metrics: the CDN's alarms and a topic
   * of their own (same name, key and subscribers) are created with it. Required for `targets.delivery`
   * unless `region` is `us-east-1`, where the stack's topic serves.
   */
  readonly usEast1Provider?: TerraformProvider;
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
  /** The topic of the alarms that live in `us-east-1` (the CDN's); the stack's topic there. */
  readonly usEast1Topic: SnsTopic;
  readonly dashboard: CloudwatchDashboard;
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const home = alarmTopic(this, props);
    this.key = home.key;
    this.keyPolicy = home.keyPolicy;
    this.topic = home.topic;
    const specs = pipelineAlarms(props.targets, props.thresholds);
    const needsUsEast1 = specs.some((spec) => spec.home === 'us-east-1');
    if (!needsUsEast1 || props.region === CLOUDFRONT_METRICS_REGION) {
      this.usEast1Topic = this.topic;
    } else {
      if (!props.usEast1Provider) {
        throw new InfraConfigError(
          `Expected a us-east-1 provider for the CDN's alarms (CloudFront publishes its metrics only there) but the stack in ${props.region} passed none`,
        );
      }
      // Same ids under their own scope: the stack region's resources keep their Terraform addresses.
      const global = new Construct(this, CLOUDFRONT_METRICS_REGION);
      this.usEast1Topic = alarmTopic(global, props, props.usEast1Provider).topic;
    }
    this.alarms = specs.map((spec) =>
      spec.home === 'us-east-1'
        ? this.alarm(props.namePrefix, spec, this.usEast1Topic, props.usEast1Provider)
        : this.alarm(props.namePrefix, spec, this.topic),
    );
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.namePrefix,
      dashboardBody: dashboardBody({
        region: props.region,
        functionNames: [
          ...Object.values(props.targets.functions),
          ...Object.values(props.targets.delivery?.httpFunctions ?? {}),
        ],
        deadLetterQueueName: props.targets.deadLetterQueueName,
        rejections: {
          namespace: props.targets.metricsNamespace,
          services: props.targets.eventDriven.map((fn) => props.targets.services[fn] ?? fn),
        },
        ...(props.targets.delivery ? { delivery: props.targets.delivery } : {}),
      }),
    });
  }

  /**
   * One alarm to its region's topic: a single metric directly, several summed with metric math, or
   * the spec's expression over them.
   */
  private alarm(
    prefix: string,
    spec: AlarmSpec,
    topic: SnsTopic,
    provider?: TerraformProvider,
  ): CloudwatchMetricAlarm {
    const [only, ...more] = spec.metrics;
    const percentile = /^p\d/.test(spec.statistic);
    const common = {
      alarmName: `${prefix}-${spec.id}`,
      alarmDescription: spec.description,
      evaluationPeriods: spec.evaluationPeriods,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison,
      treatMissingData: spec.treatMissingData,
      alarmActions: [topic.arn],
      okActions: [topic.arn],
      ...(spec.home === 'us-east-1' && provider ? { provider } : {}),
    };
    if (only && more.length === 0 && spec.expression === undefined) {
      return new CloudwatchMetricAlarm(this, spec.id, {
        ...common,
        namespace: only.namespace,
        metricName: only.metricName,
        dimensions: { ...only.dimensions },
        ...(percentile ? { extendedStatistic: spec.statistic } : { statistic: spec.statistic }),
        period: spec.periodSeconds,
      });
    }
    // SUM([...]) adds what is there: a function that published nothing does not blank the total.
    const expression = spec.expression ?? `SUM([${spec.metrics.map((_, i) => `m${i}`).join(', ')}])`;
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
            stat: m.statistic ?? spec.statistic,
            period: spec.periodSeconds,
          },
        })),
        { id: 'total', expression, label: spec.description, returnData: true },
      ],
    });
  }
}
