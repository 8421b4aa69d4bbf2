import {
  ENV,
  FUNCTION_NAMES,
  functionEnvironment,
  HTTP_FUNCTION_NAMES,
  routeKey,
  TABLE_INDEXES,
} from '@imgpipe/pipeline';
import { API_DEPLOY_ENV } from '../src/constructs/image-api';
import { Testing } from 'cdktf';
import { ENVIRONMENTS } from '../src/config';
import { ImgpipeStack } from '../src/stack';
import { stackPipeline, TEST_CONTEXT } from './helpers';
import type { TerraformJson } from '../src/policy/terraform-json';

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))(
  'the deployed %s stack',
  (name, config) => {
    const tf = JSON.parse(
      Testing.synth(
        new ImgpipeStack(Testing.app(), `imgpipe-${name}`, { config, imageContext: TEST_CONTEXT }),
      ),
    ) as TerraformJson;
    const pipeline = stackPipeline(tf, config);
    const blocks = (type: string) => Object.values(tf.resource?.[type] ?? {});

    it('matches the pipeline definition: event patterns, schedules and function environments', () => {
      const rules = blocks('aws_cloudwatch_event_rule');
      expect(
        rules.filter((r) => r['event_pattern']).map((r) => JSON.parse(String(r['event_pattern']))),
      ).toEqual(pipeline.rules.map((rule) => rule.pattern));
      expect(rules.filter((r) => r['schedule_expression']).map((r) => r['schedule_expression'])).toEqual(
        pipeline.schedules.map((s) => s.expression),
      );
      for (const fn of FUNCTION_NAMES) {
        const lambda = blocks('aws_lambda_function').find(
          (l) => l['function_name'] === `imgpipe-${name}-${fn}`,
        );
        // resize removes a deleted image's variants and then invalidates them on the CDN.
        const invalidates = fn === 'resize' ? { [API_DEPLOY_ENV.cdnDistributionId]: expect.any(String) } : {};
        expect(lambda?.['environment']).toEqual({
          variables: { ...functionEnvironment(pipeline, fn), ...invalidates },
        });
        expect(lambda?.['image_config']).toEqual({ command: [pipeline.functions[fn].command] });
      }
      for (const fn of HTTP_FUNCTION_NAMES) {
        const lambda = blocks('aws_lambda_function').find(
          (l) => l['function_name'] === `imgpipe-${name}-${fn}`,
        );
        const deployTime =
          fn === 'api' ? [ENV.cdnBaseUrl, ENV.cursorKeys, API_DEPLOY_ENV.scopePrefix].sort() : [];
        const variables = (lambda?.['environment'] as { variables: Record<string, string> }).variables;
        expect(Object.keys(variables).sort()).toEqual(
          [...Object.keys(functionEnvironment(pipeline, fn)), ...deployTime].sort(),
        );
        expect(variables).toMatchObject(functionEnvironment(pipeline, fn));
        expect(lambda?.['image_config']).toEqual({ command: [pipeline.httpFunctions[fn].command] });
      }
    });

    it("matches the pipeline definition's API: one route per definition route, the same auth and scopes", () => {
      const routes = blocks('aws_apigatewayv2_route').map((r) => ({
        key: String(r['route_key']),
        scopes:
          (r['authorization_scopes'] as string[] | undefined)?.map((s) => s.replace(/^imgpipe\//, '')) ?? [],
      }));
      const expected = pipeline.api.routes.map((route) => ({
        key: routeKey(route),
        scopes: route.auth.type === 'jwt' ? [...route.auth.anyScope] : [],
      }));
      const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
      expect(routes.sort(byKey)).toEqual(expected.sort(byKey));
      expect(blocks('aws_cognito_resource_server')[0]?.['scope']).toEqual(
        pipeline.api.scopes.map((scope) => ({
          scope_name: scope,
          scope_description: `imgpipe API: ${scope}`,
        })),
      );
    });

    it("indexes the images table as the definition's TABLE_INDEXES", () => {
      const table = blocks('aws_dynamodb_table').find((t) => t['name'] === pipeline.names.table);
      expect(table?.['global_secondary_index']).toEqual(
        Object.values(TABLE_INDEXES).map((index) => ({
          name: index.name,
          hash_key: index.partitionKey,
          range_key: index.sortKey,
          projection_type: 'ALL',
        })),
      );
    });

    it('lets no event from the derived bucket reach a function', () => {
      const notifications = blocks('aws_s3_bucket_notification');
      expect(notifications).toHaveLength(1);
      expect(String(notifications[0]?.['bucket'])).toMatch(/aws_s3_bucket\.buckets_source_/);
      for (const rule of blocks('aws_cloudwatch_event_rule').filter((r) => r['event_pattern'])) {
        const pattern = JSON.parse(String(rule['event_pattern'])) as {
          detail: { bucket: { name: string[] } };
        };
        expect(pattern.detail.bucket.name).toEqual([pipeline.names.sourceBucket]);
        expect(pipeline.names.sourceBucket).toMatch(
          /^\$\{aws_s3_bucket\.buckets_source_bucket_[0-9A-F]+\.bucket\}$/,
        );
      }
    });
  },
);
