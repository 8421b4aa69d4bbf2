import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Authorizer } from '@cdktf/provider-aws/lib/apigatewayv2-authorizer';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { routeKey } from '@imgpipe/pipeline';
import { Testing } from 'cdktf';
import { pipelineFor } from '../src/config';
import { HttpApi } from '../src/constructs/http-api';
import { devConfig } from './helpers';

const pipeline = pipelineFor(devConfig());

function synthApi(corsOrigins: readonly string[]): string {
  return Testing.synthScope((scope) => {
    const handler = new LambdaFunction(scope, 'handler', {
      functionName: 'imgpipe-test-api',
      role: 'arn:aws:iam::123456789012:role/r',
    });
    new HttpApi(scope, 'http-api', {
      namePrefix: 'imgpipe-test',
      api: pipeline.api,
      handler,
      issuer: {
        issuerUrl: 'https://issuer.example.com',
        audience: ['client-1'],
        scopePrefix: 'imgpipe/',
      },
      corsOrigins,
      logRetentionDays: 14,
    });
  });
}

type Block = Record<string, unknown>;
const blocksOf = (synth: string, type: string): Block[] =>
  Object.values(
    (JSON.parse(synth) as { resource: Record<string, Record<string, Block>> }).resource[type] ?? {},
  );

describe('HttpApi', () => {
  const synth = synthApi(['https://app.example.com']);

  it('is an HTTP API whose one integration calls the function with payload format 2.0', () => {
    expect(synth).toHaveResourceWithProperties(Apigatewayv2Api, {
      name: 'imgpipe-test-api',
      protocol_type: 'HTTP',
    });
    expect(synth).toHaveResourceWithProperties(Apigatewayv2Integration, {
      integration_type: 'AWS_PROXY',
      payload_format_version: '2.0',
      integration_uri: '${aws_lambda_function.handler.arn}',
    });
    expect(blocksOf(synth, 'aws_apigatewayv2_integration')).toHaveLength(1);
  });

  it('trusts the issuer through a JWT authorizer on the Authorization header', () => {
    expect(synth).toHaveResourceWithProperties(Apigatewayv2Authorizer, {
      authorizer_type: 'JWT',
      identity_sources: ['$request.header.Authorization'],
      jwt_configuration: { issuer: 'https://issuer.example.com', audience: ['client-1'] },
    });
  });

  it("creates exactly the definition's routes, each with its scopes as the issuer spells them", () => {
    const byKey = (a: { key: unknown }, b: { key: unknown }) => String(a.key).localeCompare(String(b.key));
    const routes = blocksOf(synth, 'aws_apigatewayv2_route')
      .map((r) => ({ key: r['route_key'], type: r['authorization_type'], scopes: r['authorization_scopes'] }))
      .sort(byKey);
    expect(routes).toEqual(
      pipeline.api.routes
        .map((route) => ({
          key: routeKey(route),
          type: route.auth.type === 'jwt' ? 'JWT' : 'NONE',
          scopes: route.auth.type === 'jwt' ? route.auth.anyScope.map((s) => `imgpipe/${s}`) : undefined,
        }))
        .sort(byKey),
    );
    expect(routes.filter((r) => r.type === 'NONE').map((r) => r.key)).toEqual(['GET /v1/health']);
  });

  it('throttles the auto-deployed $default stage as defined and writes JSON access logs', () => {
    expect(synth).toHaveResourceWithProperties(Apigatewayv2Stage, {
      name: '$default',
      auto_deploy: true,
      default_route_settings: {
        throttling_rate_limit: pipeline.api.throttle.rateLimit,
        throttling_burst_limit: pipeline.api.throttle.burstLimit,
        detailed_metrics_enabled: true,
      },
    });
    const [stage] = blocksOf(synth, 'aws_apigatewayv2_stage');
    const logs = stage?.['access_log_settings'] as { format: string; destination_arn: string };
    expect(logs.destination_arn).toMatch(/^\$\{aws_cloudwatch_log_group\..*\.arn\}$/);
    expect(Object.keys(JSON.parse(logs.format) as object)).toEqual([
      'requestId',
      'ip',
      'requestTime',
      'routeKey',
      'status',
      'responseLength',
      'latencyMs',
      'integrationLatencyMs',
      'integrationError',
      'authorizerError',
      'sub',
    ]);
  });

  it('lets only this API invoke the function', () => {
    expect(synth).toHaveResourceWithProperties(LambdaPermission, {
      action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com',
      function_name: '${aws_lambda_function.handler.function_name}',
      source_arn: expect.stringMatching(/^\$\{aws_apigatewayv2_api\..*\.execution_arn\}\/\*\/\*$/) as unknown,
    });
  });

  it('answers browser preflights for the configured origins only, and has no CORS without origins', () => {
    const [api] = blocksOf(synth, 'aws_apigatewayv2_api');
    expect(api?.['cors_configuration']).toEqual({
      allow_origins: ['https://app.example.com'],
      allow_methods: ['GET', 'POST', 'DELETE'],
      allow_headers: ['authorization', 'content-type'],
      max_age: 600,
    });
    const [closed] = blocksOf(synthApi([]), 'aws_apigatewayv2_api');
    expect(closed?.['cors_configuration']).toBeUndefined();
  });
});
