import type { AnyFunctionName } from './functions';

/**
 * The pipeline's resources a grant may name. Each resolves to one ARN pattern of the deployment
 * (`resolvePolicy`): infra passes Terraform references, the local stack the local ARNs.
 */
export const POLICY_RESOURCES = [
  'source-bucket',
  'source-objects',
  'derived-bucket',
  'derived-objects',
  'images-table',
  'images-table-indexes',
  'control-table',
  'dead-letter-queue',
  'own-log-streams',
] as const;
export type PolicyResource = (typeof POLICY_RESOURCES)[number];

/** IAM condition operators the local stack evaluates too (infra passes any of them through). */
export const CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringLike',
  'StringNotLike',
  'Bool',
  'Null',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** One condition of a statement: `{ test: 'StringLike', variable: 's3:prefix', values: ['a/*'] }`. */
export interface PolicyCondition {
  readonly test: ConditionOperator;
  /** A condition key, e.g. `s3:prefix`, `dynamodb:Select`. */
  readonly variable: string;
  readonly values: readonly string[];
}

/**
 * Why a statement is there, which also says what checks it:
 * - `code`: the function's adapters send these actions; the code-derived test compares them exactly
 *   with what the function's SDK traffic needs;
 * - `lambda`: the Lambda service acts with the role on the function's behalf (its logs, the
 *   on-failure destination), no adapter sends them;
 * - `not-found`: S3 answers a read of a missing key with 404 only to callers allowed `s3:ListBucket`
 *   (403 to others); the functions tell a stale event by that 404.
 */
export type StatementBasis = 'code' | 'lambda' | 'not-found';

/** One Allow statement of a function's role policy. */
export interface PolicyStatement {
  /** Statement id (alphanumeric, as IAM requires), so a reader of the policy sees why it is there. */
  readonly sid: string;
  /** Exact `service:Action` names; never a wildcard. */
  readonly actions: readonly string[];
  readonly resources: readonly PolicyResource[];
  readonly conditions?: readonly PolicyCondition[];
  readonly basis: StatementBasis;
}

/** A function's identity policy: Allow statements only (anything not allowed is denied). */
export type FunctionPolicy = readonly PolicyStatement[];

/**
 * Every function's policy, the event functions' and the HTTP functions' (`api`, `render`) alike: the
 * one home infra builds each role from and the local stack enforces under each function's key id.
 */
export type FunctionPolicies = Readonly<Record<AnyFunctionName, FunctionPolicy>>;

const WRITE_OWN_LOGS: PolicyStatement = {
  sid: 'WriteOwnLogs',
  actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  resources: ['own-log-streams'],
  basis: 'lambda',
};

/** The on-failure destination of an event-driven function: Lambda sends the failed event with the role. */
const PARK_FAILED_EVENTS: PolicyStatement = {
  sid: 'ParkFailedEvents',
  actions: ['sqs:SendMessage'],
  resources: ['dead-letter-queue'],
  basis: 'lambda',
};

const PLATFORM: FunctionPolicy = [WRITE_OWN_LOGS, PARK_FAILED_EVENTS];

const SOURCE_MISSING_AS_404: PolicyStatement = {
  sid: 'SeeMissingSourceAs404',
  actions: ['s3:ListBucket'],
  resources: ['source-bucket'],
  basis: 'not-found',
};

/** The source objects' bytes, for every function that decodes or serves them. */
const READ_SOURCE: PolicyStatement = {
  sid: 'ReadSource',
  actions: ['s3:GetObject'],
  resources: ['source-objects'],
  basis: 'code',
};

/** The HTTP functions' `SOURCE_MISSING_AS_404`, under the sid their roles have always had. */
const LIST_SOURCE_FOR_404: PolicyStatement = { ...SOURCE_MISSING_AS_404, sid: 'ListSource' };

/**
 * Updates of the images row: every writer writes it with conditional UpdateItems, and reads it (GetItem)
 * when a write is refused, an event ends before its write, or reconcile forces a render.
 */
const ROW_UPDATE = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];

/**
 * The least-privilege policy of each function. Reads of an object (`GetObject`, `HeadObject`) are
 * `s3:GetObject`; `DeleteObjects` is `s3:DeleteObject` per key, and `s3:GetObject` too when a key is
 * deleted only while it has the ETag sent (resize and reconcile remove variants that way); listing is
 * `s3:ListBucket` on the bucket.
 * - resize reads the source object, lists, heads, writes and deletes its variants, and records them on the row;
 * - metadata-sync reads the source object and updates the row;
 * - reconcile lists and heads the source, re-renders and removes variants, reads the rows in
 *   batches and by scan, updates them, and keeps its lease and checkpoint in the control table;
 * - api signs presigned POSTs (S3 checks the signer may `PutObject` the key), answers `pending` by HEAD
 *   on the source, deletes the current source object on `DELETE` (the pipeline does the rest), and reads
 *   rows by key and through the listing indexes (Query only: no Scan);
 * - render reads the source and the row and writes nothing (resize stays the only writer).
 */
