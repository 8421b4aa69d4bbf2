import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { CDN_NOT_FOUND_KEY, type CdnSpec, errorCacheControl } from '@imgpipe/pipeline';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { versionCheckCode } from '../cdn/version-check';
import type { SecureBucket } from './bucket';

export interface CdnProps {
  /** Names: `<prefix>-variants`, `<prefix>-derived`, ... */
  readonly namePrefix: string;
  /** The private derived bucket; the CDN adds its read statement to the bucket's one policy. */
  readonly derived: SecureBucket;
  /** The on-miss renderer: gets an `AWS_IAM` Function URL only this distribution may invoke. */
  readonly render: LambdaFunction;
  readonly cdn: CdnSpec;
  /** CloudFront price class. Default `PriceClass_100` (North America and Europe edges). */
  readonly priceClass?: string;
}

/** The error body's folder in the derived bucket, served by the S3 origin directly (no failover). */
const CDN_ERROR_PREFIX = CDN_NOT_FOUND_KEY.slice(0, CDN_NOT_FOUND_KEY.lastIndexOf('/') + 1);

const S3_ORIGIN = 'derived';
const RENDER_ORIGIN = 'render';
const ORIGIN_GROUP = 'derived-then-render';
/** S3 answers 403 for a missing key when the reader may not list (CloudFront may not). */
const FAILOVER_STATUS = [403, 404];

/**
 * The CDN for variants: CloudFront over the private derived bucket through Origin Access Control,
 * failing over to the `render` Function URL (`AWS_IAM`, OAC for Lambda) when a variant is missing.
 * The cache key is the path plus the one version parameter; a viewer-response function turns a
 * version mismatch into a 404; S3's 403 becomes a 404 cached briefly; the origin's `Cache-Control`
 * (browser `max-age` shorter than `s-maxage`) decides the lifetimes within the cache policy's bounds.
 */
