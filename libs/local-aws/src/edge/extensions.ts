import type { IncomingMessage, ServerResponse } from 'node:http';
import type { S3Change } from '../events/s3-event';

/**
 * The edge's one plug-in point. Everything that should see or answer requests on the edge's port
 * registers here (see docs/architecture.md, "Extending the edge"); `edge/server.ts` runs them in a fixed
 * order: guards → routes → (service calls) checks → S3 handlers → the emulators.
 */
export interface EdgeExtensions {
  /** Runs before S3 and DynamoDB forwarding, in order; the first refusal answers the request. */
  readonly checks?: readonly RequestCheck[];
  /** S3 operations answered before the built-in local S3, in order; the first that answers wins. */
  readonly s3Handlers?: readonly S3OperationHandler[];
  /** Path prefixes the edge serves itself (`/_imgpipe` is built in; e.g. `/_api`, `/_cdn`). */
  readonly routes?: readonly EdgeRoute[];
}

/** A refusal, written in the service's own dialect by the edge (S3: XML error; DynamoDB: JSON `__type`). */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** What an S3 request is aimed at, decoded. */
export interface S3Target {
  readonly bucket?: string;
  readonly key?: string;
  /** The path as sent (still percent-encoded). */
  readonly rawPath: string;
  readonly query: URLSearchParams;
}

/** A parsed S3 or DynamoDB request, before it reaches the emulator. */
export interface ServiceCallBase {
  /** The SigV4 access key id (Authorization header or presigned `X-Amz-Credential`); undefined when unsigned. */
  readonly accessKeyId: string | undefined;
  /**
   * The API operation, e.g. `GetObject`, `PutItem`. The IAM actions and resources it needs are the IAM
   * module's answer: `requestAuthorization(call)` from `@imgpipe/local-aws`.
   */
  readonly operation: string;
  readonly req: IncomingMessage;
}

export interface S3Call extends ServiceCallBase {
  readonly service: 's3';
  readonly target: S3Target;
}

export interface DynamoDbCall extends ServiceCallBase {
  readonly service: 'dynamodb';
  /** The table names named in the request body. */
  readonly tables: readonly string[];
  /** The whole request body (DynamoDB requests are small JSON documents; the edge buffers them). */
  readonly body: Buffer;
  /** The body parsed, when it is a JSON object (dynalite answers anything else itself). */
  readonly document?: Readonly<Record<string, unknown>>;
}

export type ServiceCall = S3Call | DynamoDbCall;

/** The IAM enforcement hook: undefined lets the call through. */
export type RequestCheck = (call: ServiceCall) => Refusal | undefined | Promise<Refusal | undefined>;

/** What an S3 handler may use: a look at the store and the event publisher. */
export interface S3HandlerContext {
  /** Whether the key has a current version (not a delete marker) in the bucket; false for a missing bucket. */
  readonly objectExists: (bucket: string, key: string) => boolean;
  /** Publishes changes as S3 events; durable when it returns. Call it before answering the client. */
  readonly publish: (changes: readonly Omit<S3Change, 'sequencer'>[]) => void;
}

/** Answers an S3 request itself and returns true, or returns false to leave it to the next handler or the local S3. */
export type S3OperationHandler = (
  call: S3Call,
  res: ServerResponse,
  context: S3HandlerContext,
) => boolean | Promise<boolean>;

/** A path prefix the edge serves itself. `prefix` matches `/prefix` and `/prefix/...`. */
export interface EdgeRoute {
  readonly prefix: string;
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}
