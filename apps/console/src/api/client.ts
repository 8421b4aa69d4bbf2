import {
  DlqListSchema,
  ErrorBodySchema,
  ImagePageSchema,
  MetricsSchema,
  ReconcileReportSchema,
  RedriveResponseSchema,
  RowSchema,
  type DlqItem,
  type ImagePage,
  type ImagesQueryInput,
  type Metrics,
  type ReconcileReport,
  type RedriveResponse,
  type Row,
} from '@imgpipe/contracts';
import type * as z from 'zod';
import { ConsoleError } from './errors';
import { encodeKeyPath } from './keys';

/** Where things live on the local stack's single origin. */
export interface ClientConfig {
  /** Origin of the edge, '' for the page's own origin. */
  readonly origin: string;
  readonly apiBase: string;
  readonly sourceBucket: string;
  readonly derivedBucket: string;
}

export const DEFAULT_CLIENT_CONFIG: ClientConfig = {
  origin: '',
  apiBase: '/_imgpipe/api',
  sourceBucket: 'imgpipe-source',
  derivedBucket: 'imgpipe-derived',
};

/**
 * The filters and page of `GET /_imgpipe/api/images` (`ImagesQuerySchema`). `status` is what the filter
 * holds; a value outside `ROW_STATUSES` is refused by the server (400 `INVALID_QUERY`).
 */
export type ImageQuery = Omit<ImagesQueryInput, 'status'> & { readonly status?: string };

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * The console's one way to the local stack: the JSON API, uploads to the source bucket and URLs of
 * variants in the derived bucket. Every answer is parsed; failures are `ConsoleError`s.
 * @example const page = await new ApiClient().listImages({ status: 'failed', limit: 50 });
 */
export class ApiClient {
  readonly config: ClientConfig;
  private readonly fetchImpl: Fetch;

  constructor(config: Partial<ClientConfig> = {}, fetchImpl?: Fetch) {
    this.config = { ...DEFAULT_CLIENT_CONFIG, ...config };
    this.fetchImpl = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** One page of rows, newest filters applied by the server. */
  listImages(query: ImageQuery = {}, signal?: AbortSignal): Promise<ImagePage> {
    const params = new URLSearchParams();
    if (query.status) params.set('status', query.status);
    if (query.prefix) params.set('prefix', query.prefix);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.cursor) params.set('cursor', query.cursor);
    const qs = params.toString();
    return this.getJson(`/images${qs ? `?${qs}` : ''}`, ImagePageSchema, signal);
  }

  /** The row of one source key, or `undefined` when the pipeline has not written one (yet). */
  async getImage(key: string, signal?: AbortSignal): Promise<Row | undefined> {
    try {
      return await this.getJson(`/images/${encodeURIComponent(key)}`, RowSchema, signal);
    } catch (error) {
      if (error instanceof ConsoleError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  metrics(signal?: AbortSignal): Promise<Metrics> {
    return this.getJson('/metrics', MetricsSchema, signal);
  }

  async dlq(signal?: AbortSignal): Promise<readonly DlqItem[]> {
    return (await this.getJson('/dlq', DlqListSchema, signal)).items;
  }

  /** Sends parked events back to their function; all of them when `ids` is omitted. */
  redrive(ids?: readonly string[]): Promise<RedriveResponse> {
    return this.request(`${this.config.apiBase}/dlq/redrive`, RedriveResponseSchema, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ids ? { ids } : {}),
    });
  }

  /** Runs reconcile now (synchronously, as the schedule would) and returns its report. */
  runReconcile(): Promise<ReconcileReport> {
    return this.request(`${this.config.apiBase}/reconcile`, ReconcileReportSchema, { method: 'POST' });
  }

  /** Puts a file into the source bucket (path style, same origin). */
  async upload(key: string, body: Blob, signal?: AbortSignal): Promise<void> {
    const url = this.sourceUrl(key);
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: 'PUT',
        body,
        headers: { 'content-type': body.type || 'application/octet-stream' },
        signal,
      });
    } catch (cause) {
      throw new ConsoleError('NETWORK', `Could not upload ${key}`, { cause });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const s3Code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
      throw new ConsoleError(
        'UPLOAD_FAILED',
        `Upload of ${key} failed: HTTP ${response.status}${s3Code ? ` ${s3Code}` : ''}`,
        { status: response.status },
      );
    }
  }

  sourceUrl(key: string): string {
    return `${this.config.origin}/${this.config.sourceBucket}/${encodeKeyPath(key)}`;
  }

  /** URL of a derived object, e.g. a variant's `key` (`photos/cat.jpg/thumb.webp`). */
  derivedUrl(key: string): string {
    return `${this.config.origin}/${this.config.derivedBucket}/${encodeKeyPath(key)}`;
  }

  /** URL of the server-sent event stream. */
  streamUrl(): string {
    return `${this.config.origin}${this.config.apiBase}/stream`;
  }

  private getJson<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    return this.request(`${this.config.apiBase}${path}`, schema, { signal: signal ?? null });
  }

  private async request<S extends z.ZodType>(
    path: string,
    schema: S,
    init: RequestInit,
  ): Promise<z.infer<S>> {
    const url = `${this.config.origin}${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        ...init,
        headers: { accept: 'application/json', ...init.headers },
      });
    } catch (cause) {
      if (isAbort(cause)) throw cause;
      throw new ConsoleError('NETWORK', `Could not reach the local stack at ${path}`, { cause });
    }
    if (response.status === 404) {
      throw new ConsoleError('NOT_FOUND', `Nothing at ${path}`, { status: 404 });
    }
    if (!response.ok) {
      const detail = apiErrorDetail(await response.text().catch(() => ''));
      throw new ConsoleError(
        'HTTP_ERROR',
        `${path} answered HTTP ${response.status}${detail ? `: ${detail.slice(0, 200)}` : ''}`,
        {
          status: response.status,
        },
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (cause) {
      throw new ConsoleError('BAD_RESPONSE', `${path} did not answer JSON`, { cause });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConsoleError(
        'BAD_RESPONSE',
        `${path} answered an unexpected shape${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`,
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }
}

/** The `{ error: { code, message } }` body of the local stack's API errors (`ErrorBodySchema`), as one phrase. */
function apiErrorDetail(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text; // not JSON: show the text itself
  }
  const body = ErrorBodySchema.safeParse(json);
  return body.success ? `${body.data.error.code} ${body.data.error.message}` : text;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
