// What every request handler can reach: the runtime (store, services) and the acting user, if any; and the guards
// on who that user is (signed in, an admin).
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import type { Actor } from '../store/actor.ts';

export type AppEnv = {
  /** The Node request and response (event streams are written to the response directly: see sse.ts). */
  Bindings: HttpBindings;
  Variables: {
    /** Who is acting: from the session cookie or an API key; null when anonymous. */
    actor: Actor | null;
    runtime: Runtime;
    /** The request's id (request-ids.ts), on every log line of the request and echoed as X-Request-Id. */
    requestId?: string;
    /** Cookies the response must set (a session refreshed while reading it); added to every response. */
    responseCookies?: string[];
  };
};

/** The acting user, or 401 for anonymous requests. */
export function requireActor(context: Context<AppEnv>): Actor {
  const actor = context.get('actor');
  if (!actor) throw new AppError('unauthorized', 'sign in first (session cookie or Authorization: Bearer <api key>)');
  return actor;
}

/** The acting user if an admin, else 403 (401 when anonymous). */
export function requireAdmin(context: Context<AppEnv>): Actor {
  const actor = requireActor(context);
  if (actor.role !== 'admin') throw new AppError('forbidden', 'only admins may do this');
  return actor;
}

/** For routes that are admins' alone: others are refused before their input is even validated (401, 403). */
export const adminOnly: MiddlewareHandler<AppEnv> = async (context, next) => {
  requireAdmin(context);
  await next();
};
