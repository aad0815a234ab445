// Sets `actor` on every request from its credentials (see auth/resolve-actor.ts). better-auth's own routes resolve the
// session themselves, so they are skipped rather than looked up twice.
import type { MiddlewareHandler } from 'hono';
import { AUTH_BASE_PATH } from '../auth/better-auth.ts';
import { resolveActor } from '../auth/resolve-actor.ts';
import type { AppEnv } from './context.ts';

export const actorMiddleware: MiddlewareHandler<AppEnv> = async (context, next) => {
  if (context.req.path.startsWith(`${AUTH_BASE_PATH}/`)) {
    context.set('actor', null);
    return next();
  }
  const { actor, responseHeaders } = await resolveActor(context.get('runtime'), context.req.raw.headers);
  context.set('actor', actor);
  // Reading a session may refresh it; the browser then needs the renewed cookie (responses written to the socket
  // directly take it from here).
  const cookies = responseHeaders?.getSetCookie() ?? [];
  if (cookies.length > 0) context.set('responseCookies', cookies);
  await next();
  for (const cookie of cookies) context.res.headers.append('set-cookie', cookie);
};
