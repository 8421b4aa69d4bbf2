import type { S3Client } from '@aws-sdk/client-s3';
import type { LocalStack, LocalStackOptions } from '@imgpipe/local-aws';
import {
  classify,
  derivedKeys,
  freshDir,
  getRow,
  invocationLog,
  type Outcomes,
  remove,
  type Row,
  startReal,
  upload,
  userS3,
  variantsPresent,
  waitIdle,
} from './stack';

/**
 * One real stack as a suite's tests use it: a user's S3 client on its edge and the reads the tests
 * check, bound to whichever stack `current` returns (a suite may stop and start its stack again).
 */
export class StackSession {
  #s3: { endpoint: string; client: S3Client } | undefined;

  constructor(private readonly current: () => LocalStack) {}

  get stack(): LocalStack {
    return this.current();
  }

  /** A user's S3 client on the current stack's edge. */
  get s3(): S3Client {
    const { endpoint } = this.stack;
    if (this.#s3?.endpoint !== endpoint) this.#s3 = { endpoint, client: userS3(endpoint) };
    return this.#s3.client;
  }

  upload(key: string, body: Buffer | string, contentType?: string): Promise<void> {
    return upload(this.s3, key, body, contentType);
  }

  remove(key: string): Promise<void> {
    return remove(this.s3, key);
  }

  row(key: string): Promise<Row | undefined> {
    return getRow(this.stack, key);
  }

  derivedKeys(prefix = ''): Promise<string[]> {
    return derivedKeys(this.s3, prefix);
  }

  variantsPresent(row: Row): Promise<boolean> {
    return variantsPresent(this.s3, row);
  }

  idle(timeoutMs?: number): Promise<void> {
    return waitIdle(this.stack, timeoutMs);
  }

  classify(keys: readonly string[]): Promise<Outcomes> {
    return classify(this.stack, this.s3, keys);
  }
}

/**
 * Registers the hooks of a suite on one real stack: started before its tests in a fresh directory named
 * after `name`, with its invocations in `log`, stopped after them. Use it (`stack`, `upload`, `row`, ...)
 * in hooks and tests.
 */
export function useRealStack(
  name: string,
  overrides: LocalStackOptions = {},
): StackSession & { readonly log: ReturnType<typeof invocationLog> } {
  const log = invocationLog();
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    stack = await startReal(freshDir(name), { onInvocation: log.onInvocation, ...overrides });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const session = new StackSession(() => {
    if (!stack) throw new Error(`useRealStack: the ${name} stack starts in beforeAll`);
    return stack;
  });
  return Object.assign(session, { log });
}
