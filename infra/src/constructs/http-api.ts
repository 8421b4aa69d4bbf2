import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Authorizer } from '@cdktf/provider-aws/lib/apigatewayv2-authorizer';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { type ApiSpec, routeKey } from '@imgpipe/pipeline';
import { Construct } from 'constructs';
import type { JwtIssuer } from './issuer';

export interface HttpApiProps {
  /** API, authorizer and access log names: `<prefix>-api`. */
  readonly namePrefix: string;
  /** Routes, scopes and stage throttling, from the pipeline definition. */
  readonly api: ApiSpec;
  /** The function every route invokes. */
  readonly handler: LambdaFunction;
  readonly issuer: JwtIssuer;
  /** Browser origins allowed to call the API (CORS); none: no CORS configuration. */
  readonly corsOrigins: readonly string[];
  readonly logRetentionDays: number;
}

/** One access-log line per request, JSON, with what an operator needs to follow a request. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
});

/**
 * The image API on API Gateway: an HTTP API (payload format 2.0) whose routes come from the pipeline
 * definition, each but health behind the JWT authorizer with its scopes (the token needs any one of
 * them), all integrated with the `api` function; the `$default` stage auto-deploys with the
 * definition's throttling and JSON access logs.
 */
export class HttpApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;
  readonly authorizer: Apigatewayv2Authorizer;
  readonly routes: readonly Apigatewayv2Route[];
  readonly accessLogs: CloudwatchLogGroup;
  /** The base URL clients call `/v1/...` on (no trailing slash). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const name = `${props.namePrefix}-api`;
    this.api = new Apigatewayv2Api(this, 'api', {
      name,
      protocolType: 'HTTP',
      description: 'imgpipe image API',
      ...(props.corsOrigins.length > 0
        ? {
            corsConfiguration: {
              allowOrigins: [...props.corsOrigins],
              allowMethods: [...new Set(props.api.routes.map((r) => r.method))],
              allowHeaders: ['authorization', 'content-type'],
              maxAge: 600,
            },
          }
        : {}),
    });
    this.authorizer = new Apigatewayv2Authorizer(this, 'jwt', {
      apiId: this.api.id,
      name: `${name}-jwt`,
      authorizerType: 'JWT',
      identitySources: ['$request.header.Authorization'],
      jwtConfiguration: { issuer: props.issuer.issuerUrl, audience: [...props.issuer.audience] },
    });
    const integration = new Apigatewayv2Integration(this, 'lambda', {
      apiId: this.api.id,
      integrationType: 'AWS_PROXY',
      integrationUri: props.handler.arn,
      payloadFormatVersion: '2.0',
      // API Gateway's own ceiling; the function's timeout is shorter.
      timeoutMilliseconds: 30_000,
    });
    this.routes = props.api.routes.map(
      (route) =>
        new Apigatewayv2Route(this, `route-${route.id}`, {
          apiId: this.api.id,
          routeKey: routeKey(route),
          target: `integrations/${integration.id}`,
          operationName: route.id,
          ...(route.auth.type === 'jwt'
            ? {
                authorizationType: 'JWT',
                authorizerId: this.authorizer.id,
                authorizationScopes: route.auth.anyScope.map((s) => `${props.issuer.scopePrefix}${s}`),
              }
            : { authorizationType: 'NONE' }),
        }),
    );
    this.accessLogs = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${name}`,
      retentionInDays: props.logRetentionDays,
    });
    this.stage = new Apigatewayv2Stage(this, 'stage', {
      apiId: this.api.id,
      name: '$default',
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: props.api.throttle.rateLimit,
        throttlingBurstLimit: props.api.throttle.burstLimit,
        detailedMetricsEnabled: true,
      },
      accessLogSettings: { destinationArn: this.accessLogs.arn, format: ACCESS_LOG_FORMAT },
    });
    // Only this API's routes may invoke the function (any stage, method and path of this API).
    new LambdaPermission(this, 'invoke', {
      statementId: 'invoke-from-http-api',
      action: 'lambda:InvokeFunction',
      functionName: props.handler.functionName,
      principal: 'apigateway.amazonaws.com',
      sourceArn: `${this.api.executionArn}/*/*`,
    });
    this.url = this.api.apiEndpoint;
  }
}
