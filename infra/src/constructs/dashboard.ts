import type { DeliveryTargets } from './alarms';
import { PERMANENT_FAILURE_CODES } from './alarms';

/** The region CloudFront publishes its metrics in (with dimension `Region: Global`). */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

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

/**
 * The dashboard body: one widget per metric, one line per function, plus the dead-letter queue, the
 * pipeline's rejections, and with the image API its stage's answers and latency and the CDN's error
 * rates (a widget may read another region: CloudFront's are in us-east-1).
 */
export function dashboardBody(props: {
  readonly region: string;
  readonly functionNames: readonly string[];
  readonly deadLetterQueueName: string;
  /** The pipeline's own rejections (`rejected` by `code`) per event-driven function's service. */
  readonly rejections?: { readonly namespace: string; readonly services: readonly string[] };
  readonly delivery?: DeliveryTargets;
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
  if (props.delivery) widgets.push(...deliveryWidgets(props.region, props.delivery));
  return JSON.stringify({ widgets });
}

function deliveryWidgets(region: string, d: DeliveryTargets): MetricWidget[] {
  const stage = ['ApiId', d.httpApi.apiId, 'Stage', d.httpApi.stage];
  const cdn = ['DistributionId', d.distributionId, 'Region', 'Global'];
  const widget = (title: string, widgetRegion: string, stat: string, metrics: string[][]): MetricWidget => ({
    type: 'metric',
    width: 12,
    height: 6,
    properties: { title, region: widgetRegion, stat, period: 60, view: 'timeSeries', metrics },
  });
  return [
    widget('Image API answers (Sum)', region, 'Sum', [
      ['AWS/ApiGateway', 'Count', ...stage],
      ['AWS/ApiGateway', '4xx', ...stage],
      ['AWS/ApiGateway', '5xx', ...stage],
    ]),
    widget('Image API latency (p99)', region, 'p99', [
      ['AWS/ApiGateway', 'Latency', ...stage],
      ['AWS/ApiGateway', 'IntegrationLatency', ...stage],
    ]),
    widget('CDN error rates (%)', CLOUDFRONT_METRICS_REGION, 'Average', [
      ['AWS/CloudFront', '4xxErrorRate', ...cdn],
      ['AWS/CloudFront', '5xxErrorRate', ...cdn],
    ]),
  ];
}
