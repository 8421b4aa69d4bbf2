import { API_ERROR_STATUS, type ApiErrorCode } from '@imgpipe/contracts';

/**
 * A refused API request: a stable `code` from the contract (`API_ERROR_CODES`), the HTTP `status` it
 * answers, a message that says what was expected and received, and the original `cause`.
 * @example throw new ApiError('NOT_FOUND', 'No image with id "abc"');
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.status = API_ERROR_STATUS[code];
  }
}

/** The body every refused request answers: `{"error":{"code","message"}}`. */
export function errorBody(err: ApiError): { error: { code: ApiErrorCode; message: string } } {
  return { error: { code: err.code, message: err.message } };
}
