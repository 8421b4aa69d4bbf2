import type { IncomingMessage } from 'node:http';
import type { Refusal } from './extensions';
import type { EdgeGuard } from './server';

/** The names a loopback edge answers to; anything else in `Host` is DNS rebinding or a misdirected request. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface OriginGuardOptions {
  /** The edge's port (known once it listens). */
  readonly port: () => number;
  /** The address the edge listens on; a specific non-loopback address is accepted in `Host` too. */
  readonly host: string;
  /** Further web origins allowed to call the edge (`IMGPIPE_ALLOWED_ORIGINS`), e.g. `http://localhost:5173`. */
  readonly allowedOrigins: readonly string[];
}

const refuse = (message: string): Refusal => ({ status: 403, code: 'AccessDenied', message });

/** `host:port` as a browser would write it for an http origin (default port 80 left out). */
function hostPort(name: string, port: number): string {
  return port === 80 ? name : `${name}:${port}`;
}

/**
 * Keeps the edge closed to other web pages: a request whose `Host` is not one of the edge's own names
 * with its port (DNS rebinding), or whose `Origin` is neither the edge's own origin nor an allowed one (a
 * page elsewhere posting a form or calling fetch), is refused with 403. Requests without `Origin` (SDKs,
 * the AWS CLI, curl, same-origin GETs) pass: a browser always sends `Origin` on cross-origin writes.
 */
export function createOriginGuard(options: OriginGuardOptions): EdgeGuard {
  const names = [...LOOPBACK_NAMES];
  if (!['0.0.0.0', '::', '127.0.0.1', 'localhost', '::1'].includes(options.host))
    names.push(options.host.includes(':') ? `[${options.host}]` : options.host);
  const allowed = new Set(options.allowedOrigins.map((o) => o.trim().toLowerCase().replace(/\/$/, '')));

  return (req: IncomingMessage): Refusal | undefined => {
    const port = options.port();
    const own = names.map((name) => hostPort(name, port));
    const host = String(req.headers.host ?? '').toLowerCase();
    if (!own.includes(host))
      return refuse(`The local stack answers only to ${own.join(', ')}; this request was for "${host}".`);
    const origin = req.headers.origin;
    if (origin === undefined) return undefined;
    const normalized = origin.toLowerCase();
    if (own.some((h) => normalized === `http://${h}`) || allowed.has(normalized)) return undefined;
    return refuse(
      `Requests from the web page at ${origin} are refused: only the local stack's own pages and IMGPIPE_ALLOWED_ORIGINS may call it.`,
    );
  };
}
