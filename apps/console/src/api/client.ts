import {
  DlqListSchema,
  ErrorBodySchema,
  MetricsSchema,
  ReconcileReportSchema,
  RedriveResponseSchema,
  type DlqItem,
  type Metrics,
  type ReconcileReport,
  type RedriveResponse,
} from '@imgpipe/contracts';
import type * as z from 'zod';
import { ConsoleError, parseAnswer } from './errors';

/** Where things live on the local stack's single origin. */
export interface ClientConfig {
  /** Origin of the edge, '' for the page's own origin. */
  readonly origin: string;
  readonly apiBase: string;
}

export const DEFAULT_CLIENT_CONFIG: ClientConfig = {
  origin: '',
  apiBase: '/_imgpipe/api',
};

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * The operator views' way to the local stack's JSON API (`/_imgpipe/api`): metrics, the DLQ, redrive,
 * reconcile and the event stream. (Images are uploaded and listed through the image API, `ImageApiClient`.)
 * Every answer is parsed; failures are `ConsoleError`s.
 * @example const metrics = await new ApiClient().metrics();
 */
export class ApiClient {
  readonly config: ClientConfig;
  private readonly fetchImpl: Fetch;

  constructor(config: Partial<ClientConfig> = {}, fetchImpl?: Fetch) {
    this.config = { ...DEFAULT_CLIENT_CONFIG, ...config };
    this.fetchImpl = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
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
    return parseAnswer(schema, body, path);
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
