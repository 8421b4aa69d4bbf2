/**
 * The function side of a request: CPU of the SDK clients per request, against a canned HTTP server in a
 * child process (so this process's CPU is the clients' alone). One round is resize's shape: GetItem,
 * GetObject of `--size` bytes, three PutObjects of 30 KB together, UpdateItem. Each configuration of the
 * clients' `requestHandler` runs `--rounds` rounds, alternating, `--pairs` times; prints CPU ms per request.
 *   npx tsx tools/bench/src/sdk-client-cost.ts [--rounds 400] [--pairs 3] [--size 300000]
 */
import { fork } from 'node:child_process';
import { Agent } from 'node:http';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients } from '@imgpipe/aws';

/** The canned server: answers any DynamoDB call with a row, a GET with `size` bytes, anything else empty. */
const SERVER = `
const { createServer } = require('node:http');
const size = Number(process.argv[process.argv.length - 1]);
const row = JSON.stringify({ Item: { objectKey: { S: 'a/b.jpg' }, status: { S: 'pending' }, seqKey: { S: '0001' } },
  Attributes: { objectKey: { S: 'a/b.jpg' } } });
const bytes = Buffer.alloc(size, 7);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.headers['x-amz-target']) {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(row) });
      res.end(row);
    } else if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': size, etag: '"e"', 'last-modified': new Date(0).toUTCString() });
      res.end(bytes);
    } else {
      res.writeHead(200, { etag: '"e"', 'content-length': 0 });
      res.end();
    }
  });
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

type Clients = { readonly s3: S3Client; readonly dynamo: DynamoDBDocumentClient };

/** The clients as `createAwsClients` makes them, with `requestHandler` options added. */
function variant(fn: string, requestHandler: object): Clients {
  const s3 = new S3Client({
    customUserAgent: `imgpipe-fn/${fn}`,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler,
  });
  s3.middlewareStack.remove('loggerMiddleware');
  const base = new DynamoDBClient({ customUserAgent: `imgpipe-fn/${fn}`, requestHandler });
  base.middlewareStack.remove('loggerMiddleware');
  const dynamo = DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  return { s3, dynamo };
}

async function round({ s3, dynamo }: Clients, i: number): Promise<void> {
  const Key = { objectKey: `a/${i}.jpg` };
  await dynamo.send(new GetCommand({ TableName: 'imgpipe-images', Key, ConsistentRead: true }));
  const got = await s3.send(new GetObjectCommand({ Bucket: 'src', Key: `a/${i}.jpg`, IfMatch: '"e"' }));
  await got.Body?.transformToByteArray();
  const body = Buffer.alloc(30_000, 1);
  await Promise.all(
    ['s', 'm', 'l'].map((v) =>
      s3.send(new PutObjectCommand({ Bucket: 'derived', Key: `${v}/a/${i}.webp`, Body: body })),
    ),
  );
  await dynamo.send(
    new UpdateCommand({
      TableName: 'imgpipe-images',
      Key,
      UpdateExpression: 'SET #s = :s',
      ConditionExpression: '#q = :q',
      ExpressionAttributeNames: { '#s': 'status', '#q': 'seqKey' },
      ExpressionAttributeValues: { ':s': 'ready', ':q': '0001' },
    }),
  );
}

const REQUESTS_PER_ROUND = 6;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '400' },
      pairs: { type: 'string', default: '3' },
      size: { type: 'string', default: '300000' },
    },
  });
  const rounds = Number(values.rounds);
  const server = fork('-e', [SERVER, String(Number(values.size))], { execArgv: [] });
  const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve(Number(m))));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'imgpipe-resize',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const configs: Record<string, () => Clients> = {
    'createAwsClients (SDK default handler)': () => createAwsClients('resize', process.env),
    'external keep-alive http.Agent': () =>
      variant('resize', { httpAgent: new Agent({ keepAlive: true, maxSockets: 50 }) }),
    'handler options, keepAlive agent options': () =>
      variant('resize', { httpAgent: { keepAlive: true, maxSockets: 50 }, connectionTimeout: 0 }),
  };
  const clients = Object.fromEntries(Object.entries(configs).map(([name, make]) => [name, make()]));
  const results = new Map<string, number[]>();
  try {
    // Warm each: connections open, code optimised.
    for (const c of Object.values(clients)) for (let i = 0; i < 200; i++) await round(c, i);
    for (let pair = 0; pair < Number(values.pairs); pair++) {
      for (const [name, c] of Object.entries(clients)) {
        const before = process.cpuUsage();
        for (let i = 0; i < rounds; i++) await round(c, i);
        const used = process.cpuUsage(before);
        const perRequest = (used.user + used.system) / 1000 / (rounds * REQUESTS_PER_ROUND);
        results.set(name, [...(results.get(name) ?? []), perRequest]);
      }
    }
    for (const [name, per] of results)
      process.stdout.write(`${name}: ${per.map((v) => v.toFixed(3)).join(' / ')} CPU ms per request\n`);
  } finally {
    for (const c of Object.values(clients)) {
      c.s3.destroy();
      c.dynamo.destroy();
    }
    server.kill();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
