// The HTTP application: routes under /api, errors as JSON in one shape.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';

export function createApp(runtime: Runtime) {
  const app = new Hono();

  app.get('/api/health', (context) => context.json({ status: 'ok', database: runtime.database.kind }));

  app.notFound((context) =>
    context.json({ error: { code: 'not_found', message: `no route for ${context.req.method} ${context.req.path}` } }, 404),
  );

  app.onError((error, context) => {
    if (error instanceof AppError) {
      const body = { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
      return context.json({ error: body }, error.status as ContentfulStatusCode);
    }
    if (error instanceof HTTPException) {
      return context.json({ error: { code: 'invalid_input', message: error.message } }, error.status);
    }
    console.error('unhandled error', error);
    return context.json({ error: { code: 'internal', message: 'internal server error' } }, 500);
  });

  return app;
}
