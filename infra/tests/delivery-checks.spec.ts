import { checkDelivery } from '../src/policy/delivery-checks';
import type { TerraformJson } from '../src/policy/terraform-json';

const distribution = (origin: Record<string, unknown>): TerraformJson => ({
  resource: {
    aws_cloudfront_origin_access_control: {
      always: { origin_access_control_origin_type: 's3', signing_behavior: 'always' },
      sometimes: { origin_access_control_origin_type: 's3', signing_behavior: 'no-override' },
    },
    aws_cloudfront_distribution: { cdn: { origin: [origin] } },
  },
});

describe('checkDelivery', () => {
  it('lets health alone go without a token, and nothing else', () => {
    const tf: TerraformJson = {
      resource: {
        aws_apigatewayv2_route: {
          health: { route_key: 'GET /v1/health', authorization_type: 'NONE' },
          list: { route_key: 'GET /v1/images' },
          get: { route_key: 'GET /v1/images/{id}', authorization_type: 'JWT' },
        },
      },
    };
    expect(checkDelivery(tf)).toEqual([
      {
        code: 'ROUTE_WITHOUT_AUTH',
        path: 'aws_apigatewayv2_route.list',
        message: 'route "GET /v1/images" has no authorizer (only GET /v1/health may)',
      },
    ]);
  });

  it('accepts an S3 origin only through an always-signing S3 OAC, never a legacy identity', () => {
    const bucket = '${aws_s3_bucket.derived.bucket_regional_domain_name}';
    const oac = (name: string) => `\${aws_cloudfront_origin_access_control.${name}.id}`;
    expect(
      checkDelivery(
        distribution({ origin_id: 'a', domain_name: bucket, origin_access_control_id: oac('always') }),
      ),
    ).toEqual([]);
    const bad = [
      { origin_id: 'b', domain_name: bucket },
      { origin_id: 'c', domain_name: bucket, origin_access_control_id: oac('sometimes') },
      { origin_id: 'd', domain_name: 'x.s3.eu-west-1.amazonaws.com' },
      {
        origin_id: 'e',
        domain_name: bucket,
        origin_access_control_id: oac('always'),
        s3_origin_config: { origin_access_identity: 'origin-access-identity/cloudfront/E1' },
      },
    ];
    for (const origin of bad) {
      expect(checkDelivery(distribution(origin)).map((v) => v.code)).toEqual(['S3_ORIGIN_WITHOUT_OAC']);
    }
    expect(checkDelivery(distribution({ origin_id: 'api', domain_name: 'example.com' }))).toEqual([]);
  });
});
