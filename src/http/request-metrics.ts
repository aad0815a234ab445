// Counts each request by method, route pattern and status, with how long it took to its response head; and keeps
// count of the event streams open (a reply being streamed, a conversation being followed), told when each closes.
// One count per request: nothing per streamed chunk.
import { performance } from 'node:perf_hooks';
import type { MiddlewareHandler } from 'hono';
import type { ServerMetrics } from '../metrics/server-metrics.ts';
import type { AppEnv } from './context.ts';
import { routeOf } from './request-ids.ts';

/** The route of a conversation's live events; every other event stream is a reply's. */
const EVENT_SUBSCRIPTION_ROUTE = '/api/conversations/:id/events';

export function countRequests(metrics: ServerMetrics): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const startedAt = performance.now();
    await next();
    const route = routeOf(context);
    const outgoing = context.env?.outgoing;
    // An event stream writes its head itself and goes on after the handler returned.
    const streaming = outgoing?.headersSent === true && !outgoing.writableEnded;
    metrics.countRequest(
      context.req.method,
      route,
      streaming ? outgoing.statusCode : context.res.status,
      (performance.now() - startedAt) / 1000,
    );
    if (streaming) {
      const closed = metrics.openStream(route === EVENT_SUBSCRIPTION_ROUTE ? 'event_subscription' : 'reply');
      outgoing.once('close', closed);
    }
  };
}
