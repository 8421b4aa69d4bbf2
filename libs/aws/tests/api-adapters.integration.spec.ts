import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { seqKey, type ImageRow } from '@imgpipe/core';
import {
  createAwsClients,
  createPresigningS3Client,
  DynamoImageIndex,
  DynamoImageTable,
  S3UploadSigner,
} from '../src';
import { startPipelineServers, type PipelineServers } from '@imgpipe/local-aws/testing';
import { nextVersion } from './support/versions';

jest.setTimeout(60_000);

let servers: PipelineServers;
let table: DynamoImageTable;
let index: DynamoImageIndex;

beforeAll(async () => {
  servers = await startPipelineServers();
  const clients = createAwsClients('api', servers.env('api'));
  table = new DynamoImageTable(clients.dynamo, servers.pipeline.names.table);
  index = new DynamoImageIndex(clients.dynamo, servers.pipeline.names.table);
});

afterAll(async () => {
  await servers.stop();
});

/** A ready row written the way the pipeline writes it (metadata, variants, finalize). */
async function readyRow(key: string, now: string) {
  const v = nextVersion(key);
  await table.writeMetadata(v, { format: 'jpeg', width: 1, height: 1, metadata: {} }, now);
  await table.writeVariants(v, { variants: [], presetsHash: 'h' }, now);
  await table.finalize(key, v.seqKey, now);
}

describe('S3UploadSigner', () => {
  it('signs a policy of exactly the key, the Content-Type and 1 to the declared bytes, without checksums', async () => {
    const signer = new S3UploadSigner(createPresigningS3Client('api', servers.env('api')));
    const post = await signer.presignPost({
      bucket: 'imgpipe-source',
      key: 'u/alice/cat.jpg',
      contentType: 'image/jpeg',
      maxBytes: 1000,
      expiresInSeconds: 300,
    });
    const policy = JSON.parse(Buffer.from(post.fields['Policy'] ?? '', 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };

    expect(post.url).toBe(`${servers.aws.s3Endpoint}/imgpipe-source`);
    expect(Object.keys(post.fields).sort()).toEqual([
      'Content-Type',
      'Policy',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Signature',
      'bucket',
      'key',
    ]);
    expect(policy.conditions).toEqual([
      ['content-length-range', 1, 1000],
      ['eq', '$Content-Type', 'image/jpeg'],
      { 'Content-Type': 'image/jpeg' },
      { bucket: 'imgpipe-source' },
      { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
      { 'X-Amz-Credential': post.fields['X-Amz-Credential'] },
      { 'X-Amz-Date': post.fields['X-Amz-Date'] },
      { key: 'u/alice/cat.jpg' },
    ]);
    const lifetime = Date.parse(policy.expiration) - Date.now();
    expect(lifetime).toBeGreaterThan(290_000);
    expect(lifetime).toBeLessThanOrEqual(300_000);

    // A browser-style form POST with the fields, then the file, stores the object.
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob([Buffer.from('abc')], { type: 'image/jpeg' }), 'cat.jpg');
    const res = await fetch(post.url, { method: 'POST', body: form });
    expect(res.status).toBeLessThan(300);
    const head = await servers.s3.send(
      new HeadObjectCommand({ Bucket: 'imgpipe-source', Key: 'u/alice/cat.jpg' }),
    );
    expect(head).toMatchObject({
      ContentLength: 3,
      ContentType: 'image/jpeg',
    });
  });
});

describe('DynamoImageIndex', () => {
  beforeAll(async () => {
    await readyRow('u/alice/a.jpg', '2026-11-27T10:00:00.000Z');
    await readyRow('u/alice/trips/b.jpg', '2026-11-27T11:00:00.000Z');
    await readyRow('u/alice/c.jpg', '2026-11-27T12:00:00.000Z');
    await readyRow('u/bob/d.jpg', '2026-11-27T13:00:00.000Z');
    await readyRow('photos/e.jpg', '2026-11-27T14:00:00.000Z');
  });

  it('writes the index keys on every row', async () => {
    expect(await servers.row('u/alice/a.jpg')).toMatchObject({
      ownerPrefix: 'u/alice/',
      ownerStatus: 'u/alice/#ready',
    });
    expect(await servers.row('photos/e.jpg')).toMatchObject({ ownerPrefix: '*', ownerStatus: '*#ready' });
  });

  it("pages an owner's keys in key order by Query, narrowed by prefix", async () => {
    const first = await index.query({ index: 'byOwner', partition: 'u/alice/', limit: 2 });
    expect(first.rows.map((r) => r.objectKey)).toEqual(['u/alice/a.jpg', 'u/alice/c.jpg']);
    expect(first.lastKey).toEqual({ objectKey: 'u/alice/c.jpg', ownerPrefix: 'u/alice/' });
    const rest = await index.query({
      index: 'byOwner',
      partition: 'u/alice/',
      limit: 2,
      startKey: first.lastKey,
    });
    expect(rest.rows.map((r) => r.objectKey)).toEqual(['u/alice/trips/b.jpg']);
    const trips = await index.query({
      index: 'byOwner',
      partition: 'u/alice/',
      prefix: 'u/alice/trips/',
      limit: 10,
    });
    expect(trips.rows.map((r) => r.objectKey)).toEqual(['u/alice/trips/b.jpg']);
  });

  it('lists one status newest first and leaves tombstones out when asked', async () => {
    const ready = await index.query({ index: 'byStatus', partition: 'u/alice/#ready', limit: 10 });
    expect(ready.rows.map((r) => r.objectKey)).toEqual([
      'u/alice/c.jpg',
      'u/alice/trips/b.jpg',
      'u/alice/a.jpg',
    ]);
    await table.writeTombstone(
      { objectKey: 'u/alice/a.jpg', bucket: 'imgpipe-source', sequencer: 'FF', seqKey: seqKey('FF') },
      '2026-11-27T15:00:00.000Z',
      1,
    );
    const live = await index.query({
      index: 'byOwner',
      partition: 'u/alice/',
      excludeDeleted: true,
      limit: 10,
    });
    expect(live.rows.map((r) => r.objectKey)).toEqual(['u/alice/c.jpg', 'u/alice/trips/b.jpg']);
    const deleted = await index.query({ index: 'byStatus', partition: 'u/alice/#deleted', limit: 10 });
    expect(deleted.rows.map((r) => r.objectKey)).toEqual(['u/alice/a.jpg']);
  });

  it('backfills the keys of a row written before the indexes, only while its status holds', async () => {
    const old: ImageRow = {
      objectKey: 'u/carol/old.jpg',
      bucket: 'imgpipe-source',
      status: 'ready',
      sequencer: '01',
      seqKey: seqKey('01'),
      updatedAt: '2025-01-01T00:00:00.000Z',
    };
    await servers.db.send(new PutCommand({ TableName: servers.pipeline.names.table, Item: old }));
    expect((await index.query({ index: 'byOwner', partition: 'u/carol/', limit: 10 })).rows).toEqual([]);

    expect(await table.writeIndexKeys('u/carol/old.jpg', 'failed')).toBe(false);
    expect(await table.writeIndexKeys('u/carol/old.jpg', 'ready')).toBe(true);
    const listed = await index.query({ index: 'byOwner', partition: 'u/carol/', limit: 10 });
    expect(listed.rows).toEqual([{ ...old, ownerPrefix: 'u/carol/', ownerStatus: 'u/carol/#ready' }]);
  });
});
