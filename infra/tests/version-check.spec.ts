import { DEFAULT_CDN } from '@imgpipe/pipeline';
import { versionCheckCode, versionHeader } from '../src/cdn/version-check';

interface CfResponse {
  statusCode: number;
  statusDescription?: string;
  headers: Record<string, { value: string }>;
  body?: { encoding: string; data: string };
}
type Handler = (event: {
  request: { querystring: Record<string, { value: string }> };
  response: CfResponse;
}) => CfResponse;

// The synthesized function source, run as CloudFront runs it: a script defining `handler`.
const handler = new Function(`${versionCheckCode(DEFAULT_CDN)}\nreturn handler;`)() as Handler;
const header = versionHeader(DEFAULT_CDN);

function respond(query: Record<string, string>, status: number, stored?: string): CfResponse {
  return handler({
    request: { querystring: Object.fromEntries(Object.entries(query).map(([k, value]) => [k, { value }])) },
    response: {
      statusCode: status,
      headers: {
        'content-type': { value: 'image/webp' },
        etag: { value: '"abc"' },
        ...(stored === undefined ? {} : { [header]: { value: stored } }),
      },
    },
  });
}

describe('the CDN version check', () => {
  it('names the header S3 sends for the version metadata', () => {
    expect(header).toBe('x-amz-meta-imgpipe-version');
    expect(versionCheckCode(DEFAULT_CDN)).not.toMatch(/__[A-Z_]+__/);
  });

  it('passes a variant whose stored version is the one asked for', () => {
    const response = respond({ v: 'abc' }, 200, 'abc');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBeUndefined();
    expect(response.body).toBeUndefined();
  });

  it('answers 404, cached briefly, for another version (an overwrite under an old URL)', () => {
    const response = respond({ v: 'old' }, 200, 'new');
    expect(response.statusCode).toBe(404);
    expect(response.headers).toEqual({
      'cache-control': { value: 'public, max-age=10' },
      'content-type': { value: 'application/json' },
      'content-length': { value: String(Buffer.byteLength(response.body?.data ?? '')) },
    });
    // No byte of the new version leaves under the old version's URL.
    expect(response.body).toEqual({
      encoding: 'text',
      data: '{"error":{"code":"NOT_FOUND","message":"No such variant version"}}',
    });
  });

  it('answers 404 for a request without a version and for an object that names none', () => {
    expect(respond({}, 200, 'abc').statusCode).toBe(404);
    expect(respond({ v: 'abc' }, 200).statusCode).toBe(404);
  });

  it('leaves 304s and errors as they are', () => {
    expect(respond({ v: 'abc' }, 304).statusCode).toBe(304);
    expect(respond({ v: 'abc' }, 404).statusCode).toBe(404);
    expect(respond({ v: 'abc' }, 404).body).toBeUndefined();
    expect(respond({ v: 'abc' }, 304).headers['etag']).toEqual({ value: '"abc"' });
  });
});
