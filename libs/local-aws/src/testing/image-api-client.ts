// Test helpers for the image API over HTTP (the contract suite and the engine's own tests use them).
import {
  CreateUploadResponseSchema,
  type CreateUploadResponse,
  type Image,
  ImageSchema,
  LocalTokenResponseSchema,
} from '@imgpipe/contracts';

/** Polls until `probe` returns a value or `timeoutMs` passes. */
export async function poll<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A caller of the image API over HTTP, as a real client would be (fetch, Bearer token). */
export class ApiCaller {
  constructor(
    readonly base: string,
    readonly token: string,
  ) {}

  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  }

  async createUpload(filename: string, contentType: string, bytes: number): Promise<CreateUploadResponse> {
    const res = await this.fetch('/v1/uploads', {
      method: 'POST',
      body: JSON.stringify({ filename, contentType, bytes }),
    });
    if (res.status !== 201) throw new Error(`POST /v1/uploads: ${res.status} ${await res.text()}`);
    return CreateUploadResponseSchema.parse(await res.json());
  }

  async image(id: string): Promise<Image | undefined> {
    const res = await this.fetch(`/v1/images/${id}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`GET /v1/images/${id}: ${res.status} ${await res.text()}`);
    return ImageSchema.parse(await res.json());
  }

  /** Polls `GET /v1/images/{id}` until its status is one of `statuses`. */
  settled(id: string, statuses: readonly string[] = ['ready', 'failed']): Promise<Image> {
    return poll(
      async () => {
        const image = await this.image(id);
        return image && statuses.includes(image.status) ? image : undefined;
      },
      120_000,
      `image ${id} to be ${statuses.join(' or ')}`,
    );
  }
}

/** The browser's form POST of a presigned upload: every field, then `file`. */
export async function postForm(
  upload: CreateUploadResponse['upload'],
  bytes: Buffer,
  contentType: string,
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), 'upload');
  return fetch(upload.url, { method: 'POST', body: form });
}

/** A token from the local stack's issuer. */
export async function localToken(
  endpoint: string,
  request: { sub?: string; scope?: string; ttlSeconds?: number } = {},
): Promise<string> {
  const res = await fetch(`${endpoint}/_imgpipe/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (res.status !== 201) throw new Error(`POST /_imgpipe/api/tokens: ${res.status} ${await res.text()}`);
  return LocalTokenResponseSchema.parse(await res.json()).token;
}
