import {
  blocks,
  constructPath,
  type Item,
  references,
  resources,
  type TerraformJson,
} from './terraform-json';

/** The one route a caller reaches without a token. */
export const PUBLIC_ROUTES: readonly string[] = ['GET /v1/health'];

export interface DeliveryViolation {
  readonly code: 'ROUTE_WITHOUT_AUTH' | 'FUNCTION_URL_WITHOUT_AUTH' | 'S3_ORIGIN_WITHOUT_OAC';
  readonly path: string;
  readonly message: string;
}

function checkRoutes(tf: TerraformJson): DeliveryViolation[] {
  return resources(tf, 'aws_apigatewayv2_route')
    .filter((route) => {
      const auth = route.block['authorization_type'];
      const open = auth === undefined || auth === 'NONE';
      return open && !PUBLIC_ROUTES.includes(String(route.block['route_key']));
    })
    .map((route) => ({
      code: 'ROUTE_WITHOUT_AUTH' as const,
      path: constructPath(route),
      message: `route "${String(route.block['route_key'])}" has no authorizer (only ${PUBLIC_ROUTES.join(', ')} may)`,
    }));
}

function checkFunctionUrls(tf: TerraformJson): DeliveryViolation[] {
  const urls = resources(tf, 'aws_lambda_function_url')
    .filter((url) => url.block['authorization_type'] !== 'AWS_IAM')
    .map((url) => ({
      code: 'FUNCTION_URL_WITHOUT_AUTH' as const,
      path: constructPath(url),
      message: `Function URL auth is ${JSON.stringify(url.block['authorization_type'])}, not AWS_IAM`,
    }));
  // A permission to invoke a URL must name its caller (the distribution): an `AWS_IAM` URL that anyone
  // may invoke, or a `NONE` permission, is a public URL all the same.
  const permissions = resources(tf, 'aws_lambda_permission')
    .filter((p) => p.block['action'] === 'lambda:InvokeFunctionUrl')
    .filter((p) => p.block['function_url_auth_type'] !== 'AWS_IAM' || !p.block['source_arn'])
    .map((p) => ({
      code: 'FUNCTION_URL_WITHOUT_AUTH' as const,
      path: constructPath(p),
      message: 'lambda:InvokeFunctionUrl is granted without AWS_IAM auth or without a source ARN',
    }));
  return [...urls, ...permissions];
}

/** A literal S3 endpoint or a reference to a bucket's domain name. */
function isS3Origin(domain: unknown): boolean {
  if (typeof domain !== 'string') return false;
  return /\$\{aws_s3_bucket\.[^.]+\.bucket(_regional)?_domain_name\}/.test(domain) || /\.s3[.-]/.test(domain);
}

function s3AccessControls(tf: TerraformJson): Item[] {
  return resources(tf, 'aws_cloudfront_origin_access_control').filter(
    (oac) =>
      oac.block['origin_access_control_origin_type'] === 's3' && oac.block['signing_behavior'] === 'always',
  );
}

function checkS3Origins(tf: TerraformJson): DeliveryViolation[] {
  const oacs = s3AccessControls(tf);
  const out: DeliveryViolation[] = [];
  for (const distribution of resources(tf, 'aws_cloudfront_distribution')) {
    for (const origin of blocks(distribution.block['origin'])) {
      if (!isS3Origin(origin['domain_name'])) continue;
      const viaOac = oacs.some((oac) =>
        references(origin['origin_access_control_id'], 'aws_cloudfront_origin_access_control', oac.name),
      );
      const legacyIdentity = blocks(origin['s3_origin_config']).some((c) =>
        Boolean(c['origin_access_identity']),
      );
      if (!viaOac || legacyIdentity) {
        out.push({
          code: 'S3_ORIGIN_WITHOUT_OAC',
          path: constructPath(distribution),
          message: `origin ${String(origin['origin_id'])} reads S3 without an S3 Origin Access Control that signs always`,
        });
      }
    }
  }
  return out;
}

/**
 * The delivery rules: no API route without a JWT authorizer but health, no Function URL without
 * `AWS_IAM` auth, every S3 origin of a distribution through an Origin Access Control (not public, not
 * a legacy origin access identity).
 * @example expect(checkDelivery(tf)).toEqual([])
 */
export function checkDelivery(tf: TerraformJson): DeliveryViolation[] {
  return [...checkRoutes(tf), ...checkFunctionUrls(tf), ...checkS3Origins(tf)];
}
