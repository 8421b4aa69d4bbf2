import { blocks, constructPath, resources, type TerraformJson } from './terraform-json';

export interface AlarmViolation {
  readonly code: 'ALARM_TOPIC_IN_OTHER_REGION' | 'CLOUDFRONT_ALARM_OUTSIDE_US_EAST_1';
  readonly path: string;
  readonly message: string;
}

/** The region a resource's `provider` (`aws.<alias>`, or none: the default one) deploys into. */
function regionOf(tf: TerraformJson, provider: unknown): string | undefined {
  const alias = typeof provider === 'string' ? provider.replace(/^aws\./, '') : undefined;
  const block = (tf.provider?.['aws'] ?? []).find((p) => p['alias'] === alias);
  return typeof block?.['region'] === 'string' ? block['region'] : undefined;
}

/** The namespaces an alarm reads: its metric's, or each metric's of its metric math. */
function namespaces(alarm: Readonly<Record<string, unknown>>): string[] {
  const direct = typeof alarm['namespace'] === 'string' ? [alarm['namespace']] : [];
  const queried = blocks(alarm['metric_query']).flatMap((q) =>
    blocks(q['metric']).map((m) => String(m['namespace'])),
  );
  return [...direct, ...queried];
}

/**
 * What CloudWatch needs of an alarm to ever fire and be heard, which no plan reports: every topic it
 * notifies is in its own region (an alarm cannot publish to another region's topic), and an alarm on
 * CloudFront's metrics is in us-east-1 (CloudFront publishes them nowhere else).
 */
export function checkAlarms(tf: TerraformJson): AlarmViolation[] {
  const topics = new Map(
    resources(tf, 'aws_sns_topic').map((t) => [t.name, regionOf(tf, t.block['provider'])]),
  );
  const out: AlarmViolation[] = [];
  for (const alarm of resources(tf, 'aws_cloudwatch_metric_alarm')) {
    const region = regionOf(tf, alarm.block['provider']);
    const path = constructPath(alarm);
    const actions = [
      ...((alarm.block['alarm_actions'] as string[] | undefined) ?? []),
      ...((alarm.block['ok_actions'] as string[] | undefined) ?? []),
    ];
    for (const action of actions) {
      const topic = /^\$\{aws_sns_topic\.([^.]+)\.arn\}$/.exec(action)?.[1];
      if (topic !== undefined && topics.has(topic) && topics.get(topic) !== region) {
        out.push({
          code: 'ALARM_TOPIC_IN_OTHER_REGION',
          path,
          message: `alarm in ${region ?? '?'} notifies topic ${topic} in ${topics.get(topic) ?? '?'}`,
        });
      }
    }
    if (namespaces(alarm.block).includes('AWS/CloudFront') && region !== 'us-east-1') {
      out.push({
        code: 'CLOUDFRONT_ALARM_OUTSIDE_US_EAST_1',
        path,
        message: `alarm on CloudFront metrics in ${region ?? '?'}: CloudFront publishes them only in us-east-1`,
      });
    }
  }
  return out;
}
