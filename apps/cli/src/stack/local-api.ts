import {
  DlqListSchema,
  ErrorBodySchema,
  HealthSchema,
  ImagePageSchema,
  LocalTokenResponseSchema,
  ReconcileReportSchema,
  RedriveResponseSchema,
  RowSchema,
  type DlqItem,
  type ImagePage,
  type ImagesQueryInput,
  type LocalTokenRequest,
  type LocalTokenResponse,
  type ReconcileReport,
  type Row,
} from '@imgpipe/contracts';
import type { z } from 'zod';
import { StackNotReadyError, StackRequestError, StackUnreachableError } from './errors';

type Fetch = typeof fetch;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/** The `code` of a network failure, which undici hides in `cause` (sometimes an AggregateError's first error). */
function networkCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    const errors = (e as { errors?: unknown }).errors;
    e = Array.isArray(errors) && errors.length > 0 ? errors[0] : (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A message for "nobody is there", the same for every command. */
export function unreachableMessage(endpoint: string): string {
  return `no local stack at ${endpoint} (start it with: npm start)`;
}

/**
 * The local stack's JSON API under `/_imgpipe/` (docs/architecture.md). Every answer is parsed;
 * a refused connection becomes {@link StackUnreachableError}, an API error {@link StackRequestError}.
 */
export class LocalApi {
  constructor(
    readonly endpoint: string,
    private readonly fetchImpl: Fetch = fetch,
  ) {}

  /** Resolves when the stack reports `ready`; throws a typed error saying what is wrong otherwise. */
  async ensureReady(): Promise<void> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.endpoint}/_imgpipe/health`, { signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw this.networkError(error);
    }
    const body = HealthSchema.safeParse(await res.json().catch(() => undefined));
    if (!body.success) {
      throw new StackNotReadyError(
        `${this.endpoint} answers but is not an imgpipe local stack (GET /_imgpipe/health gave HTTP ${res.status})`,
      );
    }
    if (body.data.status !== 'ready') {
      throw new StackNotReadyError(
        `the local stack at ${this.endpoint} is ${body.data.status}; try again in a moment`,
      );
    }
  }

  /** One page of rows, filtered by status and key prefix, in key order. */
  images(query: ImagesQueryInput): Promise<ImagePage> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    return this.request('GET', `api/images?${params.toString()}`, ImagePageSchema);
  }

  /** The row of `key`, or undefined when there is none. */
  async image(key: string): Promise<Row | undefined> {
    try {
      return await this.request('GET', `api/images/${encodeURIComponent(key)}`, RowSchema);
    } catch (error) {
      if (error instanceof StackRequestError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  async dlq(): Promise<DlqItem[]> {
    return (await this.request('GET', 'api/dlq', DlqListSchema)).items;
  }

  async redrive(ids?: readonly string[]): Promise<number> {
    return (await this.request('POST', 'api/dlq/redrive', RedriveResponseSchema, ids ? { ids } : {}))
      .redriven;
  }

  /** A token of the local issuer, which the local `/_api` accepts. */
  token(request: LocalTokenRequest): Promise<LocalTokenResponse> {
    return this.request('POST', 'api/tokens', LocalTokenResponseSchema, request);
  }

  /** Runs reconcile now and returns its report (it may take minutes on a big bucket). */
  reconcile(): Promise<ReconcileReport> {
    return this.request('POST', 'api/reconcile', ReconcileReportSchema, {}, 15 * 60_000);
  }

  private networkError(error: unknown): Error {
    if (networkCode(error) !== undefined)
      return new StackUnreachableError(unreachableMessage(this.endpoint), { cause: error });
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return new StackNotReadyError(`the local stack at ${this.endpoint} did not answer in time`, {
        cause: error,
      });
    }
    return new StackUnreachableError(
      `${unreachableMessage(this.endpoint)}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }

  private async request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    route: string,
    schema: S,
    body?: unknown,
    timeoutMs = 60_000,
  ): Promise<z.infer<S>> {
    const url = `${this.endpoint}/_imgpipe/${route}`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method,
        signal: AbortSignal.timeout(timeoutMs),
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
    } catch (error) {
      throw this.networkError(error);
    }
    const json: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const apiError = ErrorBodySchema.safeParse(json);
      if (apiError.success)
        throw new StackRequestError(apiError.data.error.code, apiError.data.error.message, {
          retryable: res.status >= 500,
        });
      throw new StackRequestError('API_ERROR', `${method} ${url} answered HTTP ${res.status}`, {
        retryable: res.status >= 500,
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new StackRequestError(
        'API_MISMATCH',
        `${method} ${url} answered in a shape this CLI does not know: ${parsed.error.issues[0]?.message ?? ''}`,
      );
    }
    return parsed.data;
  }
}
