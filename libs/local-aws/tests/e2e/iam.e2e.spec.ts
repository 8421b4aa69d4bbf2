import { DeleteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_POLICIES, FUNCTION_NAMES, type FunctionName } from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import { type LocalStack, type LocalStackOptions, s3Event } from '../../src';
import type { IamDecision } from '../../src/iam/enforcer';
import { scheduledEvent } from '@imgpipe/core';
import { codeGrants, usedGrants } from '../../src/testing';
import { dynamoFor, s3For, tempDir, waitFor } from '../support/helpers';
import { apiRow, exists, settledRow, startRealStack } from '../support/pipeline';

jest.setTimeout(240_000);

const SOURCE = 'imgpipe-source';
const DERIVED = 'imgpipe-derived';
const TABLE = 'imgpipe-images';
const PHOTO = readCorpusFile('sharp-fixtures/320x240.jpg');
const OTHER = readCorpusFile('sharp-fixtures/Landscape_9.jpg');
const BROKEN = readCorpusFile('imagetestsuite/jpg/28968137f4fc75fbf56f16d7a7a8551a.jpg');

const start = (name: string, extra: LocalStackOptions = {}) => startRealStack(tempDir(name), extra);
const settled = (stack: LocalStack, key: string, statuses: readonly string[]) =>
  settledRow(stack.endpoint, key, statuses);

/** An Object Created event for a key that is not (or no longer) in the source bucket. */
const createdButGone = (key: string) =>
  s3Event({
    bucket: SOURCE,
    key,
    reason: 'PutObject',
    sequencer: '0065A1B2C3D4999999',
    size: 10,
    etag: 'abc',
  });

/** Clients that sign as function `fn` does (any secret: the edge reads the key id, as IAM would the role). */
function signedAs(endpoint: string, fn: FunctionName) {
  const credentials = { accessKeyId: `imgpipe-${fn}`, secretAccessKey: 'anything' };
  const common = { endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
  return { s3: new S3Client({ ...common, forcePathStyle: true }), dynamo: new DynamoDBClient(common) };
}

type SdkError = { name: string; $metadata: { httpStatusCode?: number } };
const failure = (promise: Promise<unknown>): Promise<SdkError | undefined> =>
  promise.then(
    () => undefined,
    (e: unknown) => e as SdkError,
  );

describe('what each function sends is exactly what its policy grants (real bundles, every request audited)', () => {
  const decisions: IamDecision[] = [];
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await start('iam-audit', { onIamDecision: (d) => decisions.push(d) });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('runs uploads, an overwrite, a delete, a broken image, late events and reconcile repairs with no AccessDenied, using every code grant', async () => {
    const admin = s3For(stack.endpoint);
    const db = dynamoFor(stack.endpoint);
    // Prepare: what each function does on events.
    await admin.send(new PutObjectCommand({ Bucket: SOURCE, Key: 'keep.jpg', Body: PHOTO }));
    await admin.send(new PutObjectCommand({ Bucket: SOURCE, Key: 'gone.jpg', Body: PHOTO }));
    await admin.send(new PutObjectCommand({ Bucket: SOURCE, Key: 'broken.jpg', Body: BROKEN }));
    await admin.send(new PutObjectCommand({ Bucket: SOURCE, Key: 'hole.jpg', Body: PHOTO }));
    await settled(stack, 'keep.jpg', ['ready']);
    await settled(stack, 'hole.jpg', ['ready']);
    await settled(stack, 'gone.jpg', ['ready']);
    await settled(stack, 'broken.jpg', ['failed']);
    await admin.send(new PutObjectCommand({ Bucket: SOURCE, Key: 'keep.jpg', Body: OTHER }));
    await waitFor(
      async () => (await apiRow(stack.endpoint, 'keep.jpg'))?.width === 480,
      120_000,
      'the overwrite',
    );
    await admin.send(new DeleteObjectCommand({ Bucket: SOURCE, Key: 'gone.jpg' }));
    await settled(stack, 'gone.jpg', ['deleted']);
    await waitFor(
      async () => !(await exists(admin, DERIVED, 'gone.jpg/thumb.webp')),
      60_000,
      'variants gone',
    );

    // Drift for reconcile: a lost row, a variant next to a failed image, a row whose source is gone, a
    // variant missing under a ready row.
    await db.send(new DeleteItemCommand({ TableName: TABLE, Key: { objectKey: { S: 'keep.jpg' } } }));
    await admin.send(new DeleteObjectCommand({ Bucket: DERIVED, Key: 'hole.jpg/small.webp' }));
    await admin.send(new PutObjectCommand({ Bucket: DERIVED, Key: 'broken.jpg/thumb.webp', Body: PHOTO }));
    await db.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          objectKey: { S: 'ghost.jpg' },
          bucket: { S: SOURCE },
          status: { S: 'ready' },
          sequencer: { S: '0065A1B2C3D4000001' },
          seqKey: { S: '0065A1B2C3D400000100000000000000' },
        },
      }),
    );
    const outcome = await stack.invoke('reconcile', scheduledEvent({ rule: 'imgpipe-reconcile-now' }));
    expect(outcome.ok).toBe(true);
    expect(await apiRow(stack.endpoint, 'keep.jpg')).toMatchObject({ status: 'ready' });
    expect(await apiRow(stack.endpoint, 'ghost.jpg')).toMatchObject({ status: 'deleted' });
    expect(await exists(admin, DERIVED, 'broken.jpg/thumb.webp')).toBe(false);
    expect(await exists(admin, DERIVED, 'hole.jpg/small.webp')).toBe(true);

    // A late event for an object already gone is stale: S3 says 404, since both functions may list the
    // bucket, and the row decides (resize's GetItem: on its common path it reads no row).
    for (const fn of ['metadata-sync', 'resize'] as const) {
      const late = await stack.invoke(fn, createdButGone('never-there.jpg'));
      expect({ fn, late }).toMatchObject({ fn, late: { ok: true } });
    }

    // Assess: nothing denied, and each function used every action its policy grants its code, no more.
    expect(decisions.filter((d) => !d.allowed)).toEqual([]);
    for (const fn of FUNCTION_NAMES) {
      expect({ fn, used: usedGrants(decisions, fn) }).toEqual({
        fn,
        used: codeGrants(stack.pipeline.policies[fn]),
      });
    }
  });
});

