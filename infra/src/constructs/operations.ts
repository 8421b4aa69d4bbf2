import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import type { AlarmThresholds } from '../config';

export interface OperationsProps {
  readonly namePrefix: string;
  readonly region: string;
  /** Deployed function names (`imgpipe-dev-resize`, ...). */
  readonly functionNames: readonly string[];
  readonly deadLetterQueueName: string;
  readonly thresholds: AlarmThresholds;
  /** Subscribe this address to the alarm topic. */
  readonly alarmEmail?: string;
}

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
export function dashboardBody(props: Pick<OperationsProps, 'region' | 'functionNames' | 'deadLetterQueueName'>): string {
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
  return JSON.stringify({ widgets });
}

/**
 * Alarms on each function's errors and throttles and on the dead-letter queue's depth and oldest
 * message age, all to one SNS topic; and one CloudWatch dashboard per stack.
 */
export class Operations extends Construct {
  readonly topic: SnsTopic;
  readonly dashboard: CloudwatchDashboard;
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const t = props.thresholds;
    this.topic = new SnsTopic(this, 'alarms-topic', { name: `${props.namePrefix}-alarms` });
    if (props.alarmEmail) {
      new SnsTopicSubscription(this, 'alarm-email', { topicArn: this.topic.arn, protocol: 'email', endpoint: props.alarmEmail });
    }
    const alarm = (
      id: string,
      namespace: string,
      metricName: string,
      statistic: string,
      dimensions: Record<string, string>,
      threshold: number,
      description: string,
    ): CloudwatchMetricAlarm =>
      new CloudwatchMetricAlarm(this, id, {
        alarmName: `${props.namePrefix}-${id}`,
        alarmDescription: description,
        namespace,
        metricName,
        statistic,
        dimensions,
        period: t.periodSeconds,
        evaluationPeriods: t.evaluationPeriods,
        threshold,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [this.topic.arn],
        okActions: [this.topic.arn],
      });
    const alarms: CloudwatchMetricAlarm[] = [];
    for (const name of props.functionNames) {
      const short = name.slice(props.namePrefix.length + 1);
      const dims = { FunctionName: name };
      alarms.push(alarm(`${short}-errors`, 'AWS/Lambda', 'Errors', 'Sum', dims, t.errors, `${name} errors above ${t.errors}`));
      alarms.push(
        alarm(`${short}-throttles`, 'AWS/Lambda', 'Throttles', 'Sum', dims, t.throttles, `${name} throttles above ${t.throttles}`),
      );
    }
    const queue = { QueueName: props.deadLetterQueueName };
    alarms.push(
      alarm('dlq-depth', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum', queue, t.dlqDepth, 'Events parked in the dead-letter queue'),
      alarm(
        'dlq-age',
        'AWS/SQS',
        'ApproximateAgeOfOldestMessage',
        'Maximum',
        queue,
        t.dlqAgeSeconds,
        `A dead-letter message is older than ${t.dlqAgeSeconds} s`,
      ),
    );
    this.alarms = alarms;
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.namePrefix,
      dashboardBody: dashboardBody(props),
    });
  }
}