export const DEFAULT_POLICIES: FunctionPolicies = {
  resize: [
    ...PLATFORM,
    SOURCE_MISSING_AS_404,
    READ_SOURCE,
    { sid: 'ListVariants', actions: ['s3:ListBucket'], resources: ['derived-bucket'], basis: 'code' },
    {
      sid: 'WriteVariants',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: ['derived-objects'],
      basis: 'code',
    },
    { sid: 'RecordVariants', actions: ROW_UPDATE, resources: ['images-table'], basis: 'code' },
  ],
  'metadata-sync': [
    ...PLATFORM,
    SOURCE_MISSING_AS_404,
    READ_SOURCE,
    { sid: 'RecordMetadata', actions: ROW_UPDATE, resources: ['images-table'], basis: 'code' },
  ],
  // Reconcile has no on-failure destination (a failed run is the next schedule's to repeat), so no DLQ grant.
  reconcile: [
    WRITE_OWN_LOGS,
    { sid: 'ListSource', actions: ['s3:ListBucket'], resources: ['source-bucket'], basis: 'code' },
    READ_SOURCE,
    { sid: 'ListVariants', actions: ['s3:ListBucket'], resources: ['derived-bucket'], basis: 'code' },
    {
      sid: 'RepairVariants',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: ['derived-objects'],
      basis: 'code',
    },
    {
      sid: 'RepairRows',
      actions: [...ROW_UPDATE, 'dynamodb:BatchGetItem', 'dynamodb:Scan'],
      resources: ['images-table'],
      basis: 'code',
    },
    {
      sid: 'LeaseAndCheckpoint',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      resources: ['control-table'],
      basis: 'code',
    },
  ],
  // The HTTP functions: no on-failure destination (their callers get the error), so no DLQ grant.
  api: [
    WRITE_OWN_LOGS,
    LIST_SOURCE_FOR_404,
    {
      // Presigned POSTs are checked against the signer's s3:PutObject; HEAD on `pending`; DELETE of a source.
      sid: 'UploadHeadAndDeleteSources',
      actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
      resources: ['source-objects'],
      basis: 'code',
    },
    {
      sid: 'ReadAndListRows',
      actions: ['dynamodb:GetItem', 'dynamodb:Query'],
      resources: ['images-table', 'images-table-indexes'],
      basis: 'code',
    },
  ],
  render: [
    WRITE_OWN_LOGS,
    LIST_SOURCE_FOR_404,
    READ_SOURCE,
    { sid: 'ReadRow', actions: ['dynamodb:GetItem'], resources: ['images-table'], basis: 'code' },
  ],
};

/** The functions that have a policy, in definition order. */
export function policyHolders(policies: FunctionPolicies): AnyFunctionName[] {
  return Object.keys(policies) as AnyFunctionName[];
}

const SID = /^[A-Za-z0-9]+$/;
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

/**
 * Why a policy cannot be deployed, or undefined when it can: sids unique and alphanumeric, exact
 * actions (no wildcards), known resources and condition operators.
 */
export function policyProblem(fn: string, policy: FunctionPolicy): string | undefined {
  const sids = new Set<string>();
  for (const s of policy) {
    const where = `policies.${fn}.${s.sid}`;
    if (!SID.test(s.sid) || sids.has(s.sid))
      return `Expected a unique alphanumeric sid in policies.${fn} but received "${s.sid}"`;
    sids.add(s.sid);
    if (s.actions.length === 0 || s.resources.length === 0)
      return `Expected at least one action and one resource in ${where}`;
    const badAction = s.actions.find((a) => !ACTION.test(a));
    if (badAction !== undefined)
      return `Expected exact service:Action names in ${where} but received "${badAction}"`;
    const badResource = s.resources.find((r) => !(POLICY_RESOURCES as readonly string[]).includes(r));
    if (badResource !== undefined)
      return `Expected one of ${POLICY_RESOURCES.join(', ')} in ${where} but received "${badResource}"`;
    const badTest = (s.conditions ?? []).find(
      (c) => !(CONDITION_OPERATORS as readonly string[]).includes(c.test),
    );
    if (badTest !== undefined)
      return `Expected one of ${CONDITION_OPERATORS.join(', ')} in ${where} but received "${badTest.test}"`;
  }
  return undefined;
}
