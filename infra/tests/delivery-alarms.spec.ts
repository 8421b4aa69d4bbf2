import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import type { AlarmSubscription } from '../src/config';
import { deliveryAlarms } from '../src/constructs/alarms';
import { Operations } from '../src/constructs/operations';
import { InfraConfigError } from '../src/errors';
import { type AlarmsSynth as Synth, TEST_THRESHOLDS, alarmsOf } from './helpers';

const delivery = {
  httpFunctions: { api: 'imgpipe-t-api', render: 'imgpipe-t-render' },
  httpApi: { apiId: 'abc123', stage: '$default' },
  distributionId: 'E2DIST',
};

function synthOps(
  region: string,
  options: { subscriptions?: readonly AlarmSubscription[]; usEast1?: boolean } = {},
): Synth {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const usEast1 = options.usEast1
        ? new AwsProvider(scope, 'aws-us-east-1', { alias: 'us-east-1', region: 'us-east-1' })
        : undefined;
      new Operations(scope, 'ops', {
        namePrefix: 'imgpipe-t',
        region,
        targets: {
          functions: { resize: 'imgpipe-t-resize' },
          eventDriven: ['resize'],
          scheduled: 'resize',
          rules: {},
          deadLetterQueueName: 'imgpipe-t-dlq',
          metricsNamespace: 'imgpipe/t',
          services: { resize: 'imgpipe-resize' },
          delivery,
        },
        accountId: '123456789012',
        partition: 'aws',
        thresholds: TEST_THRESHOLDS,
        subscriptions: options.subscriptions ?? [],
        ...(usEast1 ? { usEast1Provider: usEast1 } : {}),
      });
    }),
  ) as Synth;
}

/** The Terraform id of the alarm topic whose name is `name` and that has (or has not) a provider. */
function topicIds(tf: Synth): { id: string; provider: string | undefined }[] {
  return Object.entries(tf.resource['aws_sns_topic'] ?? {}).map(([id, t]) => ({
    id,
    provider: t['provider'] as string | undefined,
  }));
}

const rate = (metric: string, namespace: string, dims: Record<string, string>) => [
  {
    id: 'm0',
    return_data: false,
    metric: { namespace, metric_name: metric, dimensions: dims, stat: 'Sum', period: 60 },
  },
  {
    id: 'm1',
    return_data: false,
    metric: { namespace, metric_name: 'Count', dimensions: dims, stat: 'Sum', period: 60 },
  },
];

