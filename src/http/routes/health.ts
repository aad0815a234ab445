// GET /api/health: is the server up, on which database, and does that database answer. GET /api/health/ready: should
// a load balancer send this process requests: not while it starts (migrating its database: see http/server.ts) nor
// once it is stopping (draining: see lifecycle.ts).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type ProbeResult, probeDatabase } from '../../db/probe.ts';
import { AppError } from '../../errors.ts';
import type { AppEnv } from '../context.ts';
import { errorBodySchema } from '../openapi.ts';

/** How long the database has to answer the probe. */
const PROBE_TIMEOUT_MS = 2_000;

const healthRoute = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['system'],
  summary: 'Liveness, which database the server runs on, and whether it answers',
  responses: {
    200: {
      description: 'The server is up and its database answers',
      content: {
        'application/json': {
          schema: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) }),
        },
      },
    },
    503: {
      description: 'The database does not answer, or fails: the error says which',
      content: { 'application/json': { schema: errorBodySchema } },
    },
  },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/api/health/ready',
  tags: ['system'],
  summary: 'Readiness for a load balancer: 503 while the server starts or stops',
  responses: {
    200: {
      description: 'The server takes requests',
      content: { 'application/json': { schema: z.object({ status: z.literal('ready') }) } },
    },
    503: {
      description: 'The server is starting (migrating its database) or stopping (finishing the replies it runs)',
      content: { 'application/json': { schema: errorBodySchema } },
    },
  },
});

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(readyRoute, async (context) => {
    if (context.get('runtime').lifecycle.draining) {
      throw new AppError('unavailable', 'the server is stopping', { retryAfterSeconds: 1 });
    }
    return context.json({ status: 'ready' as const }, 200);
  });

  // Checks asked for while one runs share it: a database that stopped answering is not sent one more each time.
  let running: Promise<ProbeResult> | undefined;
  app.openapi(healthRoute, async (context) => {
    const database = context.get('runtime').database;
    running ??= probeDatabase(database.db, PROBE_TIMEOUT_MS).finally(() => (running = undefined));
    const probe = await running;
    if (!probe.answering) throw new AppError('unavailable', `the database (${database.kind}) ${probe.problem}`);
    return context.json({ status: 'ok' as const, database: database.kind }, 200);
  });
}
