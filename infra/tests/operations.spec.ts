import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { PERMANENT_FAILURE_CODES } from '../src/constructs/alarms';
import { functionNames, synthOps } from './operations-synth';

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
    // 3 functions × (errors, throttles, async dropped) + 2 destinations + 3 rules + 2 DLQ + 6 codes + reconcile.
    expect(alarms).toHaveLength(23);
    for (const alarm of alarms)
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\..*\.arn\}$/)]);
  });

  it('alarms on dropped async events per function and failed destination deliveries of the event-driven ones', () => {
    const alarmed = (metric: string) =>
      (
        Object.values(tf.resource.aws_cloudwatch_metric_alarm) as {
          metric_name?: string;
          dimensions?: { FunctionName: string };
        }[]
      )
        .filter((alarm) => alarm.metric_name === metric)
        .map((alarm) => alarm.dimensions?.FunctionName)
        .sort();
    expect(alarmed('AsyncEventsDropped')).toEqual([...functionNames].sort());
    expect(alarmed('DestinationDeliveryFailures')).toEqual(['imgpipe-t-metadata-sync', 'imgpipe-t-resize']);
  });

  it('alarms on failed invocations of every EventBridge rule', () => {
    for (const rule of [
      'imgpipe-t-object-created',
      'imgpipe-t-object-deleted',
      'imgpipe-t-schedule-reconcile',
    ]) {
      expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `${rule}-failed-invocations`,
        namespace: 'AWS/Events',
        metric_name: 'FailedInvocations',
        dimensions: { RuleName: rule },
        statistic: 'Sum',
        threshold: 0,
      });
    }
  });

  it("alarms on a flood of each permanent failure code, summed over the event-driven functions, in the environment's namespace", () => {
    for (const code of PERMANENT_FAILURE_CODES) {
      expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `imgpipe-t-rejected-${code.toLowerCase().replace(/_/g, '-')}`,
        comparison_operator: 'GreaterThanThreshold',
        threshold: 7,
        metric_query: [
          {
            id: 'm0',
            return_data: false,
            metric: {
              namespace: 'imgpipe/t',
              metric_name: 'rejected',
              dimensions: { service: 'imgpipe-resize', code },
              stat: 'Sum',
              period: 60,
            },
          },
          {
            id: 'm1',
            return_data: false,
            metric: {
              namespace: 'imgpipe/t',
              metric_name: 'rejected',
              dimensions: { service: 'imgpipe-metadata-sync', code },
              stat: 'Sum',
              period: 60,
            },
          },
          expect.objectContaining({ id: 'total', expression: 'SUM([m0, m1])', return_data: true }),
        ],
      });
    }
    expect(PERMANENT_FAILURE_CODES).toEqual([
      'INVALID_EVENT',
      'UNSUPPORTED_FORMAT',
      'CORRUPT_IMAGE',
      'TOO_MANY_PIXELS',
      'TOO_LARGE',
      'KEY_TOO_LONG',
    ]);
  });

  it('alarms when reconcile reported no successful run in two schedule periods (silence breaches)', () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'imgpipe-t-reconcile-not-succeeding',
      namespace: 'imgpipe/t',
      metric_name: 'processed',
      dimensions: { service: 'imgpipe-reconcile' },
      statistic: 'SampleCount',
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      period: 3600,
      evaluation_periods: 2,
      treat_missing_data: 'breaching',
    });
  });

  it('draws invocations, duration, errors and throttles per function on one dashboard', () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchDashboard, { dashboard_name: 'imgpipe-t' });
    const body = JSON.parse(
      (Object.values(tf.resource.aws_cloudwatch_dashboard)[0] as { dashboard_body: string }).dashboard_body,
    );
    const byMetric = new Map<string, string[]>();
    for (const widget of body.widgets as { properties: { metrics: string[][] } }[]) {
      for (const [namespace, metric, , name] of widget.properties.metrics) {
        if (namespace === 'AWS/Lambda' && metric && name)
          byMetric.set(metric, [...(byMetric.get(metric) ?? []), name]);
      }
    }
    for (const metric of ['Invocations', 'Duration', 'Errors', 'Throttles'])
      expect(byMetric.get(metric)).toEqual(functionNames);
    const rejected = (body.widgets as { properties: { title: string; metrics: string[][] } }[]).find(
      (w) => w.properties.title === 'Rejected inputs by code (Sum)',
    );
    expect(rejected?.properties.metrics).toEqual(
      ['imgpipe-resize', 'imgpipe-metadata-sync'].flatMap((service) =>
        PERMANENT_FAILURE_CODES.map((code) => ['imgpipe/t', 'rejected', 'service', service, 'code', code]),
      ),
    );
  });
});
