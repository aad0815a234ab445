// Browsers attach the session cookie to a request whichever page made it, and SameSite=Lax still lets a page of a
// sibling subdomain (the same "site") send it with a POST. So a request that changes something and is
// authenticated by the cookie alone must come from the app's own pages: its Origin — or, from a browser that sends
// none, its Referer — must be one of them (PUBLIC_URL's; without PUBLIC_URL, localhost and 127.0.0.1, as better-auth
// trusts). A request with an Authorization header is a script's with an API key, never a browser's, and needs none.
import type { MiddlewareHandler } from 'hono';
import { AUTH_COOKIE_PREFIX } from '../auth/better-auth.ts';
import { AppError } from '../errors.ts';
import type { AppEnv } from './context.ts';
import { isReadOnlyMethod } from './request-body.ts';

/** better-auth's session cookie, `__Secure-` prefixed when the app is served over https. */
const SESSION_COOKIE = new RegExp(`(?:^|;)\\s*(?:__Secure-)?${AUTH_COOKIE_PREFIX}\\.session_token=`);

export function refuseCrossSiteWrites(trustedOrigins: readonly string[]): MiddlewareHandler<AppEnv> {
  const trusted = new Set(trustedOrigins);
  return async (context, next) => {
    if (isReadOnlyMethod(context.req.method)) return next();
    const headers = context.req.raw.headers;
    if (headers.has('authorization')) return next();
    const cookie = headers.get('cookie');
    if (cookie === null || !SESSION_COOKIE.test(cookie)) return next();
    const origin = headers.get('origin') ?? originOf(headers.get('referer'));
    if (origin !== null && trusted.has(origin)) return next();
    throw new AppError('forbidden', refusal(origin), { details: { origin } });
  };
}

function originOf(referer: string | null): string | null {
  if (referer === null || !URL.canParse(referer)) return null;
  return new URL(referer).origin;
}

const SCRIPTS_INSTEAD = 'a script should send an API key (Authorization: Bearer <key>) instead of the cookie';
const WRITE_WITH_COOKIE = "refused: a request that changes something with a browser's session cookie";

function refusal(origin: string | null): string {
  if (origin === null)
    return `${WRITE_WITH_COOKIE} must say which page sent it (Origin or Referer); ${SCRIPTS_INSTEAD}`;
  return `${WRITE_WITH_COOKIE} must come from this app's own pages, not from ${origin.slice(0, 200)}; ${SCRIPTS_INSTEAD}`;
}