export class Cdn extends Construct {
  readonly distribution: CloudfrontDistribution;
  readonly renderUrl: LambdaFunctionUrl;
  readonly cachePolicy: CloudfrontCachePolicy;
  /** `https://<distribution domain>` (no trailing slash): variant URLs are `<url>/<variant key>?v=...`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CdnProps) {
    super(scope, id);
    const { cdn, namePrefix } = props;
    const bucket = props.derived.bucket;
    const s3Access = new CloudfrontOriginAccessControl(this, 's3-access', {
      name: `${namePrefix}-derived`,
      description: 'CloudFront reads variants from the private derived bucket',
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    const lambdaAccess = new CloudfrontOriginAccessControl(this, 'render-access', {
      name: `${namePrefix}-render`,
      description: 'CloudFront signs its requests to the render Function URL',
      originAccessControlOriginType: 'lambda',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    this.renderUrl = new LambdaFunctionUrl(this, 'render-url', {
      functionName: props.render.functionName,
      authorizationType: 'AWS_IAM',
    });
    this.cachePolicy = new CloudfrontCachePolicy(this, 'cache-policy', {
      name: `${namePrefix}-variants`,
      comment: `Path + ${cdn.versionParameter}; lifetimes from the origin's Cache-Control`,
      minTtl: 0,
      defaultTtl: cdn.cdnMaxAgeSeconds,
      maxTtl: cdn.cdnMaxAgeSeconds,
      parametersInCacheKeyAndForwardedToOrigin: {
        cookiesConfig: { cookieBehavior: 'none' },
        headersConfig: { headerBehavior: 'none' },
        queryStringsConfig: {
          queryStringBehavior: 'whitelist',
          queryStrings: { items: [cdn.versionParameter] },
        },
        // Variants are already compressed images.
        enableAcceptEncodingGzip: false,
        enableAcceptEncodingBrotli: false,
      },
    });
    const headers = new CloudfrontResponseHeadersPolicy(this, 'headers', {
      name: `${namePrefix}-variants`,
      comment: 'Security headers on every variant response',
      securityHeadersConfig: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: {
          accessControlMaxAgeSec: 31_536_000,
          includeSubdomains: true,
          override: true,
        },
      },
    });
    const versionCheck = new CloudfrontFunction(this, 'version-check', {
      name: `${namePrefix}-version-check`,
      comment: `404 unless the stored version is the ?${cdn.versionParameter}= asked for`,
      runtime: 'cloudfront-js-2.0',
      publish: true,
      code: versionCheckCode(cdn),
    });
    const behaviour = {
      viewerProtocolPolicy: 'redirect-to-https',
      allowedMethods: ['GET', 'HEAD'],
      cachedMethods: ['GET', 'HEAD'],
      cachePolicyId: this.cachePolicy.id,
      responseHeadersPolicyId: headers.id,
      compress: false,
    };
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      comment: `${namePrefix} variants`,
      priceClass: props.priceClass ?? 'PriceClass_100',
      origin: [
        {
          originId: S3_ORIGIN,
          domainName: bucket.bucketRegionalDomainName,
          originAccessControlId: s3Access.id,
        },
        {
          originId: RENDER_ORIGIN,
          // https://<id>.lambda-url.<region>.on.aws/ -> <id>.lambda-url.<region>.on.aws
          domainName: Fn.element(Fn.split('/', this.renderUrl.functionUrl), 2) as string,
          originAccessControlId: lambdaAccess.id,
          customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: 'https-only',
            originSslProtocols: ['TLSv1.2'],
            originReadTimeout: 30,
          },
        },
      ],
      originGroup: [
        {
          originId: ORIGIN_GROUP,
          failoverCriteria: { statusCodes: FAILOVER_STATUS },
          member: [{ originId: S3_ORIGIN }, { originId: RENDER_ORIGIN }],
        },
      ],
      defaultCacheBehavior: {
        ...behaviour,
        targetOriginId: ORIGIN_GROUP,
        functionAssociation: [{ eventType: 'viewer-response', functionArn: versionCheck.arn }],
      },
      orderedCacheBehavior: [
        { ...behaviour, pathPattern: `/${CDN_ERROR_PREFIX}*`, targetOriginId: S3_ORIGIN },
      ],
      customErrorResponse: [
        {
          errorCode: 403,
          responseCode: 404,
          responsePagePath: `/${CDN_NOT_FOUND_KEY}`,
          errorCachingMinTtl: cdn.errorCachingSeconds,
        },
        { errorCode: 404, errorCachingMinTtl: cdn.errorCachingSeconds },
      ],
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    });
    new S3Object(this, 'not-found', {
      bucket: bucket.id,
      key: CDN_NOT_FOUND_KEY,
      content: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No such variant' } }),
      contentType: 'application/json',
      cacheControl: errorCacheControl(cdn),
    });

    // The derived bucket's one policy: the TLS-only deny plus this distribution's read (no ListBucket).
    props.derived.addPolicyStatements([
      {
        sid: 'CdnReadsVariants',
        effect: 'Allow',
        actions: ['s3:GetObject'],
        resources: [`${bucket.arn}/*`],
        principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
        condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [this.distribution.arn] }],
      },
    ]);
    // hashicorp/aws 5.100.0 has no `invoked_via_function_url`: a Function URL invocation needs both
    // actions, each scoped to this distribution.
    new LambdaPermission(this, 'render-invoke-url', {
      statementId: 'cdn-invokes-function-url',
      action: 'lambda:InvokeFunctionUrl',
      functionName: props.render.functionName,
      functionUrlAuthType: 'AWS_IAM',
      principal: 'cloudfront.amazonaws.com',
      sourceArn: this.distribution.arn,
    });
    new LambdaPermission(this, 'render-invoke', {
      statementId: 'cdn-invokes-function',
      action: 'lambda:InvokeFunction',
      functionName: props.render.functionName,
      principal: 'cloudfront.amazonaws.com',
      sourceArn: this.distribution.arn,
    });
    this.url = `https://${this.distribution.domainName}`;
  }

  /**
   * Lets a role invalidate this distribution's cache (a deleted image's `/<key>/*`), in a policy of
   * its own next to the role's inline policy.
   * @example cdn.grantInvalidation(functions.byName.resize.role.role, 'resize')
   */
  grantInvalidation(role: IamRole, id: string): IamRolePolicy {
    const doc = new DataAwsIamPolicyDocument(this, `${id}-invalidate-document`, {
      statement: [
        {
          sid: 'InvalidateDeletedImages',
          effect: 'Allow',
          actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
          resources: [this.distribution.arn],
        },
      ],
    });
    return new IamRolePolicy(this, `${id}-invalidate`, {
      name: `${id}-cdn-invalidate`,
      role: role.id,
      policy: doc.json,
    });
  }
}
