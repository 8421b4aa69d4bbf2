import { createHmac, timingSafeEqual } from 'node:crypto';
import { S3Error } from './errors';

/** A browser POST's policy document, decoded. */
export interface PostPolicy {
  readonly expiration: string;
  readonly conditions: readonly unknown[];
}

const accessDenied = (why: string): S3Error =>
  new S3Error(403, 'AccessDenied', `Invalid according to Policy: ${why}`);
const invalidPolicy = (why: string): S3Error =>
  new S3Error(400, 'InvalidPolicyDocument', `Invalid Policy: ${why}`);

/** Decodes the base64 `policy` field; InvalidPolicyDocument when it is not S3's policy JSON. */
export function decodePolicy(base64: string): PostPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  const doc = parsed as { expiration?: unknown; conditions?: unknown };
  if (typeof doc !== 'object' || doc === null || typeof doc.expiration !== 'string')
    throw invalidPolicy('Policy missing expiration.');
  if (Number.isNaN(Date.parse(doc.expiration))) throw invalidPolicy("Invalid 'expiration' value.");
  if (!Array.isArray(doc.conditions)) throw invalidPolicy('Policy missing conditions.');
  return { expiration: doc.expiration, conditions: doc.conditions };
}

/** SigV4 over the policy: HMAC of the base64 policy with the key derived from the credential's scope. */
export function policySignature(
  secret: string,
  credential: string,
  policyBase64: string,
): string | undefined {
  const [, date, region, service, terminal] = credential.split('/');
  if (!date || !region || !service || terminal !== 'aws4_request') return undefined;
  const hmac = (key: Buffer | string, data: string) =>
    createHmac('sha256', key).update(data, 'utf8').digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return createHmac('sha256', signingKey).update(policyBase64, 'utf8').digest('hex');
}

const sameText = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const signatureMismatch = (): S3Error =>
  new S3Error(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );

/**
 * Checks the policy's signature (V4: `x-amz-signature`; V2: `AWSAccessKeyId` + `signature`, which S3
 * still accepts in us-east-1) when the stack knows the access key's secret; any credentials work otherwise.
 */
export function verifySignature(
  fields: ReadonlyMap<string, string>,
  secretFor: (accessKeyId: string) => string | undefined,
): void {
  const policy = fields.get('policy') ?? '';
  if (fields.has('awsaccesskeyid') && fields.has('signature') && !fields.has('x-amz-signature')) {
    const secret = secretFor(fields.get('awsaccesskeyid') ?? '');
    if (secret === undefined) return;
    const expected = createHmac('sha1', secret).update(policy, 'utf8').digest('base64');
    if (!sameText(expected, fields.get('signature') ?? '')) throw signatureMismatch();
    return;
  }
  const algorithm = fields.get('x-amz-algorithm');
  const credential = fields.get('x-amz-credential') ?? '';
  const signature = fields.get('x-amz-signature');
  if (algorithm !== 'AWS4-HMAC-SHA256' || !signature || !credential || !fields.has('x-amz-date'))
    throw new S3Error(
      400,
      'InvalidRequest',
      'A POST with a policy must be signed: x-amz-algorithm (AWS4-HMAC-SHA256), x-amz-credential, x-amz-date and x-amz-signature, or AWSAccessKeyId and signature.',
    );
  const secret = secretFor(credential.split('/')[0] ?? '');
  if (secret === undefined) return;
  const expected = policySignature(secret, credential, policy);
  if (expected === undefined || !sameText(expected, signature)) throw signatureMismatch();
}

/** Fields a policy need not mention. */
const EXEMPT = new Set(['policy', 'x-amz-signature', 'signature', 'awsaccesskeyid', 'file']);

/**
 * Checks the policy against the form (field names lower-cased) and the file size, as S3 does: expiry,
 * every `eq`/`starts-with`/exact condition, `content-length-range`, and no field the policy does not cover.
 */
export function checkPolicy(
  policy: PostPolicy,
  fields: ReadonlyMap<string, string>,
  bucket: string,
  fileSize: number,
  now = Date.now(),
): void {
  if (Date.parse(policy.expiration) <= now) throw accessDenied('Policy expired.');
  const covered = new Set<string>();
  const value = (name: string) => (name === 'bucket' ? bucket : (fields.get(name) ?? ''));
  const failed = (condition: unknown) =>
    accessDenied(`Policy Condition failed: ${JSON.stringify(condition)}`);
  for (const condition of policy.conditions) {
    if (Array.isArray(condition)) {
      const [op, rawName, expected] = condition as unknown[];
      const operator = String(op).toLowerCase();
      if (operator === 'content-length-range') {
        const min = Number(rawName);
        const max = Number(expected);
        if (!Number.isFinite(min) || !Number.isFinite(max))
          throw invalidPolicy('Invalid content-length-range.');
        if (fileSize > max)
          throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
            ProposedSize: String(fileSize),
            MaxSizeAllowed: String(max),
          });
        if (fileSize < min)
          throw new S3Error(
            400,
            'EntityTooSmall',
            'Your proposed upload is smaller than the minimum allowed size',
            {
              ProposedSize: String(fileSize),
              MinSizeAllowed: String(min),
            },
          );
        continue;
      }
      if (typeof rawName !== 'string' || !rawName.startsWith('$') || typeof expected !== 'string')
        throw invalidPolicy(`Invalid condition ${JSON.stringify(condition)}.`);
      const name = rawName.slice(1).toLowerCase();
      covered.add(name);
      if (operator === 'eq') {
        if (value(name) !== expected) throw failed(condition);
      } else if (operator === 'starts-with') {
        // Content-Type starts-with applies to each comma-separated value, as S3 does.
        const values =
          name === 'content-type'
            ? value(name)
                .split(',')
                .map((v) => v.trim())
            : [value(name)];
        if (!values.every((v) => v.startsWith(expected))) throw failed(condition);
      } else throw invalidPolicy(`Invalid operator ${JSON.stringify(op)}.`);
    } else if (typeof condition === 'object' && condition !== null) {
      for (const [rawName, expected] of Object.entries(condition)) {
        const name = rawName.toLowerCase();
        covered.add(name);
        if (value(name) !== String(expected)) throw failed({ [rawName]: expected });
      }
    } else throw invalidPolicy(`Invalid condition ${JSON.stringify(condition)}.`);
  }
  const extra = [...fields.keys()].filter(
    (name) => !EXEMPT.has(name) && !name.startsWith('x-ignore-') && !covered.has(name),
  );
  if (extra.length) throw accessDenied(`Extra input fields: ${extra.join(', ')}`);
}
