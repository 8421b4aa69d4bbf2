import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

/** Escapes text for XML content. */
export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Elements S3 request bodies repeat: always arrays, even with one member. */
const REPEATED = new Set(['Object', 'Part', 'Tag']);

const parser = new XMLParser({
  ignoreAttributes: true,
  // Keys stay text: "0123" is a key, not a number.
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name),
});

type XmlNode = Record<string, unknown>;

function child(node: unknown, name: string): unknown {
  return typeof node === 'object' && node !== null ? (node as XmlNode)[name] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * The root element `root` of an S3 XML request body, parsed with a real XML parser; undefined when the
 * body is not XML or has another root (the caller answers `MalformedXML`).
 */
function root(xml: string, name: string): unknown {
  try {
    const doc = parser.parse(xml, true) as XmlNode;
    return name in doc ? (doc[name] ?? {}) : undefined;
  } catch {
    return undefined;
  }
}

/** PutBucketVersioning's `<VersioningConfiguration>`. */
export function readVersioning(xml: string): { status?: string; mfaDelete?: string } | undefined {
  const config = root(xml, 'VersioningConfiguration');
  if (config === undefined) return undefined;
  const status = text(child(config, 'Status'))?.trim();
  const mfaDelete = text(child(config, 'MfaDelete'))?.trim();
  return { ...(status === undefined ? {} : { status }), ...(mfaDelete === undefined ? {} : { mfaDelete }) };
}

/** CompleteMultipartUpload's parts, in the order sent (ETags without quotes). */
export function readCompleteParts(xml: string): { partNumber: number; etag?: string }[] | undefined {
  const upload = root(xml, 'CompleteMultipartUpload');
  if (upload === undefined) return undefined;
  return list(child(upload, 'Part')).map((part) => {
    const etag = text(child(part, 'ETag'))?.trim().replace(/^"|"$/g, '');
    return { partNumber: Number(text(child(part, 'PartNumber'))), ...(etag === undefined ? {} : { etag }) };
  });
}

/** DeleteObjects' `<Delete>`: the objects (a missing `<Key>` stays undefined) and `<Quiet>`. */
export function readDeleteObjects(
  xml: string,
): { objects: { key?: string; versionId?: string; etag?: string }[]; quiet: boolean } | undefined {
  const del = root(xml, 'Delete');
  if (del === undefined) return undefined;
  const objects = list(child(del, 'Object')).map((o) => {
    const key = text(child(o, 'Key'));
    const versionId = text(child(o, 'VersionId'));
    // A conditional delete of this key (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html).
    const etag = text(child(o, 'ETag'));
    return {
      ...(key === undefined ? {} : { key }),
      ...(versionId === undefined ? {} : { versionId }),
      ...(etag === undefined ? {} : { etag }),
    };
  });
  return { objects, quiet: text(child(del, 'Quiet'))?.trim().toLowerCase() === 'true' };
}

/** PutObjectTagging's tags (a tag without `<Key>` has key undefined). */
export function readTagging(xml: string): { key?: string; value: string }[] | undefined {
  const tagging = root(xml, 'Tagging');
  if (tagging === undefined) return undefined;
  return list(child(child(tagging, 'TagSet'), 'Tag')).map((tag) => {
    const key = text(child(tag, 'Key'));
    return { ...(key === undefined ? {} : { key }), value: text(child(tag, 'Value')) ?? '' };
  });
}

/** Sends an S3-style XML error. */
export function sendS3Error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  resource = '',
): void {
  const requestId = randomUUID();
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code>` +
    `<Message>${xmlEscape(message)}</Message><Resource>${xmlEscape(resource)}</Resource>` +
    `<RequestId>${requestId}</RequestId></Error>`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
  });
  res.end(body);
}
