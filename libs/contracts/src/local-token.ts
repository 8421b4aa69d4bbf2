import * as z from 'zod';

/**
 * The local stack's token endpoint (`POST /_imgpipe/api/tokens`): what `npx imgpipe token` and the console
 * ask the local issuer for. Local only; a deployment's tokens come from its OpenID provider.
 */
export const LOCAL_TOKEN_DEFAULTS = { sub: 'local-user', scope: 'images.read images.write' } as const;

/** Scopes the local issuer signs (the image API's scopes). */
export const LOCAL_TOKEN_SCOPES = ['images.read', 'images.write', 'images.admin'] as const;

export const LocalTokenRequestSchema = z.strictObject({
  /** The JWT subject: one path segment (the caller's keys live under `u/<sub>/`). */
  sub: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[^/\s]+$/, 'Expected one path segment without spaces')
    .default(LOCAL_TOKEN_DEFAULTS.sub),
  /** Space-separated scopes among `LOCAL_TOKEN_SCOPES`; empty gives a token without scopes. */
  scope: z
    .string()
    .max(200)
    .refine(
      (s) => s.split(' ').every((p) => p === '' || (LOCAL_TOKEN_SCOPES as readonly string[]).includes(p)),
      `Expected scopes among ${LOCAL_TOKEN_SCOPES.join(', ')}`,
    )
    .default(LOCAL_TOKEN_DEFAULTS.scope),
  /** Lifetime in seconds (default one hour); negative values mint an already expired token for tests. */
  ttlSeconds: z.number().int().min(-86_400).max(86_400).optional(),
});
export type LocalTokenRequest = z.input<typeof LocalTokenRequestSchema>;

export const LocalTokenResponseSchema = z.strictObject({
  token: z.string().min(1),
  tokenType: z.literal('Bearer'),
  expiresAt: z.string().datetime(),
  sub: z.string().min(1),
  scope: z.string(),
});
export type LocalTokenResponse = z.infer<typeof LocalTokenResponseSchema>;
