import { createHash } from 'node:crypto';
import busboy from 'busboy';
import { bucketOf, type S3Context } from './context';
import { S3Error } from './errors';
import { el, header, sendEmpty, sendXml } from './http';
import { versionHeaders } from './object-read';
import { created } from './object-write';
import { checkPolicy, decodePolicy, verifySignature } from './post-policy';
import { validateKey } from './keys';
import { STORED_HEADERS } from './store/records';

/** The largest browser upload the local S3 buffers (S3's own POST limit is 5 GB). */
const MAX_POST_BYTES = 1024 * 1024 * 1024;

interface Form {
  readonly fields: Map<string, string>;
  readonly file?: { readonly data: Buffer; readonly filename: string; readonly truncated: boolean };
}

/** Reads a multipart/form-data body: fields up to the `file` part (S3 ignores fields after it). */
function readForm(ctx: S3Context): Promise<Form> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let file: Form['file'];
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: ctx.r.req.headers,
        limits: { fileSize: MAX_POST_BYTES, fieldSize: 1024 * 1024, files: 1, fields: 200 },
        defParamCharset: 'utf8',
      });
    } catch {
      return reject(
        new S3Error(
          400,
          'MalformedPOSTRequest',
          'The body of your POST request is not well-formed multipart/form-data.',
        ),
      );
    }
    parser.on('field', (name, value) => {
      if (!file) fields.set(name.toLowerCase(), value);
    });
    parser.on('file', (name, stream, info) => {
      if (name.toLowerCase() !== 'file') {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        file = {
          data: Buffer.concat(chunks),
          filename: info.filename ?? '',
          truncated: (stream as unknown as { truncated?: boolean }).truncated === true,
        };
      });
    });
    parser.on('error', () =>
      reject(
        new S3Error(
          400,
          'MalformedPOSTRequest',
          'The body of your POST request is not well-formed multipart/form-data.',
        ),
      ),
    );
    parser.on('close', () => resolve({ fields, ...(file ? { file } : {}) }));
    ctx.r.req.pipe(parser);
  });
}

/**
 * A browser form upload (PostObject): the policy document and its SigV4 signature, expiry, conditions
 * (`eq`, `starts-with`, `content-length-range`), `success_action_status`/`_redirect`, and the Object
 * Created event, as S3 does it.
 */
export async function postObject(ctx: S3Context): Promise<void> {
  const { r, store } = ctx;
  const bucket = bucketOf(ctx);
  if (!/^multipart\/form-data/i.test(header(r, 'content-type')))
    throw new S3Error(
      412,
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
      },
    );
  const form = await readForm(ctx);
  const { fields, file } = form;
  if (!fields.has('key'))
    throw new S3Error(
      400,
      'InvalidArgument',
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      {
        ArgumentName: 'key',
        ArgumentValue: '',
      },
    );
  if (!file)
    throw new S3Error(400, 'InvalidArgument', 'POST requires exactly one file upload per request.', {
      ArgumentName: 'file',
      ArgumentValue: '0',
    });
  if (file.truncated)
    throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
  const key = (fields.get('key') ?? '').replace(/\$\{filename\}/g, file.filename);
  const bad = validateKey(key);
  if (bad) throw new S3Error(bad.status, bad.code, bad.message);
  if (fields.has('policy')) {
    const policy = decodePolicy(fields.get('policy') ?? '');
    verifySignature(fields, ctx.secretFor);
    checkPolicy(policy, fields, bucket, file.data.length);
  }
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = fields.get(name);
    if (value !== undefined) headers[name] = value;
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of fields)
    if (name.startsWith('x-amz-meta-'))
      metadata[name.slice('x-amz-meta-'.length)] = Buffer.from(value, 'utf8').toString('latin1');
  const record = await store.putObject(
    bucket,
    key,
    file.data,
    { headers, metadata, tags: {} },
    { size: file.data.length, etag: `"${createHash('md5').update(file.data).digest('hex')}"` },
  );
  ctx.emit([created(ctx, record, 'POST Object')]);
  const location = `http://${header(r, 'host') || 'localhost'}/${bucket}/${encodeURIComponent(key)}`;
  const answerHeaders = { etag: record.etag, location, ...versionHeaders(ctx, record) };
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect) {
    try {
      const url = new URL(redirect);
      url.searchParams.set('bucket', bucket);
      url.searchParams.set('key', key);
      url.searchParams.set('etag', record.etag);
      return sendEmpty(r, ctx.res, 303, { ...answerHeaders, location: url.toString() });
    } catch {
      // S3 ignores a redirect that is not a URL and answers with the status instead.
    }
  }
  const status = fields.get('success_action_status');
  if (status === '201')
    return sendXml(
      ctx,
      'PostResponse',
      el('Location', location) + el('Bucket', bucket) + el('Key', key) + el('ETag', record.etag),
      { status: 201, headers: answerHeaders },
    );
  sendEmpty(r, ctx.res, status === '200' ? 200 : 204, answerHeaders);
}
