import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { CDN_NOT_FOUND_KEY, DEFAULT_CDN, errorCacheControl } from '@imgpipe/pipeline';
import { Testing } from 'cdktf';
import { SecureBucket } from '../src/constructs/bucket';
import { Cdn } from '../src/constructs/cdn';

type Block = Record<string, unknown>;
interface Synth {
  resource: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
}

const synth = Testing.synthScope((scope) => {
  const derived = new SecureBucket(scope, 'derived', {
    bucketName: 'imgpipe-test-derived',
    noncurrentVersionDays: 7,
    abortMultipartDays: 1,
  });
  const render = new LambdaFunction(scope, 'render', {
    functionName: 'imgpipe-test-render',
    role: 'arn:aws:iam::123456789012:role/r',
  });
  const cdn = new Cdn(scope, 'cdn', { namePrefix: 'imgpipe-test', derived, render, cdn: DEFAULT_CDN });
  const resizeRole = new IamRole(scope, 'resize-role', {
    name: 'imgpipe-test-resize',
    assumeRolePolicy: '{}',
  });
  cdn.grantInvalidation(resizeRole, 'resize');
});
const tf = JSON.parse(synth) as Synth;
const one = (type: string): Block => {
  const all = Object.values(tf.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`Expected one ${type} but found ${all.length}`);
  return all[0] as Block;
};
const distribution = one('aws_cloudfront_distribution');

