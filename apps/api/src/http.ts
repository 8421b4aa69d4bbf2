import type { ApiErrorBody, ApiErrorCode } from '@imgpipe/contracts';
import { ApiError, errorBody } from '@imgpipe/core';
import type { z } from 'zod';

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/** A JSON response; API answers are per caller and never cached. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

/** The `{"error":{"code","message"}}` response of a refused request. */
export function errorResponse(err: ApiError): Response {
  const body: ApiErrorBody = errorBody(err);
  return json(err.status, body);
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
}

/**
 * Parses `value` with a contract schema; VALIDATION_FAILED names every field that is wrong. A field
 * with a code of its own in `fieldCodes` answers that code when it is the first wrong one, so a bad
 * cursor is INVALID_CURSOR whether the schema or the cursor codec refuses it.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  fieldCodes: Readonly<Record<string, ApiErrorCode>> = {},
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const field = result.error.issues[0]?.path[0];
    const code = (typeof field === 'string' ? fieldCodes[field] : undefined) ?? 'VALIDATION_FAILED';
    throw new ApiError(code, `Expected a valid ${what}: ${describe(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
}

/** The JSON body of a request; INVALID_JSON when it is not JSON. */
export async function jsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ApiError(
      'INVALID_JSON',
      `Expected a JSON body but received ${text.length === 0 ? 'none' : `"${text.slice(0, 40)}"`}`,
      {
        cause,
      },
    );
  }
}

/** The query string as a record (a repeated parameter keeps its last value). */
export function queryOf(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams);
}
