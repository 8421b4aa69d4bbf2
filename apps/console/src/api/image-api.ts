import {
  type CreateUploadResponse,
  CreateUploadResponseSchema,
  type Image,
  ImageSchema,
  type ListImagesResponse,
  ListImagesResponseSchema,
  LocalTokenResponseSchema,
} from '@imgpipe/contracts';
import type { z } from 'zod';
import { ConsoleError } from './errors';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * The image API (`/_api/v1`) as a web app uses it: a token from the local stack's issuer, uploads by
 * `POST /v1/uploads` then the form POST to `upload.url`, listing and detail; every answer is parsed with
 * the contract's schemas. (The Monitoring and DLQ views keep using `/_imgpipe/api`.)
 */
export class ImageApiClient {
  private token: Promise<string> | undefined;

  constructor(
    private readonly origin = '',
    private readonly fetchImpl: Fetch = (url, init) => fetch(url, init),
  ) {}

  /** Uploads one file: asks for a presigned POST, then sends every field and the file to the storage. */
  async upload(file: Blob & { readonly name: string }): Promise<CreateUploadResponse> {
    const created = await this.call('/v1/uploads', CreateUploadResponseSchema, {
      method: 'POST',
      body: JSON.stringify({ filename: file.name, contentType: file.type, bytes: file.size }),
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(created.upload.fields)) form.append(name, value);
    form.append('file', file, file.name);
    let res: Response;
    try {
      res = await this.fetchImpl(created.upload.url, { method: 'POST', body: form });
    } catch (cause) {
      throw new ConsoleError('NETWORK', `Could not upload ${file.name}`, { cause });
    }
    if (!res.ok)
      throw new ConsoleError('UPLOAD_FAILED', `The storage refused ${file.name} (HTTP ${res.status})`, {
        status: res.status,
      });
    return created;
  }

  listImages(query: { status?: string; limit?: number; cursor?: string } = {}): Promise<ListImagesResponse> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return this.call(`/v1/images${qs ? `?${qs}` : ''}`, ListImagesResponseSchema);
  }

  image(id: string): Promise<Image> {
    return this.call(`/v1/images/${encodeURIComponent(id)}`, ImageSchema);
  }

  private bearer(): Promise<string> {
    this.token ??= (async () => {
      const res = await this.fetchImpl(`${this.origin}/_imgpipe/api/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (!res.ok) throw new ConsoleError('HTTP_ERROR', `No token from the local stack (HTTP ${res.status})`);
      return LocalTokenResponseSchema.parse(await res.json()).token;
    })();
    return this.token;
  }

  private async call<S extends z.ZodType>(
    path: string,
    schema: S,
    init: RequestInit = {},
  ): Promise<z.infer<S>> {
    const token = await this.bearer();
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.origin}/_api${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
        },
      });
    } catch (cause) {
      throw new ConsoleError('NETWORK', `Could not reach the image API`, { cause });
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (res.status === 404) throw new ConsoleError('NOT_FOUND', `${path} was not found`, { status: 404 });
    if (!res.ok) {
      const message = (body as { error?: { message?: string } } | undefined)?.error?.message;
      throw new ConsoleError('HTTP_ERROR', message ?? `${path} answered HTTP ${res.status}`, {
        status: res.status,
      });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      throw new ConsoleError('BAD_RESPONSE', `${path} answered an unexpected shape`, { cause: parsed.error });
    return parsed.data;
  }
}
