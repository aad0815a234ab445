// A stopping server (SIGTERM) takes no new requests: each is refused with 503 and its connection closed, so a
// client or load balancer retries elsewhere; the health checks still answer (readiness says it is stopping).
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import type { AppEnv } from './context.ts';

export const refuseWhileDraining: MiddlewareHandler<AppEnv> = async (context, next) => {
  if (context.get('runtime').lifecycle.draining && !context.req.path.startsWith('/api/health')) {
    context.header('connection', 'close');
    throw new AppError('unavailable', 'the server is stopping: try again', { retryAfterSeconds: 1 });
  }
  await next();
};