describe('the image API and CDN alarms', () => {
  const tf = synthOps('eu-west-1', { usEast1: true });
  const alarms = alarmsOf(tf);
  const topics = topicIds(tf);
  const regional = topics.find((t) => t.provider === undefined);
  const global = topics.find((t) => t.provider === 'aws.us-east-1');

  it('are exactly these, beside the pipeline alarms', () => {
    expect(deliveryAlarms(delivery, TEST_THRESHOLDS).map((a) => a.id)).toEqual([
      'api-errors',
      'api-throttles',
      'render-errors',
      'render-throttles',
      'api-5xx-rate',
      'api-4xx-rate',
      'api-latency-p99',
      'cdn-5xx-rate',
    ]);
    for (const id of deliveryAlarms(delivery, TEST_THRESHOLDS).map((a) => a.id))
      expect(alarms[`imgpipe-t-${id}`]).toBeDefined();
  });

  it('alarm on api and render errors and throttles, like the event functions, in the stack region', () => {
    for (const fn of ['api', 'render']) {
      for (const [metric, threshold] of [
        ['Errors', 3],
        ['Throttles', 4],
      ] as const) {
        expect(alarms[`imgpipe-t-${fn}-${metric.toLowerCase()}`]).toEqual({
          alarm_name: `imgpipe-t-${fn}-${metric.toLowerCase()}`,
          alarm_description: `imgpipe-t-${fn} ${metric.toLowerCase()} above ${threshold}`,
          namespace: 'AWS/Lambda',
          metric_name: metric,
          dimensions: { FunctionName: `imgpipe-t-${fn}` },
          statistic: 'Sum',
          period: 60,
          evaluation_periods: 2,
          threshold,
          comparison_operator: 'GreaterThanThreshold',
          treat_missing_data: 'notBreaching',
          alarm_actions: [`\${aws_sns_topic.${regional?.id}.arn}`],
          ok_actions: [`\${aws_sns_topic.${regional?.id}.arn}`],
        });
      }
    }
  });

  it("alarm on the stage's 5xx rate and 4xx spikes, in percent of its requests, only over busy enough periods", () => {
    const stage = { ApiId: 'abc123', Stage: '$default' };
    for (const [code, threshold] of [
      ['5xx', 5],
      ['4xx', 30],
    ] as const) {
      const alarm = alarms[`imgpipe-t-api-${code}-rate`];
      expect(alarm).toMatchObject({
        threshold,
        comparison_operator: 'GreaterThanThreshold',
        evaluation_periods: 2,
        treat_missing_data: 'notBreaching',
        alarm_actions: [`\${aws_sns_topic.${regional?.id}.arn}`],
      });
      expect(alarm?.provider).toBeUndefined();
      expect(alarm?.['metric_query']).toEqual([
        ...rate(code, 'AWS/ApiGateway', stage),
        {
          id: 'total',
          expression: 'IF(m1 >= 20, 100 * m0 / m1, 0)',
          label: `More than ${threshold}% of API requests answered ${code} (periods with 20+ requests)`,
          return_data: true,
        },
      ]);
    }
  });

  it("alarm on the stage's p99 latency with the extended statistic", () => {
    expect(alarms['imgpipe-t-api-latency-p99']).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: 'Latency',
      dimensions: { ApiId: 'abc123', Stage: '$default' },
      extended_statistic: 'p99',
      threshold: 2500,
      period: 60,
    });
    expect(alarms['imgpipe-t-api-latency-p99']).not.toHaveProperty('statistic');
  });

  it("alarm on the CDN's 5xx rate in us-east-1 (where CloudFront publishes), to a topic of that region", () => {
    expect(global).toBeDefined();
    const cdn = { DistributionId: 'E2DIST', Region: 'Global' };
    expect(alarms['imgpipe-t-cdn-5xx-rate']).toEqual({
      alarm_name: 'imgpipe-t-cdn-5xx-rate',
      alarm_description: 'More than 2% of CDN requests answered 5xx (periods with 20+ requests)',
      provider: 'aws.us-east-1',
      threshold: 2,
      comparison_operator: 'GreaterThanThreshold',
      evaluation_periods: 2,
      treat_missing_data: 'notBreaching',
      alarm_actions: [`\${aws_sns_topic.${global?.id}.arn}`],
      ok_actions: [`\${aws_sns_topic.${global?.id}.arn}`],
      metric_query: [
        {
          id: 'm0',
          return_data: false,
          metric: {
            namespace: 'AWS/CloudFront',
            metric_name: '5xxErrorRate',
            dimensions: cdn,
            stat: 'Average',
            period: 60,
          },
        },
        {
          id: 'm1',
          return_data: false,
          metric: {
            namespace: 'AWS/CloudFront',
            metric_name: 'Requests',
            dimensions: cdn,
            stat: 'Sum',
            period: 60,
          },
        },
        {
          id: 'total',
          expression: 'IF(m1 >= 20, m0, 0)',
          label: 'More than 2% of CDN requests answered 5xx (periods with 20+ requests)',
          return_data: true,
        },
      ],
    });
  });

  it('give the us-east-1 topic its own key there, and the same name and subscribers', () => {
    const subscribed = synthOps('eu-west-1', {
      usEast1: true,
      subscriptions: [{ protocol: 'email', endpoint: 'ops@example.com' }],
    });
    const named = (type: string) =>
      Object.values(subscribed.resource[type] ?? {}).map((r) => [r['provider'], r['name'] ?? r['endpoint']]);
    expect(named('aws_sns_topic')).toEqual([
      [undefined, 'imgpipe-t-alarms'],
      ['aws.us-east-1', 'imgpipe-t-alarms'],
    ]);
    expect(named('aws_kms_alias')).toEqual([
      [undefined, 'alias/imgpipe-t-alarms'],
      ['aws.us-east-1', 'alias/imgpipe-t-alarms'],
    ]);
    expect(named('aws_sns_topic_subscription')).toEqual([
      [undefined, 'ops@example.com'],
      ['aws.us-east-1', 'ops@example.com'],
    ]);
    const keys = Object.entries(subscribed.resource['aws_kms_key'] ?? {});
    expect(keys.map(([, k]) => k['provider'])).toEqual([undefined, 'aws.us-east-1']);
    const globalTopic = Object.values(subscribed.resource['aws_sns_topic'] ?? {})[1];
    expect(globalTopic?.['kms_master_key_id']).toBe(`\${aws_kms_key.${keys[1]?.[0]}.arn}`);
  });

  it('use the one topic when the stack is in us-east-1', () => {
    const east = synthOps('us-east-1');
    expect(topicIds(east)).toEqual([{ id: expect.any(String), provider: undefined }]);
    const cdnAlarm = alarmsOf(east)['imgpipe-t-cdn-5xx-rate'];
    expect(cdnAlarm?.provider).toBeUndefined();
    expect(cdnAlarm?.alarm_actions).toEqual([`\${aws_sns_topic.${topicIds(east)[0]?.id}.arn}`]);
  });

  it('refuse a stack outside us-east-1 without a us-east-1 provider', () => {
    expect(() => synthOps('eu-west-1')).toThrow(InfraConfigError);
    expect(() => synthOps('eu-west-1')).toThrow(/Expected a us-east-1 provider for the CDN's alarms/);
  });

  it('draw the stage and the CDN on the dashboard, the CDN from us-east-1', () => {
    const body = JSON.parse(
      (Object.values(tf.resource['aws_cloudwatch_dashboard'] ?? {})[0] as { dashboard_body: string })
        .dashboard_body,
    ) as { widgets: { properties: { title: string; region: string; metrics: string[][] } }[] };
    const byTitle = Object.fromEntries(body.widgets.map((w) => [w.properties.title, w.properties]));
    const stage = ['ApiId', 'abc123', 'Stage', '$default'];
    expect(byTitle['Image API answers (Sum)']).toMatchObject({
      region: 'eu-west-1',
      metrics: [
        ['AWS/ApiGateway', 'Count', ...stage],
        ['AWS/ApiGateway', '4xx', ...stage],
        ['AWS/ApiGateway', '5xx', ...stage],
      ],
    });
    expect(byTitle['CDN error rates (%)']).toMatchObject({
      region: 'us-east-1',
      metrics: [
        ['AWS/CloudFront', '4xxErrorRate', 'DistributionId', 'E2DIST', 'Region', 'Global'],
        ['AWS/CloudFront', '5xxErrorRate', 'DistributionId', 'E2DIST', 'Region', 'Global'],
      ],
    });
    expect(byTitle['Errors (Sum)']?.metrics.map((m) => m[3])).toEqual([
      'imgpipe-t-resize',
      'imgpipe-t-api',
      'imgpipe-t-render',
    ]);
  });
});