describe('Cdn', () => {
  it('reads the private derived bucket through an S3 Origin Access Control that always signs', () => {
    expect(synth).toHaveResourceWithProperties(CloudfrontOriginAccessControl, {
      name: 'imgpipe-test-derived',
      origin_access_control_origin_type: 's3',
      signing_behavior: 'always',
      signing_protocol: 'sigv4',
    });
    const [s3] = distribution['origin'] as Block[];
    expect(s3).toEqual({
      origin_id: 'derived',
      domain_name: '${aws_s3_bucket.derived_bucket_93C6FE41.bucket_regional_domain_name}',
      origin_access_control_id: expect.stringMatching(
        /^\$\{aws_cloudfront_origin_access_control\.cdn_s3-access_/,
      ),
    });
  });

  it('merges the TLS-only deny and the distribution read into the bucket one policy, with no ListBucket', () => {
    expect(Object.keys(tf.resource['aws_s3_bucket_policy'] ?? {})).toHaveLength(1);
    const policy = one('aws_s3_bucket_policy');
    const docName = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(
      String(policy['policy']),
    )?.[1];
    const statements = tf.data['aws_iam_policy_document']?.[docName ?? '']?.['statement'] as Block[];
    expect(statements.map((s) => [s['sid'], s['effect'], s['actions']])).toEqual([
      ['DenyInsecureTransport', 'Deny', ['s3:*']],
      ['CdnReadsVariants', 'Allow', ['s3:GetObject']],
    ]);
    expect(statements[1]).toEqual({
      sid: 'CdnReadsVariants',
      effect: 'Allow',
      actions: ['s3:GetObject'],
      resources: ['${aws_s3_bucket.derived_bucket_93C6FE41.arn}/*'],
      principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
      condition: [
        {
          test: 'StringEquals',
          variable: 'AWS:SourceArn',
          values: [
            expect.stringMatching(/^\$\{aws_cloudfront_distribution\.cdn_distribution_[0-9A-F]+\.arn\}$/),
          ],
        },
      ],
    });
  });

  it('caches by the path and the one version parameter, lifetimes bounded by the CDN max-age', () => {
    expect(synth).toHaveResourceWithProperties(CloudfrontCachePolicy, {
      name: 'imgpipe-test-variants',
      min_ttl: 0,
      default_ttl: DEFAULT_CDN.cdnMaxAgeSeconds,
      max_ttl: DEFAULT_CDN.cdnMaxAgeSeconds,
      parameters_in_cache_key_and_forwarded_to_origin: {
        cookies_config: { cookie_behavior: 'none' },
        headers_config: { header_behavior: 'none' },
        query_strings_config: { query_string_behavior: 'whitelist', query_strings: { items: ['v'] } },
        enable_accept_encoding_gzip: false,
        enable_accept_encoding_brotli: false,
      },
    });
    expect(DEFAULT_CDN.browserMaxAgeSeconds).toBeLessThan(DEFAULT_CDN.cdnMaxAgeSeconds);
  });

  it('fails over from S3 to the render Function URL when a variant is missing', () => {
    expect(distribution['origin_group']).toEqual([
      {
        origin_id: 'derived-then-render',
        failover_criteria: { status_codes: [403, 404] },
        member: [{ origin_id: 'derived' }, { origin_id: 'render' }],
      },
    ]);
    expect((distribution['default_cache_behavior'] as Block)['target_origin_id']).toBe('derived-then-render');
    const render = (distribution['origin'] as Block[])[1];
    expect(render).toMatchObject({
      origin_id: 'render',
      domain_name: expect.stringMatching(
        /^\$\{element\(split\("\/", aws_lambda_function_url\.cdn_render-url_[0-9A-F]+\.function_url\), 2\)\}$/,
      ),
      origin_access_control_id: expect.stringMatching(
        /^\$\{aws_cloudfront_origin_access_control\.cdn_render-access_/,
      ),
      custom_origin_config: expect.objectContaining({ origin_protocol_policy: 'https-only' }),
    });
    expect(synth).toHaveResourceWithProperties(CloudfrontOriginAccessControl, {
      origin_access_control_origin_type: 'lambda',
      signing_behavior: 'always',
    });
  });

  it('makes render reachable only through this distribution: AWS_IAM URL, both invoke actions scoped to it', () => {
    expect(synth).toHaveResourceWithProperties(LambdaFunctionUrl, {
      function_name: '${aws_lambda_function.render.function_name}',
      authorization_type: 'AWS_IAM',
    });
    const permissions = Object.values(tf.resource['aws_lambda_permission'] ?? {}).map((p) => ({
      action: p['action'],
      principal: p['principal'],
      auth: p['function_url_auth_type'],
      scoped: /^\$\{aws_cloudfront_distribution\.cdn_distribution_[0-9A-F]+\.arn\}$/.test(
        String(p['source_arn']),
      ),
    }));
    expect(permissions).toEqual([
      {
        action: 'lambda:InvokeFunctionUrl',
        principal: 'cloudfront.amazonaws.com',
        auth: 'AWS_IAM',
        scoped: true,
      },
      {
        action: 'lambda:InvokeFunction',
        principal: 'cloudfront.amazonaws.com',
        auth: undefined,
        scoped: true,
      },
    ]);
  });

  it('answers a 403 from the origins as a 404 cached briefly, from an error body in the bucket', () => {
    expect(distribution['custom_error_response']).toEqual([
      {
        error_code: 403,
        response_code: 404,
        response_page_path: `/${CDN_NOT_FOUND_KEY}`,
        error_caching_min_ttl: DEFAULT_CDN.errorCachingSeconds,
      },
      { error_code: 404, error_caching_min_ttl: DEFAULT_CDN.errorCachingSeconds },
    ]);
    expect(synth).toHaveResourceWithProperties(S3Object, {
      key: '_cdn/not-found.json',
      content_type: 'application/json',
      cache_control: errorCacheControl(DEFAULT_CDN),
    });
    expect(distribution['ordered_cache_behavior']).toEqual([
      expect.objectContaining({ path_pattern: '/_cdn/*', target_origin_id: 'derived' }),
    ]);
  });

  it('checks the version on every variant response and serves GET/HEAD over https only', () => {
    expect(synth).toHaveResourceWithProperties(CloudfrontFunction, {
      name: 'imgpipe-test-version-check',
      runtime: 'cloudfront-js-2.0',
      publish: true,
    });
    expect(distribution['default_cache_behavior']).toMatchObject({
      viewer_protocol_policy: 'redirect-to-https',
      allowed_methods: ['GET', 'HEAD'],
      function_association: [
        {
          event_type: 'viewer-response',
          function_arn: expect.stringMatching(
            /^\$\{aws_cloudfront_function\.cdn_version-check_[0-9A-F]+\.arn\}$/,
          ),
        },
      ],
    });
  });

  it('lets the invalidator invalidate this distribution and nothing else', () => {
    const statements = Object.entries(tf.data['aws_iam_policy_document'] ?? {})
      .filter(([name]) => name.includes('invalidate'))
      .map(([, doc]) => doc['statement']);
    expect(statements).toEqual([
      [
        {
          sid: 'InvalidateDeletedImages',
          effect: 'Allow',
          actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
          resources: [
            expect.stringMatching(/^\$\{aws_cloudfront_distribution\.cdn_distribution_[0-9A-F]+\.arn\}$/),
          ],
        },
      ],
    ]);
    const [policy] = Object.values(tf.resource['aws_iam_role_policy'] ?? {});
    expect(policy?.['role']).toBe('${aws_iam_role.resize-role.id}');
  });
});
