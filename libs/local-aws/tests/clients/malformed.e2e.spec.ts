import { type Answer, code, send } from '../support/raw-http';
import { FUZZ_BUCKET, useFuzzStack } from './support';

jest.setTimeout(90_000);

describe('malformed S3 requests', () => {
  const stack = useFuzzStack();
  const bucket = FUZZ_BUCKET;
  const alive = () => stack.alive();

  it('answers a CompleteMultipartUpload naming a missing part with InvalidPart (it used to crash the stack)', async () => {
    const created = await send(stack.endpoint, 'POST', `/${bucket}/mp.bin?uploads`);
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created.body)?.[1] ?? '';
    await send(stack.endpoint, 'PUT', `/${bucket}/mp.bin?partNumber=1&uploadId=${uploadId}`, {}, 'part');
    const xml = (parts: string) => `<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`;
    const complete = (body: string) =>
      send(stack.endpoint, 'POST', `/${bucket}/mp.bin?uploadId=${uploadId}`, {}, body);
    const answers = [
      await complete(xml('<Part><PartNumber>7</PartNumber><ETag>"abc"</ETag></Part>')),
      await complete(xml('<Part><PartNumber>1</PartNumber><ETag>"wrong"</ETag></Part>')),
      await complete(xml('<Part><PartNumber>2</PartNumber></Part><Part><PartNumber>1</PartNumber></Part>')),
      await complete(xml('')),
      await complete('not xml at all'),
      await complete(xml('<Part><PartNumber>x</PartNumber></Part>')),
      await send(stack.endpoint, 'POST', `/${bucket}/mp.bin?uploadId=nope`, {}, xml('')),
      await send(stack.endpoint, 'POST', `/${bucket}/other.bin?uploadId=${uploadId}`, {}, xml('')),
    ];
    expect(answers.map((a) => [a.status, code(a)])).toEqual([
      [400, 'InvalidPart'],
      [400, 'InvalidPart'],
      [400, 'InvalidPartOrder'],
      [400, 'MalformedXML'],
      [400, 'MalformedXML'],
      [400, 'MalformedXML'],
      [404, 'NoSuchUpload'],
      [404, 'NoSuchUpload'],
    ]);
    const done = await complete(xml('<Part><PartNumber>1</PartNumber></Part>'));
    const etag = /<ETag>(?:&quot;|&#34;)([0-9a-f]{32}-1)(?:&quot;|&#34;)<\/ETag>/.exec(done.body)?.[1];
    expect([done.status, etag?.endsWith('-1')]).toEqual([200, true]);
    const again = await complete(xml('<Part><PartNumber>1</PartNumber></Part>'));
    expect([again.status, code(again)]).toEqual([404, 'NoSuchUpload']);
    await alive();
  });

  it('answers each malformed request with an S3 error document', async () => {
    const e = stack.endpoint;
    const cases: [Promise<Answer>, number, string][] = [
      [send(e, 'GET', '/%zz/key'), 400, 'InvalidURI'],
      [send(e, 'GET', `/${bucket}/missing.txt`), 404, 'NoSuchKey'],
      [send(e, 'GET', '/no-such-bucket/key'), 404, 'NoSuchBucket'],
      [send(e, 'GET', `/${bucket}/present.txt?versionId=nope`), 404, 'NoSuchVersion'],
      [send(e, 'GET', `/${bucket}/present.txt`, { range: 'bytes=99-' }), 416, 'InvalidRange'],
      [send(e, 'GET', `/${bucket}/present.txt?partNumber=9`), 416, 'InvalidPartNumber'],
      [send(e, 'GET', `/${bucket}/present.txt?partNumber=zero`), 400, 'InvalidArgument'],
      [
        send(e, 'PUT', `/${bucket}/md5.txt`, { 'content-md5': 'AAAAAAAAAAAAAAAAAAAAAA==' }, 'x'),
        400,
        'BadDigest',
      ],
      [send(e, 'PUT', `/${bucket}/md5.txt`, { 'content-md5': 'short' }, 'x'), 400, 'InvalidDigest'],
      [
        send(e, 'PUT', `/${bucket}/chunked.txt`, { 'content-encoding': 'aws-chunked' }, 'zz\r\nnope'),
        400,
        'IncompleteBody',
      ],
      [send(e, 'PUT', `/${bucket}/crc.txt`, { 'x-amz-checksum-crc32': 'AAAAAA==' }, 'x'), 400, 'BadDigest'],
      [send(e, 'PUT', `/${bucket}/c.txt`, { 'x-amz-copy-source': '%zz' }), 400, 'InvalidURI'],
      [send(e, 'PUT', `/${bucket}/c.txt`, { 'x-amz-copy-source': 'only-a-bucket' }), 400, 'InvalidArgument'],
      [send(e, 'PUT', `/${bucket}/c.txt`, { 'x-amz-copy-source': `${bucket}/missing` }), 404, 'NoSuchKey'],
      [send(e, 'PUT', `/${bucket}/c.txt`, { 'x-amz-copy-source': 'no-such-bucket/x' }), 404, 'NoSuchBucket'],
      [
        send(e, 'PUT', `/${bucket}/c.txt`, { 'x-amz-copy-source': `${bucket}/a/../b` }),
        400,
        'InvalidArgument',
      ],
      [
        send(e, 'PUT', `/${bucket}/present.txt`, { 'x-amz-copy-source': `${bucket}/present.txt` }),
        400,
        'InvalidRequest',
      ],
      [send(e, 'PUT', `/${bucket}/k?partNumber=1&uploadId=..%2F..%2Fx`, {}, 'x'), 404, 'NoSuchUpload'],
      [send(e, 'PUT', `/${bucket}/k?partNumber=0&uploadId=abc`, {}, 'x'), 400, 'InvalidArgument'],
      [send(e, 'DELETE', `/${bucket}/k?uploadId=abc`), 404, 'NoSuchUpload'],
      [send(e, 'POST', `/${bucket}?delete`, {}, '<Delete>'), 400, 'MalformedXML'],
      [
        send(
          e,
          'POST',
          `/${bucket}?delete`,
          {},
          `<Delete>${'<Object><Key>k</Key></Object>'.repeat(1001)}</Delete>`,
        ),
        400,
        'MalformedXML',
      ],
      [send(e, 'POST', `/${bucket}?delete`, {}, '<Delete><Object></Object></Delete>'), 400, 'MalformedXML'],
      [
        send(
          e,
          'PUT',
          `/${bucket}?versioning`,
          {},
          '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>',
        ),
        400,
        'MalformedXML',
      ],
      [send(e, 'PUT', `/${bucket}/present.txt?tagging`, {}, 'garbage'), 400, 'MalformedXML'],
      [send(e, 'GET', `/${bucket}?list-type=2&continuation-token=garbage`), 400, 'InvalidArgument'],
      [send(e, 'GET', `/${bucket}?max-keys=-1`), 400, 'InvalidArgument'],
      [send(e, 'GET', `/${bucket}?encoding-type=base64`), 400, 'InvalidArgument'],
      [send(e, 'GET', `/${bucket}?policy`), 501, 'NotImplemented'],
      [send(e, 'PUT', `/${bucket}/present.txt?acl`, {}, ''), 501, 'NotImplemented'],
      [send(e, 'PATCH', `/${bucket}/present.txt`, {}, 'x'), 405, 'MethodNotAllowed'],
      [send(e, 'POST', `/${bucket}`, { 'content-type': 'text/plain' }, 'x'), 412, 'PreconditionFailed'],
      [
        send(e, 'POST', `/${bucket}`, { 'content-type': 'multipart/form-data' }, 'x'),
        400,
        'MalformedPOSTRequest',
      ],
      [
        send(
          e,
          'POST',
          `/${bucket}`,
          { 'content-type': 'multipart/form-data; boundary=b' },
          '--b\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\nx\r\n--b--\r\n',
        ),
        400,
        'InvalidArgument',
      ],
      [
        send(
          e,
          'POST',
          `/${bucket}`,
          { 'content-type': 'multipart/form-data; boundary=b' },
          '--b\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--b\r\nContent-Disposition: form-data; name="policy"\r\n\r\n!!!\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\nx\r\n--b--\r\n',
        ),
        400,
        'InvalidPolicyDocument',
      ],
      [send(e, 'DELETE', `/${bucket}`), 409, 'BucketNotEmpty'],
      [send(e, 'PUT', `/${bucket}`), 409, 'BucketAlreadyOwnedByYou'],
      [send(e, 'PUT', '/Bad_Bucket'), 400, 'InvalidBucketName'],
    ];
    const answers = await Promise.all(cases.map(([p]) => p));
    expect(answers.map((a) => [a.status, code(a)])).toEqual(cases.map(([, status, c]) => [status, c]));
    await alive();
  });
});