describe('a missing grant is caught locally as AWS would catch it', () => {
  let stack: LocalStack;
  const resize = DEFAULT_POLICIES.resize.map((s) =>
    s.sid === 'WriteVariants' ? { ...s, actions: s.actions.filter((a) => a !== 's3:PutObject') } : s,
  );
  const metadataSync = DEFAULT_POLICIES['metadata-sync'].filter((s) => s.sid !== 'SeeMissingSourceAs404');
  const reconcile = DEFAULT_POLICIES.reconcile.map((s) =>
    s.sid === 'RepairRows' ? { ...s, actions: s.actions.filter((a) => a !== 'dynamodb:BatchGetItem') } : s,
  );

  beforeAll(async () => {
    stack = await start('iam-missing', {
      pipeline: {
        policies: { resize, reconcile, 'metadata-sync': metadataSync },
        functions: { resize: { maximumRetryAttempts: 0 }, reconcile: { maximumRetryAttempts: 0 } },
      },
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('parks the event in the DLQ with AccessDenied when resize may not put its variants', async () => {
    await s3For(stack.endpoint).send(new PutObjectCommand({ Bucket: SOURCE, Key: 'cat.jpg', Body: PHOTO }));
    const [entry] = await waitFor(() => stack.dlq().length > 0 && stack.dlq(), 120_000, 'a DLQ entry');
    expect(entry?.function).toBe('resize');
    expect(entry?.error.type).toBe('AccessDenied');
    expect(entry?.error.message).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/imgpipe-resize\/imgpipe-resize is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::imgpipe-derived\/cat\.jpg\/\w+\.\w+" because no identity-based policy allows the s3:PutObject action$/,
    );
    expect(await exists(s3For(stack.endpoint), DERIVED, 'cat.jpg/thumb.webp')).toBe(false);
  });

  it('answers 403, not 404, for a missing key to metadata-sync when it may not list the source (as S3 does)', async () => {
    const outcome = await stack.invoke('metadata-sync', createdButGone('never-there.jpg'));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toEqual({ type: 'AccessDenied', message: 'Access Denied' });
  });

  it('fails reconcile with AccessDeniedException when it may not BatchGetItem (the bug the old role had)', async () => {
    const outcome = await stack.invoke('reconcile', scheduledEvent({ rule: 'imgpipe-reconcile-now' }));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toEqual({
      type: 'AccessDeniedException',
      message:
        'User: arn:aws:sts::000000000000:assumed-role/imgpipe-reconcile/imgpipe-reconcile is not authorized to perform: ' +
        'dynamodb:BatchGetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/imgpipe-images ' +
        'because no identity-based policy allows the dynamodb:BatchGetItem action',
    });
  });
});

describe('anyone may sign with a function key id to see what the function may do', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await start('iam-keys');
    await s3For(stack.endpoint).send(new PutObjectCommand({ Bucket: SOURCE, Key: 'a.jpg', Body: PHOTO }));
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('answers S3 AccessDenied (403) to resize deleting in the source bucket, and lets it read there', async () => {
    const { s3 } = signedAs(stack.endpoint, 'resize');
    const error = await failure(s3.send(new DeleteObjectCommand({ Bucket: SOURCE, Key: 'a.jpg' })));
    expect(error?.name).toBe('AccessDenied');
    expect(error?.$metadata.httpStatusCode).toBe(403);
    expect(await exists(s3, SOURCE, 'a.jpg')).toBe(true);
  });

  it('authorizes DeleteObjects key by key: a denied key is an AccessDenied entry and the others are deleted', async () => {
    const admin = s3For(stack.endpoint);
    for (const key of ['d/1.webp', 'd/2.webp'])
      await admin.send(new PutObjectCommand({ Bucket: DERIVED, Key: key, Body: 'x' }));
    const { s3 } = signedAs(stack.endpoint, 'resize');
    // resize may delete variants (s3:DeleteObject) but not a version of one (s3:DeleteObjectVersion).
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: DERIVED,
        Delete: { Objects: [{ Key: 'd/1.webp' }, { Key: 'd/2.webp', VersionId: 'null' }] },
      }),
    );
    expect(result.Deleted?.map((d) => d.Key)).toEqual(['d/1.webp']);
    expect(result.Errors).toEqual([
      { Key: 'd/2.webp', VersionId: 'null', Code: 'AccessDenied', Message: 'Access Denied' },
    ]);
    expect([await exists(admin, DERIVED, 'd/1.webp'), await exists(admin, DERIVED, 'd/2.webp')]).toEqual([
      false,
      true,
    ]);
    const source = await s3.send(
      new DeleteObjectsCommand({ Bucket: SOURCE, Delete: { Objects: [{ Key: 'a.jpg' }] } }),
    );
    expect(source.Errors?.map((e) => [e.Key, e.Code])).toEqual([['a.jpg', 'AccessDenied']]);
    expect(source.Deleted ?? []).toEqual([]);
    expect(await exists(admin, SOURCE, 'a.jpg')).toBe(true);
  });

  it('answers DynamoDB AccessDeniedException (400) to metadata-sync scanning the table, and lets reconcile scan', async () => {
    const as = (fn: FunctionName) => signedAs(stack.endpoint, fn).dynamo;
    const error = await failure(as('metadata-sync').send(new ScanCommand({ TableName: TABLE })));
    expect(error?.name).toBe('AccessDeniedException');
    expect(error?.$metadata.httpStatusCode).toBe(400);
    await expect(as('reconcile').send(new ScanCommand({ TableName: TABLE }))).resolves.toMatchObject({
      $metadata: { httpStatusCode: 200 },
    });
  });

  it("answers a denied DynamoDB call with AWS's coral AccessDeniedException body", async () => {
    const res = await fetch(stack.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.BatchGetItem',
        authorization:
          'AWS4-HMAC-SHA256 Credential=imgpipe-metadata-sync/20261127/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify({ RequestItems: { [TABLE]: { Keys: [{ objectKey: { S: 'a.jpg' } }] } } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      __type: 'com.amazon.coral.service#AccessDeniedException',
      Message:
        'User: arn:aws:sts::000000000000:assumed-role/imgpipe-metadata-sync/imgpipe-metadata-sync is not authorized to perform: ' +
        'dynamodb:BatchGetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/imgpipe-images ' +
        'because no identity-based policy allows the dynamodb:BatchGetItem action',
    });
  });

  it('reads the key id of a presigned URL: AccessDenied XML for a presigned delete signed imgpipe-resize', async () => {
    const now = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const credential = encodeURIComponent(`imgpipe-resize/${now.slice(0, 8)}/us-east-1/s3/aws4_request`);
    const url =
      `${stack.endpoint}/${SOURCE}/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${credential}` +
      `&X-Amz-Date=${now}&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${'0'.repeat(64)}`;
    const denied = await fetch(url, { method: 'DELETE' });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toMatch(
      /<Error><Code>AccessDenied<\/Code><Message>User: .* s3:DeleteObject .*<\/Message>/,
    );
    expect(await exists(s3For(stack.endpoint), SOURCE, 'a.jpg')).toBe(true);
  });
});
