import {
  type CreateUploadResponse,
  CreateUploadResponseSchema,
  type Image,
  ImageSchema,
  type ImageStatus,
  type ListImagesResponse,
  ListImagesResponseSchema,
} from '@imgpipe/contracts';
import { userPrefix } from '@imgpipe/pipeline';
import type { z } from 'zod';
import { ConsoleError, parseAnswer } from './errors';
import { fetchFormPost, s3Error, xhrFormPost, type FormPost, type OnSent } from './form-post';
import { remote, TokenSource } from './token';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** The browser `File` fields an upload needs (a `Blob` with a name). */
export interface NamedBlob extends Blob {
  readonly name: string;
}

export interface ListQuery {
  readonly prefix?: string | undefined;
  readonly status?: ImageStatus | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** Where an upload is: asking the API for a presigned POST, then sending the file (bytes sent of total). */
export type UploadProgress =
  | { readonly phase: 'requesting' }
  | { readonly phase: 'sending'; readonly sent: number; readonly total: number };

export interface ImageApiOptions {
  /** Origin of the edge, '' for the page's own. */
  readonly origin?: string;
  readonly fetchImpl?: Fetch;
  readonly tokens?: TokenSource;
  /** How the file reaches the storage; `XMLHttpRequest` in a browser (for progress), else `fetch`. */
  readonly formPost?: FormPost;
}

/**
 * The image API (`/_api/v1`) as a web app uses it: a bearer token from `TokenSource`, uploads by
 * `POST /v1/uploads` then the form POST to `upload.url`, listing and detail; every answer is parsed with
 * the contract's schemas and every refusal is a `ConsoleError` carrying the API's (or S3's) code.
 * (The Monitoring and DLQ views keep using `/_imgpipe/api`.)
 * @example const { items, nextCursor } = await new ImageApiClient().listImages({ limit: 48 });
 */
export class ImageApiClient {
  readonly tokens: TokenSource;
  private readonly origin: string;
  private readonly fetchImpl: Fetch;
  private readonly formPost: FormPost;

  constructor(options: ImageApiOptions = {}) {
    this.origin = options.origin ?? '';
    this.fetchImpl = options.fetchImpl ?? ((url, init) => globalThis.fetch(url, init));
    this.tokens = options.tokens ?? new TokenSource({ origin: this.origin, fetchImpl: this.fetchImpl });
    this.formPost =
      options.formPost ?? ('XMLHttpRequest' in globalThis ? xhrFormPost : fetchFormPost(this.fetchImpl));
  }

  /** The caller's own folder, `u/<sub>/`: where its uploads land and what it may list. */
  async folder(): Promise<string> {
    return userPrefix((await this.tokens.claims()).sub);
  }

  /**
   * Uploads one file: asks for a presigned POST (the API refuses a disallowed type or size with 400 before
   * any URL), then sends every field and the file to the storage, which enforces the policy itself.
   */
  async upload(
    file: NamedBlob,
    onProgress?: (progress: UploadProgress) => void,
  ): Promise<CreateUploadResponse> {
    onProgress?.({ phase: 'requesting' });
    const created = await this.call('/v1/uploads', CreateUploadResponseSchema, {
      method: 'POST',
      body: JSON.stringify({
        filename: file.name,
        // The API names what it accepts; an unknown type gets its UNSUPPORTED_CONTENT_TYPE.
        contentType: file.type || 'application/octet-stream',
        bytes: file.size,
      }),
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(created.upload.fields)) form.append(name, value);
    form.append('file', file, file.name);
    const onSent: OnSent = (sent, total) =>
      onProgress?.({ phase: 'sending', sent, total: total || file.size });
    onSent(0, file.size);
    let answer;
    try {
      answer = await this.formPost(created.upload.url, form, onSent);
    } catch (cause) {
      throw new ConsoleError('NETWORK', `Could not send ${file.name} to the storage`, { cause });
    }
    if (answer.status < 200 || answer.status >= 300) {
      const refused = s3Error(answer.body);
      throw new ConsoleError(
        'UPLOAD_FAILED',
        `The storage refused ${file.name} (HTTP ${answer.status})${refused?.message ? `: ${refused.message}` : ''}`,
        { status: answer.status, ...(refused ? { remoteCode: refused.code } : {}) },
      );
    }
    onSent(file.size, file.size);
    return created;
  }

  /** One page of the caller's images (`prefix` defaults to its folder on the server). */
  listImages(query: ListQuery = {}, signal?: AbortSignal): Promise<ListImagesResponse> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return this.call(`/v1/images${qs ? `?${qs}` : ''}`, ListImagesResponseSchema, { signal: signal ?? null });
  }

  /** One image by id; `NOT_FOUND` for a key that does not exist or is not the caller's. */
  image(id: string, signal?: AbortSignal): Promise<Image> {
    return this.call(`/v1/images/${encodeURIComponent(id)}`, ImageSchema, { signal: signal ?? null });
  }

  private async call<S extends z.ZodType>(
    path: string,
    schema: S,
    init: RequestInit,
    retried = false,
  ): Promise<z.infer<S>> {
    const token = await this.tokens.token();
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.origin}/_api${path}`, {
        ...init,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
        },
      });
    } catch (cause) {
      if (cause instanceof Error && cause.name === 'AbortError') throw cause;
      throw new ConsoleError('NETWORK', 'Could not reach the image API', { cause });
    }
    if (res.status === 401 && !retried) {
      // Expired or revoked: drop it and try once more with a fresh token, as a web app's auth layer does.
      await this.tokens.invalidate(token);
      return this.call(path, schema, init, true);
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
      throw new ConsoleError(
        res.status === 404 ? 'NOT_FOUND' : 'HTTP_ERROR',
        typeof message === 'string' ? message : `${path} answered HTTP ${res.status}`,
        { status: res.status, ...remote(body) },
      );
    }
    return parseAnswer(schema, body, path);
  }
}
