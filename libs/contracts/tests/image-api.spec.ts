import {
  API_ERROR_CODES,
  API_ERROR_STATUS,
  ApiErrorBodySchema,
  CreateUploadRequestSchema,
  CreateUploadResponseSchema,
  ImageIdSchema,
  ImageSchema,
  ListImagesQuerySchema,
  ListImagesResponseSchema,
} from '../src';

const image = {
  id: 'dS9hbGljZS9jYXQuanBn',
  key: 'u/alice/cat.jpg',
  status: 'ready',
  format: 'jpeg',
  width: 640,
  height: 480,
  bytes: 51234,
  metadata: { orientation: 1 },
  placeholder: 'YJqGPQw7sFlslqhFafSE+Q6oJ1h2iHB2Rw',
  error: null,
  variants: [
    {
      name: 'thumb',
      format: 'webp',
      width: 128,
      height: 128,
      bytes: 2048,
      url: 'https://d1.cloudfront.net/u/alice/cat.jpg/thumb.webp?v=3f9a0c1b2d4e5f60',
    },
  ],
  updatedAt: '2026-11-27T17:00:00.000Z',
};

describe('CreateUploadRequestSchema', () => {
  it('accepts filename, content type and size', () => {
    const body = { filename: 'cat.jpg', contentType: 'image/jpeg', bytes: 1024 };
    expect(CreateUploadRequestSchema.parse(body)).toEqual(body);
  });

  it('refuses unknown fields, a fractional size and a missing type', () => {
    const base = { filename: 'cat.jpg', contentType: 'image/jpeg', bytes: 1024 };
    expect(CreateUploadRequestSchema.safeParse({ ...base, key: 'u/bob/x.jpg' }).success).toBe(false);
    expect(CreateUploadRequestSchema.safeParse({ ...base, bytes: 1.5 }).success).toBe(false);
    expect(CreateUploadRequestSchema.safeParse({ filename: 'cat.jpg', bytes: 1 }).success).toBe(false);
  });
});

describe('CreateUploadResponseSchema', () => {
  it('accepts a presigned POST with string fields and an ISO expiry', () => {
    const body = {
      id: 'dS9hbGljZS9jYXQuanBn',
      key: 'u/alice/cat.jpg',
      upload: {
        url: 'http://127.0.0.1:4566/imgpipe-source',
        fields: { key: 'u/alice/cat.jpg', Policy: 'e30' },
      },
      expiresAt: '2026-11-27T17:05:00.000Z',
    };
    expect(CreateUploadResponseSchema.parse(body)).toEqual(body);
    expect(CreateUploadResponseSchema.safeParse({ ...body, expiresAt: 'soon' }).success).toBe(false);
  });
});

describe('ImageSchema', () => {
  it('accepts a ready image with versioned variant URLs', () => {
    expect(ImageSchema.parse(image)).toEqual(image);
  });

  it('accepts a pending image whose fields are not known yet', () => {
    const pending = {
      ...image,
      status: 'pending',
      format: null,
      width: null,
      height: null,
      bytes: 10,
      metadata: null,
      placeholder: null,
      variants: [],
      updatedAt: null,
    };
    expect(ImageSchema.parse(pending)).toEqual(pending);
  });

  it('refuses an unknown status and a variant without a URL', () => {
    expect(ImageSchema.safeParse({ ...image, status: 'processing' }).success).toBe(false);
    const [variant] = image.variants;
    expect(ImageSchema.safeParse({ ...image, variants: [{ ...variant, url: undefined }] }).success).toBe(
      false,
    );
  });
});

describe('ImageIdSchema', () => {
  it('accepts base64url without padding only', () => {
    expect(ImageIdSchema.safeParse('dS9hbGljZS9jYXQuanBn').success).toBe(true);
    expect(ImageIdSchema.safeParse('dS9h+A==').success).toBe(false);
    expect(ImageIdSchema.safeParse('').success).toBe(false);
  });
});

describe('ListImagesQuerySchema', () => {
  it('defaults the limit and coerces it from the query string', () => {
    expect(ListImagesQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(ListImagesQuerySchema.parse({ limit: '10', status: 'ready' })).toEqual({
      limit: 10,
      status: 'ready',
    });
  });

  it('refuses a limit past 100, an unknown status and unknown parameters', () => {
    expect(ListImagesQuerySchema.safeParse({ limit: '101' }).success).toBe(false);
    expect(ListImagesQuerySchema.safeParse({ status: 'gone' }).success).toBe(false);
    expect(ListImagesQuerySchema.safeParse({ order: 'asc' }).success).toBe(false);
  });
});

describe('ListImagesResponseSchema', () => {
  it('accepts a page and the last page', () => {
    expect(ListImagesResponseSchema.parse({ items: [image], nextCursor: 'abc.def' })).toEqual({
      items: [image],
      nextCursor: 'abc.def',
    });
    expect(ListImagesResponseSchema.parse({ items: [], nextCursor: null })).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});

describe('ApiErrorBodySchema', () => {
  it('accepts every stable code and refuses another', () => {
    for (const code of API_ERROR_CODES) {
      expect(ApiErrorBodySchema.parse({ error: { code, message: 'm' } })).toEqual({
        error: { code, message: 'm' },
      });
    }
    expect(ApiErrorBodySchema.safeParse({ error: { code: 'OOPS', message: 'm' } }).success).toBe(false);
  });

  it('maps each code to its HTTP status', () => {
    expect(
      Object.entries(API_ERROR_STATUS)
        .filter(([, status]) => status === 400)
        .map(([c]) => c),
    ).toEqual([
      'INVALID_JSON',
      'VALIDATION_FAILED',
      'INVALID_ID',
      'INVALID_CURSOR',
      'UNSUPPORTED_CONTENT_TYPE',
      'TOO_LARGE',
    ]);
    expect(API_ERROR_STATUS.UNAUTHORIZED).toBe(401);
    expect(API_ERROR_STATUS.FORBIDDEN).toBe(403);
    expect(API_ERROR_STATUS.NOT_FOUND).toBe(404);
  });
});
