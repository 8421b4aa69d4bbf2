import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Testing } from 'cdktf';
import { Operations } from '../src/constructs/operations';

const thresholds = { periodSeconds: 60, evaluationPeriods: 2, errors: 3, throttles: 4, dlqDepth: 0, dlqAgeSeconds: 600 };
const functionNames = ['imgpipe-t-resize', 'imgpipe-t-metadata-sync', 'imgpipe-t-reconcile'];

function synthOps(alarmEmail?: string): string {
  return Testing.synthScope((scope) => {
    new Operations(scope, 'ops', {
      namePrefix: 'imgpipe-t',
      region: 'eu-west-1',
      functionNames,
      deadLetterQueueName: 'imgpipe-t-dlq',
      thresholds,
      ...(alarmEmail ? { alarmEmail } : {}),
    });
  });
}

describe('Operations', () => {
  const synth = synthOps();
  const tf = JSON.parse(synth);

  it('alarms on each function errors and throttles', () => {
    for (const name of functionNames) {
      expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        namespace: 'AWS/Lambda',
        metric_name: 'Errors',
        dimensions: { FunctionName: name },
        threshold: 3,
        period: 60,
        evaluation_periods: 2,
      });
      expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        namespace: 'AWS/Lambda',
        metric_name: 'Throttles',
        dimensions: { FunctionName: name },
        threshold: 4,
      });
    }
  });

  it('alarms on the dead-letter queue depth and oldest message age', () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'imgpipe-t-dlq' },
      threshold: 0,
    });
    expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: 'imgpipe-t-dlq' },
      threshold: 600,
    });
  });

  it('sends every alarm to the SNS topic', () => {
    expect(synth).toHaveResourceWithProperties(SnsTopic, { name: 'imgpipe-t-alarms' });
    const alarms = Object.values(tf.resource.aws_cloudwatch_metric_alarm) as { alarm_actions: string[] }[];
    expect(alarms).toHaveLength(8);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\..*\.arn\}$/)]);
  });

  it('subscribes an alarm e-mail only when one is configured', () => {
    expect(synth).not.toHaveResource(SnsTopicSubscription);
    expect(synthOps('ops@example.com')).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: 'email',
      endpoint: 'ops@example.com',
    });
  });

  it('draws invocations, duration, errors and throttles per function on one dashboard', () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchDashboard, { dashboard_name: 'imgpipe-t' });
    const body = JSON.parse((Object.values(tf.resource.aws_cloudwatch_dashboard)[0] as { dashboard_body: string }).dashboard_body);
    const byMetric = new Map<string, string[]>();
    for (const widget of body.widgets as { properties: { metrics: string[][] } }[]) {
      for (const [namespace, metric, , name] of widget.properties.metrics) {
        if (namespace === 'AWS/Lambda' && metric && name) byMetric.set(metric, [...(byMetric.get(metric) ?? []), name]);
      }
    }
    for (const metric of ['Invocations', 'Duration', 'Errors', 'Throttles']) expect(byMetric.get(metric)).toEqual(functionNames);
  });
});
