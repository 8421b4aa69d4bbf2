import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { App, Aspects, TerraformStack, Testing } from 'cdktf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyChecks } from '../src/policy/aspect';
import { checkTerraform } from '../src/policy/checks';
import { ImgpipeStack } from '../src/stack';
import { devConfig, devStack, synthesized, TEST_CONTEXT } from './helpers';

/** Builds an app with the dev stack, lets `mutate` break it, and runs a full synthesis. */
function synthWith(mutate: (stack: TerraformStack) => void): void {
  const outdir = mkdtempSync(join(tmpdir(), 'imgpipe-infra-test-'));
  try {
    const app = new App({ outdir });
    const stack = new ImgpipeStack(app, 'imgpipe-dev', { config: devConfig(), imageContext: TEST_CONTEXT });
    mutate(stack);
    app.synth();
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('policy checks', () => {
  it('pass on both environments as configured', () => {
    expect(checkTerraform(synthesized(devStack()), { architecture: 'arm64' })).toEqual([]);
    expect(() => synthWith(() => undefined)).not.toThrow();
  });

  it('fail synthesis on a bucket without Block Public Access, encryption or TLS-only policy', () => {
    expect(() => synthWith((stack) => new S3Bucket(stack, 'leaky', { bucket: 'imgpipe-dev-leaky' }))).toThrow(
      /\[PUBLIC_BUCKET\] imgpipe-dev\/leaky[\s\S]*\[MISSING_ENCRYPTION\] imgpipe-dev\/leaky[\s\S]*\[MISSING_TLS_ONLY_POLICY\] imgpipe-dev\/leaky/,
    );
  });

  it('fail synthesis on an unencrypted queue', () => {
    expect(() =>
      synthWith(
        (stack) => new SqsQueue(stack, 'plain', { name: 'imgpipe-dev-plain', sqsManagedSseEnabled: false }),
      ),
    ).toThrow(/\[MISSING_ENCRYPTION\] imgpipe-dev\/plain: queue is not encrypted/);
  });

  it('fail synthesis on an unencrypted topic', () => {
    expect(() =>
      synthWith((stack) => new SnsTopic(stack, 'plain-topic', { name: 'imgpipe-dev-plain' })),
    ).toThrow(/\[MISSING_ENCRYPTION\] imgpipe-dev\/plain-topic: topic is not encrypted/);
  });

  it('fail synthesis on a KMS key whose policy is not built from a policy document', () => {
    expect(() =>
      synthWith((stack) => new KmsKey(stack, 'default-policy-key', { enableKeyRotation: true })),
    ).toThrow(
      /\[LITERAL_POLICY\] imgpipe-dev\/default-policy-key: key policy is not built from a policy document/,
    );
  });

  it('fail synthesis on an IAM statement that allows * actions', () => {
    expect(() =>
      synthWith(
        (stack) =>
          new DataAwsIamPolicyDocument(stack, 'too-wide', {
            statement: [
              { sid: 'Everything', effect: 'Allow', actions: ['s3:*'], resources: ['arn:aws:s3:::x'] },
            ],
          }),
      ),
    ).toThrow(/\[WILDCARD_ACTION\] imgpipe-dev\/too-wide: statement Everything allows s3:\*/);
  });

  it('fail synthesis on a function on x86_64 where arm64 is configured', () => {
    expect(() =>
      synthWith((stack) => {
        const fn = stack.node
          .findAll()
          .find(
            (c) => c instanceof LambdaFunction && c.node.path === 'imgpipe-dev/functions/resize/function',
          );
        (fn as LambdaFunction).architectures = ['x86_64'];
      }),
    ).toThrow(
      /\[WRONG_ARCHITECTURE\] imgpipe-dev\/functions\/resize\/function: function runs on \["x86_64"\] but arm64 is configured/,
    );
  });

  it('accept x86_64 functions when the environment is configured for x86_64', () => {
    const stack = devStack({ architecture: 'x86_64' });
    expect(checkTerraform(synthesized(stack), { architecture: 'x86_64' })).toEqual([]);
    expect(Testing.synth(stack)).toContain('"x86_64"');
  });

  it('fail synthesis on an API route without an authorizer, other than health', () => {
    expect(() =>
      synthWith((stack) => {
        const api = stack.node.findAll().find((c) => c instanceof Apigatewayv2Api) as Apigatewayv2Api;
        new Apigatewayv2Route(stack, 'open-route', { apiId: api.id, routeKey: 'GET /v1/images' });
      }),
    ).toThrow(/\[ROUTE_WITHOUT_AUTH\] imgpipe-dev\/open-route: route "GET \/v1\/images" has no authorizer/);
  });

  it('fail synthesis on a Function URL anyone may call', () => {
    expect(() =>
      synthWith((stack) => {
        const url = stack.node.findAll().find((c) => c instanceof LambdaFunctionUrl) as LambdaFunctionUrl;
        url.authorizationType = 'NONE';
      }),
    ).toThrow(
      /\[FUNCTION_URL_WITHOUT_AUTH\] imgpipe-dev\/image-api\/cdn\/render-url: Function URL auth is "NONE"/,
    );
  });

  it('fail synthesis on a Function URL permission that names no caller', () => {
    expect(() =>
      synthWith((stack) => {
        const render = stack.node
          .findAll()
          .find(
            (c) => c instanceof LambdaFunction && c.node.path === 'imgpipe-dev/image-api/render/function',
          );
        new LambdaPermission(stack, 'anyone', {
          action: 'lambda:InvokeFunctionUrl',
          functionName: (render as LambdaFunction).functionName,
          principal: '*',
          functionUrlAuthType: 'NONE',
        });
      }),
    ).toThrow(
      /\[FUNCTION_URL_WITHOUT_AUTH\] imgpipe-dev\/anyone: lambda:InvokeFunctionUrl is granted without AWS_IAM auth or without a source ARN/,
    );
  });

  it('fail synthesis on an S3 origin without Origin Access Control', () => {
    expect(() =>
      synthWith((stack) => {
        const cdn = stack.node
          .findAll()
          .find((c) => c instanceof CloudfrontDistribution) as CloudfrontDistribution;
        cdn.addOverride('origin.0.origin_access_control_id', null);
      }),
    ).toThrow(
      /\[S3_ORIGIN_WITHOUT_OAC\] imgpipe-dev\/image-api\/cdn\/distribution: origin derived reads S3 without an S3 Origin Access Control/,
    );
  });

  it('report violations through an aspect any stack can use', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'bare');
    new S3Bucket(stack, 'bucket', { bucket: 'bare' });
    Aspects.of(stack).add(new PolicyChecks({ architecture: 'arm64' }));
    Testing.synth(stack);
    const errors = stack.node.metadata.filter((m) => m.type === '@cdktf/error').map((m) => String(m.data));
    expect(errors).toEqual([
      expect.stringContaining('[PUBLIC_BUCKET] bare/bucket'),
      expect.stringContaining('[MISSING_ENCRYPTION] bare/bucket'),
      expect.stringContaining('[MISSING_TLS_ONLY_POLICY] bare/bucket'),
    ]);
  });
});
