// What replies cost, for admins: recomputing stored costs after a price change (POST /api/admin/models/reprice)
// and usage over a period by model, by person or by day (GET /api/admin/usage). Both show every user's spending,
// hence admin only.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { USAGE_GROUPINGS } from '../../registry/usage-report.ts';
import { type AppEnv, adminOnly, requireAdmin } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';

/** A day (`2026-01-31`, midnight UTC) or an instant with its offset (`2026-01-31T12:00:00Z`). */
const instantSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((text) => new Date(text))
  .openapi({
    type: 'string',
    description: 'YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time',
    example: '2026-01-01',
  });

const usdTotalsShape = {
  messages: z.number().int().openapi({ description: 'Replies priced' }),
  previousTotalUsd: z.number(),
  newTotalUsd: z.number(),
  differenceUsd: z.number().openapi({ description: 'new − previous' }),
};

const repriceReportSchema = z
  .object({
    since: z.iso.datetime(),
    until: z.iso.datetime(),
    ...usdTotalsShape,
    changedMessages: z
      .number()
      .int()
      .openapi({ description: 'Replies whose stored cost or priced-at version changed' }),
    byModel: z.array(
      z.object({
        modelId: z.string(),
        modelVersion: z.number().int().openapi({ description: 'Priced at' }),
        ...usdTotalsShape,
      }),
    ),
  })
  .openapi('RepriceReport');

const repriceRoute = createRoute({
  method: 'post',
  path: '/api/admin/models/reprice',
  tags: ['admin: models'],
  summary: "Recompute the stored cost of a period's replies at their models' current prices",
  description:
    'All or nothing. `since` inclusive, `until` (default now) exclusive. Reports the totals before and after.',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ since: instantSchema, until: instantSchema.optional() }) } },
    },
  },
  responses: {
    200: { description: 'What changed', content: { 'application/json': { schema: repriceReportSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

const usageRowSchema = z
  .object({
    key: z
      .string()
      .nullable()
      .openapi({ description: 'The model id, the user id, or the day (YYYY-MM-DD, UTC); null: not recorded' }),
    messages: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedInputTokens: z.number().int(),
    costUsd: z.number(),
  })
  .openapi('UsageRow');

const usageRoute = createRoute({
  method: 'get',
  path: '/api/admin/usage',
  tags: ['admin: models'],
  summary: 'Replies, tokens and cost over a period, by model, by person who asked, or by day',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: {
    query: z.object({
      from: instantSchema.openapi({ description: 'Inclusive' }),
      to: instantSchema.optional().openapi({ description: 'Exclusive; default now' }),
      groupBy: z.enum(USAGE_GROUPINGS).default('model'),
    }),
  },
  responses: {
    200: {
      description: 'One row per group, in key order',
      content: {
        'application/json': {
          schema: z.object({
            from: z.iso.datetime(),
            to: z.iso.datetime(),
            groupBy: z.enum(USAGE_GROUPINGS),
            rows: z.array(usageRowSchema),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

export function registerAdminUsageRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(repriceRoute, async (context) => {
    const actor = requireAdmin(context);
    const { since, until } = context.req.valid('json');
    const report = await context.get('runtime').registry.repriceMessages({ actor, since, until });
    return context.json({ ...report, since: report.since.toISOString(), until: report.until.toISOString() }, 200);
  });

  app.openapi(usageRoute, async (context) => {
    const actor = requireAdmin(context);
    const { from, to = new Date(), groupBy } = context.req.valid('query');
    const rows = await context.get('runtime').registry.usage({ actor, from, to, groupBy });
    return context.json({ from: from.toISOString(), to: to.toISOString(), groupBy, rows }, 200);
  });
}
