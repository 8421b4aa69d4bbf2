import { LOCAL_TOKEN_DEFAULTS, LocalTokenResponseSchema, type LocalTokenResponse } from '@imgpipe/contracts';
import { ConsoleError } from './errors';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * Who the console is to the image API: the local stack's default user (`npx imgpipe token` without options),
 * with `images.read images.write` and no `images.admin`. Like any application's user, it sees and writes only
 * its own folder `u/local-user/`, so what the README's curl walkthrough uploads shows up in the console and
 * the other way round. Operator views (Monitoring, dead-letter queue) stay on `/_imgpipe/api`.
 */
export const CONSOLE_IDENTITY = { sub: LOCAL_TOKEN_DEFAULTS.sub, scope: LOCAL_TOKEN_DEFAULTS.scope } as const;

/** Refresh this long before expiry (or at half the lifetime of a shorter-lived token). */
export const REFRESH_MARGIN_MS = 60_000;

interface Held {
  readonly response: LocalTokenResponse;
  readonly refreshAt: number;
}

export interface TokenSourceOptions {
  /** Origin of the edge, '' for the page's own. */
  readonly origin?: string;
  readonly fetchImpl?: Fetch;
  /** Milliseconds since the epoch; injected by tests. */
  readonly now?: () => number;
  readonly identity?: { readonly sub: string; readonly scope: string };
}

/**
 * The console's bearer token, as a web app keeps one: fetched from the local issuer
 * (`POST /_imgpipe/api/tokens`) on first use, kept in memory only (never in storage a script could read
 * later), fetched again shortly before it expires, and dropped when the API answers 401 so the next call
 * gets a fresh one. Concurrent callers share one request.
 * @example const bearer = await new TokenSource().token();
 */
export class TokenSource {
  private held: Promise<Held> | undefined;
  private readonly origin: string;
  private readonly fetchImpl: Fetch;
  private readonly now: () => number;
  private readonly identity: { readonly sub: string; readonly scope: string };

  constructor(options: TokenSourceOptions = {}) {
    this.origin = options.origin ?? '';
    this.fetchImpl = options.fetchImpl ?? ((url, init) => globalThis.fetch(url, init));
    this.now = options.now ?? Date.now;
    this.identity = options.identity ?? CONSOLE_IDENTITY;
  }

  /** A token valid for at least the refresh margin (or half its lifetime). */
  async token(): Promise<string> {
    return (await this.current()).token;
  }

  /** The subject and scopes of the token held (fetching one if none is). */
  async claims(): Promise<Pick<LocalTokenResponse, 'sub' | 'scope' | 'expiresAt'>> {
    const { sub, scope, expiresAt } = await this.current();
    return { sub, scope, expiresAt };
  }

  /**
   * Forgets `rejected` after the API refused it (401). A token fetched meanwhile by another caller is
   * kept, so a burst of 401s costs one new token.
   */
  async invalidate(rejected: string): Promise<void> {
    const held = this.held;
    if (!held) return;
    const token = await held.then(
      (h) => h.response.token,
      () => undefined,
    );
    if (this.held === held && (token === undefined || token === rejected)) this.held = undefined;
  }

  private async current(): Promise<LocalTokenResponse> {
    const held = this.held;
    if (held) {
      try {
        const h = await held;
        if (this.now() < h.refreshAt) return h.response;
      } catch {
        // A failed fetch is not cached: try again below.
      }
      if (this.held === held) this.held = undefined;
    }
    this.held ??= this.fetchToken();
    return (await this.held).response;
  }

  private async fetchToken(): Promise<Held> {
    const requested = this.now();
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.origin}/_imgpipe/api/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(this.identity),
      });
    } catch (cause) {
      throw new ConsoleError('NETWORK', 'Could not reach the local issuer for a token', { cause });
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      throw new ConsoleError('HTTP_ERROR', `The local issuer gave no token (HTTP ${res.status})`, {
        status: res.status,
        ...remote(body),
      });
    }
    const parsed = LocalTokenResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new ConsoleError('BAD_RESPONSE', 'The local issuer answered an unexpected shape', {
        cause: parsed.error,
      });
    }
    const expires = Date.parse(parsed.data.expiresAt);
    const margin = Math.max(0, Math.min(REFRESH_MARGIN_MS, (expires - requested) / 2));
    return { response: parsed.data, refreshAt: expires - margin };
  }
}

/** `{ remoteCode }` from an `{"error":{"code"}}` body, when it has one. */
export function remote(body: unknown): { remoteCode?: string } {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? { remoteCode: code } : {};
}
