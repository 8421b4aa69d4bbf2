import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, posix } from 'node:path';

const IMPORTS = {
  // What esbuild writes for a static import: `import{a as b}from"./chunks/x.mjs"` or `import"./x.mjs"`.
  static: /(?:from|import)\s*"(\.{1,2}\/[^"]+\.mjs)"/g,
  all: /(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.mjs)"/g,
};

/** The chunks a bundle of the task root reaches (paths relative to it): through static imports only, or all. */
export function chunksOf(root: string, bundle: string, kind: keyof typeof IMPORTS): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    for (const [, specifier] of readFileSync(join(root, file), 'utf8').matchAll(IMPORTS[kind])) {
      const target = posix.normalize(posix.join(posix.dirname(file), specifier ?? ''));
      if (seen.has(target)) continue;
      seen.add(target);
      visit(target);
    }
  };
  visit(bundle);
  return [...seen].sort();
}

/** A CloudFront API that records CreateInvalidation requests and answers as CloudFront does (201). */
export async function fakeCloudFront() {
  const requests: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      const reference = /<CallerReference>([^<]*)<\/CallerReference>/.exec(body)?.[1] ?? '';
      res.writeHead(201, { 'content-type': 'text/xml', location: `http://cloudfront.test${req.url}/I1` });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>I1</Id><Status>InProgress</Status><CreateTime>2026-11-27T00:00:00Z</CreateTime><InvalidationBatch><Paths><Quantity>0</Quantity></Paths><CallerReference>${reference}</CallerReference></InvalidationBatch></Invalidation>`,
      );
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** A payload 2.0 GET (API Gateway HTTP API or function URL) as Lambda delivers it. */
export function httpEvent(e: {
  routeKey: string;
  path: string;
  apiId: string;
  domainName: string;
  sourceIp: string;
  userAgent: string;
}) {
  return {
    version: '2.0',
    routeKey: e.routeKey,
    rawPath: e.path,
    rawQueryString: '',
    headers: { host: e.domainName },
    requestContext: {
      accountId: '123456789012',
      apiId: e.apiId,
      domainName: e.domainName,
      domainPrefix: e.apiId,
      http: {
        method: 'GET',
        path: e.path,
        protocol: 'HTTP/1.1',
        sourceIp: e.sourceIp,
        userAgent: e.userAgent,
      },
      requestId: 'r',
      routeKey: e.routeKey,
      stage: '$default',
      time: '27/Nov/2026:17:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}
