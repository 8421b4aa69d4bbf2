/**
 * The stack's alarms as deployed (providers, names, the references they watch) and the synth-time
 * check that each alarm can fire and be heard (`checkAlarms`).
 */
import { checkAlarms } from '../src/policy/alarm-checks';
import type { TerraformJson } from '../src/policy/terraform-json';
import { type AlarmsSynth as Synth, alarmsOf, devStack, synthesized } from './helpers';

describe('the stack', () => {
  const tf = synthesized(devStack()) as unknown as Synth;

  it('adds a us-east-1 provider with the same tags as its own, for the CDN alarms', () => {
    const providers = tf.provider?.aws ?? [];
    expect(providers.map((p) => [p.alias, p.region])).toEqual([
      [undefined, 'eu-west-1'],
      ['us-east-1', 'us-east-1'],
    ]);
    const [own, east] = providers as Record<string, unknown>[];
    expect(east?.['default_tags']).toEqual(own?.['default_tags']);
  });

  it('has exactly these 31 alarms, the CDN one in us-east-1', () => {
    const alarms = Object.values(alarmsOf(tf)).map((a) => [
      a.alarm_name.replace(/^imgpipe-dev-/, ''),
      a.provider,
    ]);
    const pipeline = [
      'dlq-age',
      'dlq-depth',
      ...['metadata-sync', 'reconcile', 'resize'].flatMap((fn) => [
        `${fn}-async-dropped`,
        `${fn}-errors`,
        `${fn}-throttles`,
      ]),
      'metadata-sync-destination-failures',
      'resize-destination-failures',
      'object-created-failed-invocations',
      'object-deleted-failed-invocations',
      'schedule-reconcile-failed-invocations',
      'reconcile-not-succeeding',
      ...[
        'corrupt-image',
        'invalid-event',
        'key-too-long',
        'too-large',
        'too-many-pixels',
        'unsupported-format',
      ].map((code) => `rejected-${code}`),
    ];
    const delivery = ['api-4xx-rate', 'api-5xx-rate', 'api-errors', 'api-latency-p99', 'api-throttles'];
    expect(alarms.sort()).toEqual(
      [
        ...[...pipeline, ...delivery, 'render-errors', 'render-throttles'].map((id) => [id, undefined]),
        ['cdn-5xx-rate', 'aws.us-east-1'],
      ].sort(),
    );
  });

  it("alarms on its own HTTP API stage, functions and distribution, with the environment's names", () => {
    const alarms = alarmsOf(tf);
    const api = Object.keys(tf.resource['aws_apigatewayv2_api'] ?? {})[0];
    const stage = Object.keys(tf.resource['aws_apigatewayv2_stage'] ?? {})[0];
    const dist = Object.keys(tf.resource['aws_cloudfront_distribution'] ?? {})[0];
    expect(alarms['imgpipe-dev-api-latency-p99']?.['dimensions']).toEqual({
      ApiId: `\${aws_apigatewayv2_api.${api}.id}`,
      Stage: `\${aws_apigatewayv2_stage.${stage}.name}`,
    });
    expect(alarms['imgpipe-dev-render-errors']?.['dimensions']).toEqual({
      FunctionName: 'imgpipe-dev-render',
    });
    const cdn = alarms['imgpipe-dev-cdn-5xx-rate'];
    expect(cdn?.provider).toBe('aws.us-east-1');
    expect((cdn?.['metric_query'] as { metric?: { dimensions: unknown } }[])[0]?.metric?.dimensions).toEqual({
      DistributionId: `\${aws_cloudfront_distribution.${dist}.id}`,
      Region: 'Global',
    });
  });
});

describe('checkAlarms (a synth-time policy check)', () => {
  const tf = synthesized(devStack());

  it("passes the stack's alarms: each in its topic's region, the CDN's in us-east-1", () => {
    expect(checkAlarms(tf)).toEqual([]);
  });

  it('refuses a CloudFront alarm in the stack region, and an alarm notifying another region', () => {
    const alarms = tf.resource?.['aws_cloudwatch_metric_alarm'] ?? {};
    const [cdnId, cdn] =
      Object.entries(alarms).find(([, a]) => a['alarm_name'] === 'imgpipe-dev-cdn-5xx-rate') ?? [];
    expect(cdn).toBeDefined();
    // The CDN alarm moved to the stack's region (eu-west-1), still notifying the us-east-1 topic.
    const { provider: _dropped, ...moved } = cdn ?? {};
    const broken: TerraformJson = {
      ...tf,
      resource: { ...tf.resource, aws_cloudwatch_metric_alarm: { ...alarms, [cdnId ?? '']: moved } },
    };
    expect(checkAlarms(broken).map((v) => [v.code, v.message])).toEqual([
      [
        'ALARM_TOPIC_IN_OTHER_REGION',
        expect.stringMatching(/^alarm in eu-west-1 notifies topic .* in us-east-1$/),
      ],
      [
        'ALARM_TOPIC_IN_OTHER_REGION',
        expect.stringMatching(/^alarm in eu-west-1 notifies topic .* in us-east-1$/),
      ],
      [
        'CLOUDFRONT_ALARM_OUTSIDE_US_EAST_1',
        'alarm on CloudFront metrics in eu-west-1: CloudFront publishes them only in us-east-1',
      ],
    ]);
  });
});
