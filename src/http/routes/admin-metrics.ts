// GET /api/admin/metrics: what the server processes did, minute by minute (their rollups in the metrics table),
// over a window, for the admin charts: messages, tokens, cost, errors, time to first token.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { MAX_SERIES_HOURS, readMetricSeries } from '../../metrics/metric-series.ts';
import { type AppEnv, adminOnly } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const pointSchema = z
  .object({
    at: z.iso.datetime().openapi({ description: "The bucket's start" }),
    turns: z.number().int().openapi({ description: 'Messages answered' }),
    replies: z.number().int(),
    errors: z.number().int().openapi({ description: 'Replies that failed, and requests answered 5xx' }),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number(),
    firstTokenP50Ms: z.number().nullable(),
    firstTokenP95Ms: z.number().nullable(),
  })
  .openapi('MetricPoint');

const seriesRoute = createRoute({
  method: 'get',
  path: '/api/admin/metrics',
  tags: ['admin: metrics'],
  summary: "The server's activity over the last `hours`, in buckets (every process added up)",
  security: signedIn,
  middleware: [adminOnly] as const,
  request: {
    query: z.object({ hours: z.coerce.number().int().min(1).max(MAX_SERIES_HOURS).default(24) }),
  },
  responses: {
    200: {
      description: 'One point per bucket, oldest first',
      content: {
        'application/json': {
          schema: z.object({ bucketMinutes: z.number().int(), points: z.array(pointSchema) }).openapi('MetricSeries'),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

export function registerAdminMetricsRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(seriesRoute, async (context) => {
    const { hours } = context.req.valid('query');
    return context.json(await readMetricSeries(context.get('runtime').store.metrics, { hours }), 200);
  });
}
