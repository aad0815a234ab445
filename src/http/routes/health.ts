// GET /api/health: is the server up, and on which database.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../context.ts';

const healthRoute = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['system'],
  summary: 'Liveness, and which database the server runs on',
  responses: {
    200: {
      description: 'The server is up',
      content: {
        'application/json': {
          schema: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) }),
        },
      },
    },
  },
});

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(healthRoute, (context) =>
    context.json({ status: 'ok' as const, database: context.get('runtime').database.kind }, 200),
  );
}
