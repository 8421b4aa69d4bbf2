import type { ResolvedStatement } from '@imgpipe/pipeline';
import { allowingStatement, conditionHolds, wildcardMatch } from '../../../src/iam/match';

const statement = (overrides: Partial<ResolvedStatement>): ResolvedStatement => ({
  sid: 'S',
  actions: ['s3:GetObject'],
  resources: ['arn:aws:s3:::b/*'],
  conditions: [],
  ...overrides,
});

describe('wildcardMatch', () => {
  it('lets * span any characters, / and : included, and ? exactly one', () => {
    expect(wildcardMatch('arn:aws:s3:::b/*', 'arn:aws:s3:::b/a/b/c.jpg')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::b/*', 'arn:aws:s3:::b')).toBe(false);
    expect(
      wildcardMatch(
        'arn:aws:logs:r:a:log-group:/aws/lambda/f:*',
        'arn:aws:logs:r:a:log-group:/aws/lambda/f:log-stream:x',
      ),
    ).toBe(true);
    expect(wildcardMatch('a?c', 'abc')).toBe(true);
    expect(wildcardMatch('a?c', 'abbc')).toBe(false);
  });

  it('treats regular-expression characters literally', () => {
    expect(wildcardMatch('arn:aws:s3:::b/(x).+', 'arn:aws:s3:::b/(x).+')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::b/(x).+', 'arn:aws:s3:::b/(x)aa')).toBe(false);
  });
});

describe('allowingStatement', () => {
  it('matches actions case-insensitively and resources case-sensitively', () => {
    const statements = [statement({})];
    expect(allowingStatement(statements, { action: 'S3:getobject', resource: 'arn:aws:s3:::b/k' })?.sid).toBe(
      'S',
    );
    expect(
      allowingStatement(statements, { action: 's3:GetObject', resource: 'arn:aws:s3:::B/k' }),
    ).toBeUndefined();
  });

  it('denies what no statement allows: another action, another bucket, the bucket itself', () => {
    const statements = [statement({})];
    expect(
      allowingStatement(statements, { action: 's3:PutObject', resource: 'arn:aws:s3:::b/k' }),
    ).toBeUndefined();
    expect(
      allowingStatement(statements, { action: 's3:GetObject', resource: 'arn:aws:s3:::c/k' }),
    ).toBeUndefined();
    expect(
      allowingStatement(statements, { action: 's3:GetObject', resource: 'arn:aws:s3:::b' }),
    ).toBeUndefined();
  });

  it('requires every condition of a statement to hold', () => {
    const statements = [
      statement({
        actions: ['s3:ListBucket'],
        resources: ['arn:aws:s3:::b'],
        conditions: [
          { test: 'StringLike', variable: 's3:prefix', values: ['photos/*'] },
          { test: 'StringEquals', variable: 's3:delimiter', values: ['/'] },
        ],
      }),
    ];
    const list = (context: Record<string, string[]>) =>
      allowingStatement(statements, { action: 's3:ListBucket', resource: 'arn:aws:s3:::b', context });
    expect(list({ 's3:prefix': ['photos/2026/'], 's3:delimiter': ['/'] })?.sid).toBe('S');
    expect(list({ 's3:prefix': ['private/'], 's3:delimiter': ['/'] })).toBeUndefined();
    expect(list({ 's3:prefix': ['photos/'] })).toBeUndefined();
  });
});

describe('conditionHolds', () => {
  it('evaluates each operator as IAM does, negated ones holding when the key is absent', () => {
    const ctx = { 'dynamodb:Select': ['COUNT'], 'aws:SecureTransport': ['false'] };
    expect(
      conditionHolds({ test: 'StringEquals', variable: 'dynamodb:select', values: ['COUNT'] }, ctx),
    ).toBe(true);
    expect(
      conditionHolds({ test: 'StringEquals', variable: 'dynamodb:Select', values: ['ALL_ATTRIBUTES'] }, ctx),
    ).toBe(false);
    expect(
      conditionHolds({ test: 'StringNotEquals', variable: 'dynamodb:Select', values: ['COUNT'] }, ctx),
    ).toBe(false);
    expect(
      conditionHolds(
        { test: 'StringNotEquals', variable: 'dynamodb:ReturnValues', values: ['ALL_OLD'] },
        ctx,
      ),
    ).toBe(true);
    expect(conditionHolds({ test: 'StringNotLike', variable: 'dynamodb:Select', values: ['CO*'] }, ctx)).toBe(
      false,
    );
    expect(conditionHolds({ test: 'Bool', variable: 'aws:SecureTransport', values: ['False'] }, ctx)).toBe(
      true,
    );
    expect(conditionHolds({ test: 'Null', variable: 'dynamodb:ReturnValues', values: ['true'] }, ctx)).toBe(
      true,
    );
    expect(conditionHolds({ test: 'Null', variable: 'dynamodb:Select', values: ['true'] }, ctx)).toBe(false);
  });
});
