import { CognitoResourceServer } from '@cdktf/provider-aws/lib/cognito-resource-server';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import type { ApiScope } from '@imgpipe/pipeline';
import { Construct } from 'constructs';

/** What the HTTP API's JWT authorizer trusts, and how the issuer spells the API's scopes. */
export interface JwtIssuer {
  /** The `iss` claim; its `/.well-known/openid-configuration` names the signing keys. */
  readonly issuerUrl: string;
  /** Accepted `aud` (or, for Cognito access tokens, `client_id`) values. */
  readonly audience: readonly string[];
  /**
   * Prefix of the API's scopes in the token's `scope` claim: Cognito writes a resource server's scopes
   * as `<identifier>/<scope>` (`imgpipe/images.read`); other issuers may write them bare (empty prefix).
   */
  readonly scopePrefix: string;
}

export interface CognitoIssuerProps {
  /** Pool, client and resource server names: `<prefix>-users`, `<prefix>-web`. */
  readonly namePrefix: string;
  readonly scopes: readonly ApiScope[];
  /** The hosted sign-in domain `<domainPrefix>.auth.<region>.amazoncognito.com` (unique per region). */
  readonly domainPrefix: string;
  /** Where the sign-in page may send a user back with a code (https, or http on localhost). */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  /** Refuse `destroy` while true (users would be lost). Default true. */
  readonly deletionProtection?: boolean;
  /** Resource server identifier, the scopes' prefix. Default `imgpipe`. */
  readonly resourceServerIdentifier?: string;
}

/**
 * The stack-managed issuer: a Cognito user pool without self sign-up (administrators create users),
 * a resource server with the API's scopes, a hosted sign-in domain and one public web client
 * (authorization code with PKCE, no secret, the API's scopes). Its access tokens carry `sub`,
 * `client_id` and `scope`, which is what the JWT authorizer checks.
 */
export class CognitoIssuer extends Construct {
  readonly userPool: CognitoUserPool;
  readonly client: CognitoUserPoolClient;
  readonly resourceServer: CognitoResourceServer;
  readonly domain: CognitoUserPoolDomain;
  readonly issuer: JwtIssuer;

  constructor(scope: Construct, id: string, props: CognitoIssuerProps) {
    super(scope, id);
    const identifier = props.resourceServerIdentifier ?? 'imgpipe';
    this.userPool = new CognitoUserPool(this, 'pool', {
      name: `${props.namePrefix}-users`,
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      accountRecoverySetting: { recoveryMechanism: [{ name: 'verified_email', priority: 1 }] },
      passwordPolicy: {
        minimumLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: false,
        temporaryPasswordValidityDays: 3,
      },
      mfaConfiguration: 'OPTIONAL',
      softwareTokenMfaConfiguration: { enabled: true },
      deletionProtection: (props.deletionProtection ?? true) ? 'ACTIVE' : 'INACTIVE',
    });
    this.resourceServer = new CognitoResourceServer(this, 'resource-server', {
      userPoolId: this.userPool.id,
      identifier,
      name: `${props.namePrefix}-api`,
      scope: props.scopes.map((scopeName) => ({
        scopeName,
        scopeDescription: `imgpipe API: ${scopeName}`,
      })),
    });
    this.domain = new CognitoUserPoolDomain(this, 'domain', {
      domain: props.domainPrefix,
      userPoolId: this.userPool.id,
    });
    this.client = new CognitoUserPoolClient(this, 'web-client', {
      name: `${props.namePrefix}-web`,
      userPoolId: this.userPool.id,
      generateSecret: false,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['code'],
      allowedOauthScopes: ['openid', 'email', ...props.scopes.map((s) => `${identifier}/${s}`)],
      supportedIdentityProviders: ['COGNITO'],
      callbackUrls: [...props.callbackUrls],
      logoutUrls: [...props.logoutUrls],
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: [{ accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' }],
      // The client may only ask for scopes the resource server already defines.
      dependsOn: [this.resourceServer],
    });
    this.issuer = {
      issuerUrl: `https://${this.userPool.endpoint}`,
      audience: [this.client.id],
      scopePrefix: `${identifier}/`,
    };
  }
}
