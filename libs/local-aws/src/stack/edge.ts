import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '@imgpipe/core';
import type { DynamoDbThread } from '../emulators/dynamodb-thread';
import { createDynamoDbProxy } from '../edge/dynamodb/proxy';
import type { EdgeRoute } from '../edge/extensions';
import { createOriginGuard } from '../edge/origin-guard';
import type { S3ChangeReport } from '../edge/s3/context';
import { createS3Edge } from '../edge/s3/router';
import type { ObjectStore } from '../edge/s3/store/object-store';
import { createEdgeServer } from '../edge/server';
import { FUNCTION_SECRET } from '../function-env';
import { iamCheck, iamDeleteCheck } from '../iam/check';
import { IamEnforcer } from '../iam/enforcer';
import { hiddenMissingKeys } from '../iam/hidden-keys';
import type { ResolvedOptions } from '../options';

/** What the edge serves: the local S3 over its store, dynalite behind it, and the stack's own routes. */
export interface EdgeParts {
  readonly store: ObjectStore;
  readonly dynamodb: Pick<DynamoDbThread, 'send'>;
  /** Routes of the stack (most specific first), before the extensions' routes. */
  readonly routes: readonly EdgeRoute[];
  /** Every S3 write or delete, durable before the client is answered. */
  readonly onChange: (changes: readonly S3ChangeReport[]) => void;
}

/** The edge, listening. */
export interface ListeningEdge {
  readonly port: number;
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Composes the edge (origin guard, routes, IAM first among the checks, the built-in S3 handlers, the
 * local S3 and the DynamoDB proxy) and listens on `opts.host:opts.port`.
 */
export async function listenEdge(opts: ResolvedOptions, parts: EdgeParts): Promise<ListeningEdge> {
  // Requests signed with a function's key id get that function's policy; any other key is the administrator.
  const iam = new IamEnforcer({
    pipeline: opts.pipeline,
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT,
    ...(opts.onIamDecision ? { onDecision: opts.onIamDecision } : {}),
  });
  let port = opts.port;
  const server: Server = createEdgeServer({
    guards: [createOriginGuard({ port: () => port, host: opts.host, allowedOrigins: opts.allowedOrigins })],
    routes: parts.routes,
    s3: createS3Edge({
      store: parts.store,
      faultRate: () => opts.faultRate,
      log: opts.log,
      // Browser POST policies signed with a function's key (as the API signs uploads) are verified.
      secretFor: (id) => (iam.functionOf(id) === undefined ? undefined : FUNCTION_SECRET),
      handlers: [hiddenMissingKeys(iam), ...(opts.extensions.s3Handlers ?? [])],
      // AWS authorizes a multi-object delete key by key, inside the request.
      deleteCheck: iamDeleteCheck(iam),
      onChange: parts.onChange,
    }),
    dynamodb: createDynamoDbProxy({ target: parts.dynamodb, faultRate: () => opts.faultRate }),
    // IAM comes first: a function's request that its policy denies reaches no other check or handler.
    extensions: { ...opts.extensions, checks: [iamCheck(iam), ...(opts.extensions.checks ?? [])] },
    log: opts.log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: `http://${opts.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
