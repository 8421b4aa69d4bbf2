import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Testing } from 'cdktf';
import { Tables } from '../src/constructs/tables';

describe('Tables', () => {
  const synth = Testing.synthScope((scope) => {
    new Tables(scope, 'tables', {
      tableName: 'imgpipe-test-images',
      controlTableName: 'imgpipe-test-control',
    });
  });

  it('creates the images table keyed by objectKey: on demand, PITR, encrypted, TTL on expiresAt', () => {
    expect(synth).toHaveResourceWithProperties(DynamodbTable, {
      name: 'imgpipe-test-images',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'objectKey',
      attribute: [
        { name: 'objectKey', type: 'S' },
        { name: 'ownerPrefix', type: 'S' },
        { name: 'ownerStatus', type: 'S' },
        { name: 'updatedAt', type: 'S' },
      ],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      ttl: { attribute_name: 'expiresAt', enabled: true },
      deletion_protection_enabled: true,
    });
  });

  it('indexes the images table for listing by key prefix and by status, newest first, without Scan', () => {
    const tf = JSON.parse(synth) as {
      resource: { aws_dynamodb_table: Record<string, { name: string; global_secondary_index?: unknown }> };
    };
    const byName = Object.fromEntries(
      Object.values(tf.resource.aws_dynamodb_table).map((t) => [t.name, t.global_secondary_index]),
    );
    expect(byName['imgpipe-test-images']).toEqual([
      { name: 'by-owner', hash_key: 'ownerPrefix', range_key: 'objectKey', projection_type: 'ALL' },
      { name: 'by-owner-status', hash_key: 'ownerStatus', range_key: 'updatedAt', projection_type: 'ALL' },
    ]);
    expect(byName['imgpipe-test-control']).toBeUndefined();
  });

  it("creates reconcile's control table keyed by id with the same protections", () => {
    expect(synth).toHaveResourceWithProperties(DynamodbTable, {
      name: 'imgpipe-test-control',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'id',
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
    });
  });

  it('makes Terraform refuse to destroy either table when asked (prod)', () => {
    const kept = Testing.synthScope((scope) => {
      new Tables(scope, 'tables', { tableName: 'a', controlTableName: 'b', preventDestroy: true });
    });
    const tables = Object.values(JSON.parse(kept).resource.aws_dynamodb_table) as { lifecycle?: unknown }[];
    expect(tables.map((t) => t.lifecycle)).toEqual([{ prevent_destroy: true }, { prevent_destroy: true }]);
    expect(synth).toHaveResourceWithProperties(DynamodbTable, { lifecycle: { prevent_destroy: false } });
  });
});
