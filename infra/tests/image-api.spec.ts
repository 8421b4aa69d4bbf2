import { ENV } from '@imgpipe/pipeline';
import { Testing } from 'cdktf';
import { readApiSettings } from '../src/api-settings';
import { CURSOR_KEYS_VARIABLE } from '../src/constructs/image-api';
import { ImgpipeStack } from '../src/stack';
import { FAKE_VARIABLES } from '../src/terraform/offline-plan';
import { devConfig, devStack, synthesized, TEST_CONTEXT } from './helpers';

type Block = Record<string, unknown>;

describe('ImageApi in the stack', () => {
  const tf = synthesized(devStack());
  const blocks = (type: string): Block[] => Object.values(tf.resource?.[type] ?? {});

  it('manages a Cognito pool by default and points the authorizer at it', () => {
    expect(blocks('aws_cognito_user_pool')).toHaveLength(1);
    const [authorizer] = blocks('aws_apigatewayv2_authorizer');
    expect(authorizer?.['jwt_configuration']).toEqual({
      issuer: expect.stringMatching(/^https:\/\/\$\{aws_cognito_user_pool\..*\.endpoint\}$/),
      audience: [expect.stringMatching(/^\$\{aws_cognito_user_pool_client\..*\.id\}$/)],
    });
    expect(blocks('aws_cognito_user_pool_domain')[0]?.['domain']).toBe('imgpipe-dev');
  });

  it('trusts an external issuer instead when settings name one, with no pool and bare scopes', () => {
    const api = readApiSettings({
      IMGPIPE_API_JWT_ISSUER: 'https://login.example.com/',
      IMGPIPE_API_JWT_AUDIENCE: 'imgpipe',
      IMGPIPE_API_CORS_ORIGINS: 'https://app.example.com',
    });
    const external = synthesized(
      new ImgpipeStack(Testing.app(), 'imgpipe-dev', {
        config: devConfig(),
        imageContext: TEST_CONTEXT,
        api,
      }),
    );
    const of = (type: string): Block[] => Object.values(external.resource?.[type] ?? {});
    expect(of('aws_cognito_user_pool')).toEqual([]);
    expect(of('aws_apigatewayv2_authorizer')[0]?.['jwt_configuration']).toEqual({
      issuer: 'https://login.example.com/',
      audience: ['imgpipe'],
    });
    const scopes = of('aws_apigatewayv2_route').flatMap((r) => (r['authorization_scopes'] as string[]) ?? []);
    expect(new Set(scopes)).toEqual(new Set(['images.read', 'images.write', 'images.admin']));
    expect(Object.keys(external.output ?? {})).not.toContain('user_pool_id');
    const fn = of('aws_lambda_function').find((f) => f['function_name'] === 'imgpipe-dev-api');
    expect((fn?.['environment'] as { variables: Record<string, string> }).variables[ENV.scopePrefix]).toBe(
      '',
    );
    expect(of('aws_s3_bucket_cors_configuration')).toHaveLength(1);
  });

  it("gives api the CDN's URL, the cursor keys and the issuer's scope prefix", () => {
    const api = blocks('aws_lambda_function').find((f) => f['function_name'] === 'imgpipe-dev-api');
    const variables = (api?.['environment'] as { variables: Record<string, string> }).variables;
    expect(variables[ENV.cdnBaseUrl]).toMatch(
      /^https:\/\/\$\{aws_cloudfront_distribution\..*\.domain_name\}$/,
    );
    expect(variables[ENV.cursorKeys]).toBe(`\${var.${CURSOR_KEYS_VARIABLE}}`);
    expect(variables[ENV.scopePrefix]).toBe('imgpipe/');
  });

  it('adds source-bucket CORS only when origins are configured', () => {
    expect(blocks('aws_s3_bucket_cors_configuration')).toEqual([]);
  });

  it('keeps the cursor keys a sensitive variable the offline plan fills with a fake', () => {
    const variables = (tf as { variable?: Record<string, Block> }).variable ?? {};
    expect(Object.keys(variables)).toEqual([CURSOR_KEYS_VARIABLE]);
    expect(variables[CURSOR_KEYS_VARIABLE]?.['sensitive']).toBe(true);
    expect(Object.keys(FAKE_VARIABLES)).toEqual(Object.keys(variables).map((name) => `TF_VAR_${name}`));
    expect(FAKE_VARIABLES.TF_VAR_api_cursor_keys.length).toBeGreaterThanOrEqual(32);
  });

  it('lets resize, the remover of variants, invalidate the distribution', () => {
    const policies = blocks('aws_iam_role_policy').filter((p) =>
      String(p['name']).endsWith('cdn-invalidate'),
    );
    expect(policies.map((p) => p['role'])).toEqual([
      expect.stringMatching(/^\$\{aws_iam_role\.functions_resize_role_[0-9A-F]+\.id\}$/),
    ]);
  });
});
