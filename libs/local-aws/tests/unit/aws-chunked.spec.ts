import { crc32 } from 'node:zlib';
import { decodeAwsChunked } from '../../src/edge/s3/aws-chunked';

function crcBase64(body: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(body) >>> 0);
  return out.toString('base64');
}

describe('decodeAwsChunked', () => {
  const payload = Buffer.from('hello, aws-chunked world'.repeat(100));

  it('strips unsigned framing and verifies the trailing CRC32 (SDK v3 default)', () => {
    const raw = Buffer.concat([
      Buffer.from(`${(1000).toString(16)}\r\n`),
      payload.subarray(0, 1000),
      Buffer.from('\r\n'),
      Buffer.from(`${(payload.length - 1000).toString(16)}\r\n`),
      payload.subarray(1000),
      Buffer.from('\r\n'),
      Buffer.from(`0\r\nx-amz-checksum-crc32:${crcBase64(payload)}\r\n\r\n`),
    ]);
    const decoded = decodeAwsChunked(raw, payload.length);
    expect(decoded.body.equals(payload)).toBe(true);
    expect(decoded.trailers['x-amz-checksum-crc32']).toBe(crcBase64(payload));
  });

  it('gives a one-chunk body (what the SDKs send for a body in memory) without copying it', () => {
    const raw = Buffer.concat([
      Buffer.from(`${payload.length.toString(16)}\r\n`),
      payload,
      Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${crcBase64(payload)}\r\n\r\n`),
    ]);
    const decoded = decodeAwsChunked(raw, payload.length);
    expect(decoded.body.equals(payload)).toBe(true);
    expect([decoded.body.buffer === raw.buffer, decoded.body.byteOffset - raw.byteOffset]).toEqual([
      true,
      payload.length.toString(16).length + 2,
    ]);
  });

  it('strips signed chunk extensions (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
    const sig = ';chunk-signature=' + 'a'.repeat(64);
    const raw = Buffer.from(`5${sig}\r\nhello\r\n0${sig}\r\n\r\n`);
    expect(decodeAwsChunked(raw, 5).body.toString()).toBe('hello');
  });

  it('rejects a body whose CRC32 does not match, with CHECKSUM_MISMATCH', () => {
    const raw = Buffer.from(`5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`);
    expect(() => decodeAwsChunked(raw)).toThrow(expect.objectContaining({ code: 'CHECKSUM_MISMATCH' }));
  });

  it('rejects truncated chunks and a wrong decoded length, with INVALID_CHUNKED_BODY', () => {
    expect(() => decodeAwsChunked(Buffer.from('10\r\nshort'))).toThrow(
      expect.objectContaining({ code: 'INVALID_CHUNKED_BODY' }),
    );
    expect(() => decodeAwsChunked(Buffer.from('zz\r\n'))).toThrow(/expected a hex chunk size/);
    expect(() => decodeAwsChunked(Buffer.from('5\r\nhello\r\n0\r\n\r\n'), 6)).toThrow(
      /says 6 bytes but the chunks hold 5/,
    );
  });
});
