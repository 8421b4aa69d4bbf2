import { ENV, functionEnvironment, type PipelineDefinition, type PolicyArns } from '@imgpipe/pipeline';
import { type ITerraformDependable, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { ApiSettings } from '../api-settings';
import type { Architecture } from '../config';
import type { Buckets } from './buckets';
import { Cdn } from './cdn';
import type { DeployedFunction } from './functions';
import { HttpApi } from './http-api';
import { HttpFunction } from './http-function';
import { CognitoIssuer, type JwtIssuer } from './issuer';
import { UploadCors } from './upload-cors';

/** Deploy-time variables beyond `DEPLOY_TIME_ENV` that infra sets (names from `ENV`). */
export const API_DEPLOY_ENV = {
  /** The prefix the issuer puts before the API's scopes (`imgpipe/` for Cognito); the api strips it. */
  scopePrefix: ENV.scopePrefix,
  /** The distribution whose `/<key>/*` resize invalidates when an image is deleted. */
  cdnDistributionId: ENV.cdnDistributionId,
} as const;

/** The Terraform variable holding the list cursors' HMAC keys (a secret: never in the repository). */
export const CURSOR_KEYS_VARIABLE = 'api_cursor_keys';

export interface ImageApiProps {
  readonly pipeline: PipelineDefinition;
  readonly namePrefix: string;
  readonly environmentName: string;
  readonly architecture: Architecture;
  readonly imageUri: string;
  readonly imageBuild: ITerraformDependable;
  readonly logRetentionDays: number;
  /** Reserve the HTTP functions' concurrency (the environment's `reserveConcurrency`). */
  readonly reserveConcurrency: boolean;
  readonly buckets: Buckets;
  /** The stack's resources the HTTP functions' policies may name (as the event functions get them). */
  readonly resources: Omit<PolicyArns, 'logGroup'>;
  /** The event function that removes a deleted image's variants; it also invalidates them on the CDN. */
  readonly invalidator: DeployedFunction;
  readonly settings: ApiSettings;
  /** Keep the user pool from `destroy`. */
  readonly deletionProtection: boolean;
}

/**
 * The image API and delivery, composed: `render` behind the CDN, the CDN over the derived bucket,
 * `api` behind the HTTP API with the JWT issuer (the stack's Cognito pool unless settings name one),
 * CORS on the source bucket for browser uploads, and the invalidation grant for deletions.
 */
export class ImageApi extends Construct {
  readonly api: HttpFunction;
  readonly render: HttpFunction;
  readonly cdn: Cdn;
  readonly httpApi: HttpApi;
  readonly issuer: JwtIssuer;
  /** Present when the stack manages the issuer. */
  readonly cognito?: CognitoIssuer;

  constructor(scope: Construct, id: string, props: ImageApiProps) {
    super(scope, id);
    const { pipeline, settings } = props;
    const common = {
      pipeline,
      namePrefix: props.namePrefix,
      architecture: props.architecture,
      imageUri: props.imageUri,
      imageBuild: props.imageBuild,
      logRetentionDays: props.logRetentionDays,
      reserveConcurrency: props.reserveConcurrency,
      resources: props.resources,
    };
    this.render = new HttpFunction(this, 'render', { ...common, name: 'render' });
    this.cdn = new Cdn(this, 'cdn', {
      namePrefix: props.namePrefix,
      derived: props.buckets.secure.derived,
      render: this.render.lambda,
      cdn: pipeline.cdn,
    });

    if (settings.issuer) {
      const { url, audience, scopePrefix } = settings.issuer;
      this.issuer = { issuerUrl: url, audience, scopePrefix };
    } else {
      this.cognito = new CognitoIssuer(this, 'issuer', {
        namePrefix: props.namePrefix,
        scopes: pipeline.api.scopes,
        domainPrefix: `${settings.authDomainPrefix}-${props.environmentName}`,
        callbackUrls: settings.callbackUrls,
        logoutUrls: settings.logoutUrls,
        deletionProtection: props.deletionProtection,
      });
      this.issuer = this.cognito.issuer;
    }

    const cursorKeys = new TerraformVariable(TerraformStack.of(this), CURSOR_KEYS_VARIABLE, {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: 'Comma-separated HMAC keys of the API list cursors, 32+ characters each; the first signs',
      validation: [
        {
          condition: `\${alltrue([for key in split(",", var.${CURSOR_KEYS_VARIABLE}) : length(trimspace(key)) >= 32])}`,
          errorMessage: 'Every cursor key must have at least 32 characters.',
        },
      ],
    });
    this.api = new HttpFunction(this, 'api', {
      ...common,
      name: 'api',
      extraEnvironment: {
        [ENV.cdnBaseUrl]: this.cdn.url,
        [ENV.cursorKeys]: cursorKeys.stringValue,
        [API_DEPLOY_ENV.scopePrefix]: this.issuer.scopePrefix,
      },
    });
    this.httpApi = new HttpApi(this, 'http-api', {
      namePrefix: props.namePrefix,
      api: pipeline.api,
      handler: this.api.lambda,
      issuer: this.issuer,
      corsOrigins: settings.corsOrigins,
      logRetentionDays: props.logRetentionDays,
    });
    if (settings.corsOrigins.length > 0) {
      new UploadCors(this, 'upload-cors', { bucket: props.buckets.source, origins: settings.corsOrigins });
    }

    // A deletion's variants are removed by the invalidator (resize), which then invalidates `/<key>/*`.
    const invalidator = props.invalidator;
    this.cdn.grantInvalidation(invalidator.role.role, invalidator.name);
    invalidator.lambda.putEnvironment({
      variables: {
        ...functionEnvironment(pipeline, invalidator.name),
        [API_DEPLOY_ENV.cdnDistributionId]: this.cdn.distribution.id,
      },
    });
  }
}
