import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

/** Escapes text for XML content. */
export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Elements S3 repeats: always arrays, even with one member. */
const REPEATED = new Set(['Contents', 'CommonPrefixes', 'Deleted', 'Object', 'Error']);

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

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Parses an S3 XML document (a request or response body) with a real XML parser. */
export function parseS3Xml(xml: string): XmlNode {
  return parser.parse(xml) as XmlNode;
}

/** The `<Key>` of every `<Deleted>` in a DeleteObjects answer. */
export function deletedKeys(xml: string): string[] {
  const deleted = child(parseS3Xml(xml)['DeleteResult'], 'Deleted');
  return (Array.isArray(deleted) ? deleted : []).map((d) => text(child(d, 'Key')));
}

/** The `<Key>` of every `<Object>` in a DeleteObjects request. */
export function requestedDeleteKeys(xml: string): string[] {
  const objects = child(parseS3Xml(xml)['Delete'], 'Object');
  return (Array.isArray(objects) ? objects : []).map((o) => text(child(o, 'Key')));
}

/** The keys, common prefixes and truncation of a ListObjects (V1) answer. */
export function listing(xml: string): { keys: string[]; prefixes: string[]; truncated: boolean } {
  const result = parseS3Xml(xml)['ListBucketResult'];
  const contents = child(result, 'Contents');
  const prefixes = child(result, 'CommonPrefixes');
  return {
    keys: (Array.isArray(contents) ? contents : []).map((c) => text(child(c, 'Key'))),
    prefixes: (Array.isArray(prefixes) ? prefixes : []).map((p) => text(child(p, 'Prefix'))),
    truncated: text(child(result, 'IsTruncated')) === 'true',
  };
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
