/**
 * The seams of imgpipe: one zod schema per shape that crosses a process boundary. Producers type their
 * output from these schemas; consumers parse with them. Browser-safe: zod only.
 */
export { ErrorBodySchema, type ErrorBody } from './error-body';
