// Every request gets an id: the caller's X-Request-Id when it is a sane one (a proxy's, say, so both logs agree),
// else a new one. It is echoed on the response, and every line logged while the request is handled carries it; a
// line per request says how it ended (method, route pattern, status, duration), never its path's ids or its body.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { logger, withRequestId } from '../logging/logger.ts';
import type { AppEnv } from './context.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Printable, short, and free of anything a log line or a header could trip on. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const requestIds: MiddlewareHandler<AppEnv> = async (context, next) => {
  const given = context.req.header(REQUEST_ID_HEADER);
  const requestId = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  context.set('requestId', requestId);
  const startedAt = performance.now();
  await withRequestId(requestId, next);
  // A response written to the socket directly (an event stream) sent its head, with the id, itself (see sse.ts).
  const outgoing = context.env?.outgoing;
  const sentItself = outgoing?.headersSent === true;
  if (!sentItself) context.res.headers.set(REQUEST_ID_HEADER, requestId);
  const log = logger();
  if (log.isLevelEnabled('info')) {
    log.info(
      {
        requestId,
        method: context.req.method,
        route: routeOf(context),
        status: sentItself ? outgoing.statusCode : context.res.status,
        ms: Math.round((performance.now() - startedAt) * 10) / 10,
      },
      'request',
    );
  }
};

/** The pattern of the route that answered (`/api/conversations/:id`), never the path itself (ids, tokens). */
export function routeOf(context: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const pattern = routePath(context);
  // A middleware answered (a refusal) or nothing matched: no route to name.
  return pattern === '*' || pattern === '/*' ? 'none' : pattern;
}
