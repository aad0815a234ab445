// /api/keys: a signed-in user's API keys. The key itself appears once, in the answer to its creation.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { createApiKey } from '../../auth/api-keys.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const keyName = z.string().trim().min(1).max(100);

const createdKeySchema = z
  .object({
    id: z.uuid(),
    key: z.string().openapi({ description: 'The key: shown this once, never again', example: 'chorus_…' }),
    name: keyName.nullable(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
  })
  .openapi('CreatedApiKey');

const keySummarySchema = z
  .object({
    id: z.uuid(),
    name: keyName.nullable(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart' }),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable().openapi({ description: 'After this the key no longer works; null: never' }),
  })
  .openapi('ApiKey');

const createKeyRoute = createRoute({
  method: 'post',
  path: '/api/keys',
  tags: ['accounts'],
  summary: 'Create an API key for Authorization: Bearer',
  security: signedIn,
  request: {
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z.object({
            name: keyName.optional(),
            expiresAt: z.iso
              .datetime({ offset: true })
              .optional()
              .openapi({ description: 'When the key stops working (in the future); without it, never' }),
          }),
        },
      },
    },
  },
  responses: {
    201: { description: 'The new key', content: { 'application/json': { schema: createdKeySchema } } },
    ...errorResponses(400, 401, 403),
  },
});

const listKeysRoute = createRoute({
  method: 'get',
  path: '/api/keys',
  tags: ['accounts'],
  summary: 'List your API keys (never the keys themselves)',
  security: signedIn,
  responses: {
    200: {
      description: 'Your keys, newest first',
      content: { 'application/json': { schema: z.object({ keys: z.array(keySummarySchema) }) } },
    },
    ...errorResponses(401),
  },
});

const revokeKeyRoute = createRoute({
  method: 'delete',
  path: '/api/keys/{id}',
  tags: ['accounts'],
  summary: 'Revoke one of your API keys',
  security: signedIn,
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    204: { description: 'Revoked: the key no longer works' },
    ...errorResponses(400, 401, 404),
  },
});

export function registerKeyRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(createKeyRoute, async (context) => {
    const actor = requireActor(context);
    const { name, expiresAt } = context.req.valid('json');
    const created = await createApiKey(context.get('runtime').store, {
      actor,
      name,
      expiresAt: expiresAt ? new Date(expiresAt) : null,
    });
    return context.json(
      { ...created, createdAt: created.createdAt.toISOString(), expiresAt: created.expiresAt?.toISOString() ?? null },
      201,
    );
  });

  app.openapi(listKeysRoute, async (context) => {
    const actor = requireActor(context);
    const keys = await context.get('runtime').store.apiKeys.listForActor(actor);
    return context.json(
      {
        keys: keys.map((key) => ({
          ...key,
          createdAt: key.createdAt.toISOString(),
          lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
          expiresAt: key.expiresAt?.toISOString() ?? null,
        })),
      },
      200,
    );
  });

  app.openapi(revokeKeyRoute, async (context) => {
    const actor = requireActor(context);
    await context.get('runtime').store.apiKeys.revoke({ actor, id: context.req.valid('param').id });
    return context.body(null, 204);
  });
}
