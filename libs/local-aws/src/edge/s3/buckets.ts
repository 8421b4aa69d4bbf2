import { bucketOf, type S3Context } from './context';
import { malformedXml, S3Error } from './errors';
import { el, requestBody, sendEmpty, sendXml } from './http';
import { OWNER } from './listing';
import { LOCAL_REGION } from '@imgpipe/core';
import { readVersioning } from './xml';

/** ListBuckets. */
export function listBuckets(ctx: S3Context): void {
  const buckets = ctx.store
    .listBuckets()
    .map((b) => `<Bucket>${el('Name', b.name)}${el('CreationDate', b.created)}</Bucket>`)
    .join('');
  sendXml(ctx, 'ListAllMyBucketsResult', `${OWNER}<Buckets>${buckets}</Buckets>`);
}

/** CreateBucket (a configuration body is accepted and ignored: there is one region). */
export async function createBucket(ctx: S3Context): Promise<void> {
  await requestBody(ctx.r, 64 * 1024);
  if (!ctx.store.createBucket(bucketOf(ctx)))
    throw new S3Error(
      409,
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      { BucketName: bucketOf(ctx) },
    );
  sendEmpty(ctx.r, ctx.res, 200, { location: `/${bucketOf(ctx)}` });
}

export function deleteBucket(ctx: S3Context): void {
  ctx.store.deleteBucket(bucketOf(ctx));
  sendEmpty(ctx.r, ctx.res, 204);
}

export function headBucket(ctx: S3Context): void {
  ctx.store.bucket(bucketOf(ctx));
  sendEmpty(ctx.r, ctx.res, 200, { 'x-amz-bucket-region': LOCAL_REGION });
}

export function bucketLocation(ctx: S3Context): void {
  ctx.store.bucket(bucketOf(ctx));
  // us-east-1 answers an empty LocationConstraint, as S3 does.
  sendXml(ctx, 'LocationConstraint', '');
}

/** GetBucketVersioning / PutBucketVersioning (`Enabled` or `Suspended`; MFA delete is not emulated). */
export async function bucketVersioning(ctx: S3Context): Promise<void> {
  const bucket = bucketOf(ctx);
  if (ctx.r.method === 'GET') {
    const status = ctx.store.bucket(bucket).versioning;
    return sendXml(ctx, 'VersioningConfiguration', status ? el('Status', status) : '');
  }
  ctx.store.bucket(bucket);
  const body = (await requestBody(ctx.r, 64 * 1024)).toString('utf8');
  const config = readVersioning(body);
  const status = config?.status;
  if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  if (config?.mfaDelete === 'Enabled')
    throw new S3Error(501, 'NotImplemented', 'MFA delete is not emulated by the local stack.');
  ctx.store.setVersioning(bucket, status);
  sendEmpty(ctx.r, ctx.res, 200);
}

/** GetBucketAcl / GetObjectAcl: the owner has FULL_CONTROL (ACLs are not emulated, so none can be set). */
export function defaultAcl(ctx: S3Context): void {
  const grant =
    '<AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">' +
    OWNER.replace(/<\/?Owner>/g, '') +
    '</Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList>';
  sendXml(ctx, 'AccessControlPolicy', OWNER + grant);
}
