import { crc32 } from 'node:zlib';
import { LocalStackError } from '../../errors';

/** A decoded `aws-chunked` body: the payload and any trailing headers (e.g. `x-amz-checksum-crc32`). */
export interface DecodedChunkedBody {
  readonly body: Buffer;
  readonly trailers: Readonly<Record<string, string>>;
}

const CRLF = Buffer.from('\r\n');

function bad(message: string): LocalStackError {
  return new LocalStackError('INVALID_CHUNKED_BODY', `Malformed aws-chunked body: ${message}`);
}

/**
 * Strips `aws-chunked` framing (signed `;chunk-signature=` or unsigned, with or without trailers) as
 * sent by AWS SDK v3 and the AWS CLI, and checks the decoded length and a trailing CRC32 when present.
 * @example decodeAwsChunked(Buffer.from('3\r\nabc\r\n0\r\n\r\n')).body.toString() // 'abc'
 */
export function decodeAwsChunked(raw: Buffer, expectedLength?: number): DecodedChunkedBody {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf(CRLF, offset);
    if (lineEnd < 0) throw bad(`expected a chunk header at byte ${offset}`);
    const header = raw.subarray(offset, lineEnd).toString('latin1');
    const sizeText = header.split(';', 1)[0] ?? '';
    if (!/^[0-9a-fA-F]+$/.test(sizeText))
      throw bad(`expected a hex chunk size but received "${sizeText.slice(0, 20)}"`);
    const size = Number.parseInt(sizeText, 16);
    offset = lineEnd + 2;
    if (size === 0) break;
    if (offset + size + 2 > raw.length) throw bad(`chunk of ${size} bytes runs past the end of the body`);
    parts.push(raw.subarray(offset, offset + size));
    offset += size;
    if (!raw.subarray(offset, offset + 2).equals(CRLF))
      throw bad(`expected CRLF after a chunk at byte ${offset}`);
    offset += 2;
  }
  const trailers: Record<string, string> = {};
  while (offset < raw.length) {
    const lineEnd = raw.indexOf(CRLF, offset);
    const line = raw.subarray(offset, lineEnd < 0 ? raw.length : lineEnd).toString('latin1');
    offset = lineEnd < 0 ? raw.length : lineEnd + 2;
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw bad(`expected a trailer "name:value" but received "${line.slice(0, 40)}"`);
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  // The SDKs send a whole in-memory body as one chunk: that chunk is the body, no copy of it is needed.
  const body = parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts);
  if (expectedLength !== undefined && body.length !== expectedLength) {
    throw bad(`x-amz-decoded-content-length says ${expectedLength} bytes but the chunks hold ${body.length}`);
  }
  const expectedCrc = trailers['x-amz-checksum-crc32'];
  if (expectedCrc !== undefined) verifyCrc32(body, expectedCrc);
  return { body, trailers };
}

/** Checks a base64 big-endian CRC32 as S3 sends it in `x-amz-checksum-crc32`. */
export function verifyCrc32(body: Buffer, expectedBase64: string): void {
  const actual = Buffer.alloc(4);
  actual.writeUInt32BE(crc32(body) >>> 0);
  if (actual.toString('base64') !== expectedBase64) {
    throw new LocalStackError(
      'CHECKSUM_MISMATCH',
      `Expected CRC32 ${expectedBase64} but the body has ${actual.toString('base64')}`,
    );
  }
}
