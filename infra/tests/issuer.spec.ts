import { CognitoResourceServer } from '@cdktf/provider-aws/lib/cognito-resource-server';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { API_SCOPES } from '@imgpipe/pipeline';
import { Testing } from 'cdktf';
import { CognitoIssuer } from '../src/constructs/issuer';

describe('CognitoIssuer', () => {
  let issuer: CognitoIssuer | undefined;
  const synth = Testing.synthScope((scope) => {
    issuer = new CognitoIssuer(scope, 'issuer', {
      namePrefix: 'imgpipe-test',
      scopes: API_SCOPES,
      domainPrefix: 'imgpipe-test',
      callbackUrls: ['https://app.example.com/callback'],
      logoutUrls: ['https://app.example.com/'],
    });
  });

  it('creates a user pool nobody can sign up to: administrators create users', () => {
    expect(synth).toHaveResourceWithProperties(CognitoUserPool, {
      name: 'imgpipe-test-users',
      admin_create_user_config: { allow_admin_create_user_only: true },
      deletion_protection: 'ACTIVE',
    });
  });

  it('defines the three API scopes on a resource server', () => {
    expect(synth).toHaveResourceWithProperties(CognitoResourceServer, {
      identifier: 'imgpipe',
      scope: [
        { scope_name: 'images.read', scope_description: 'imgpipe API: images.read' },
        { scope_name: 'images.write', scope_description: 'imgpipe API: images.write' },
        { scope_name: 'images.admin', scope_description: 'imgpipe API: images.admin' },
      ],
    });
  });

  it('has one public web client: authorization code (PKCE), no secret, exactly the API scopes', () => {
    expect(synth).toHaveResourceWithProperties(CognitoUserPoolClient, {
      name: 'imgpipe-test-web',
      generate_secret: false,
      allowed_oauth_flows_user_pool_client: true,
      allowed_oauth_flows: ['code'],
      allowed_oauth_scopes: [
        'openid',
        'email',
        'imgpipe/images.read',
        'imgpipe/images.write',
        'imgpipe/images.admin',
      ],
      callback_urls: ['https://app.example.com/callback'],
      logout_urls: ['https://app.example.com/'],
      supported_identity_providers: ['COGNITO'],
      prevent_user_existence_errors: 'ENABLED',
    });
    expect(synth).toHaveResourceWithProperties(CognitoUserPoolDomain, { domain: 'imgpipe-test' });
  });

  it('tells the authorizer the pool issuer, the client as audience and the scopes prefix', () => {
    expect(issuer?.issuer.issuerUrl).toMatch(/^https:\/\/\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(issuer?.issuer.audience).toHaveLength(1);
    expect(issuer?.issuer.scopePrefix).toBe('imgpipe/');
    const tf = JSON.parse(synth) as { resource: Record<string, Record<string, unknown>> };
    expect(Object.keys(tf.resource['aws_cognito_user_pool_client'] ?? {})).toHaveLength(1);
  });
});
