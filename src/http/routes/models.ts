// GET /api/models: the models a person may pick now (active or beta, provider configured).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listSelectableModels } from '../../chat/model-selection.ts';
import { MODEL_CAPABILITIES } from '../../models/model-schema.ts';
import type { AppEnv } from '../context.ts';

const pickableModelSchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    name: z.string(),
    displayName: z.string().nullable(),
    avatar: z.string().nullable(),
    description: z.string().nullable(),
    contextWindow: z.number(),
    maxOutputTokens: z.number().nullable(),
    pricing: z.object({ input: z.number(), output: z.number(), cacheRead: z.number().nullable().optional() }),
    capabilities: z.array(z.enum(MODEL_CAPABILITIES)),
    status: z.enum(['active', 'beta']),
  })
  .openapi('PickableModel');

const modelsRoute = createRoute({
  method: 'get',
  path: '/api/models',
  tags: ['models'],
  summary: 'The models that can answer now',
  responses: {
    200: {
      description: 'Pickable models',
      content: { 'application/json': { schema: z.object({ models: z.array(pickableModelSchema) }) } },
    },
  },
});

export function registerModelRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(modelsRoute, async (context) => {
    const { modelSource, providers } = context.get('runtime');
    const rows = listSelectableModels(modelSource.viewFor(context.get('actor')?.id ?? null), providers);
    const models = rows.map((model) => ({
      id: model.id,
      provider: model.provider,
      name: model.name,
      displayName: model.displayName,
      avatar: model.avatar,
      description: model.description,
      contextWindow: model.contextWindow,
      maxOutputTokens: model.maxOutputTokens,
      pricing: model.pricing,
      capabilities: model.capabilities as (typeof MODEL_CAPABILITIES)[number][],
      status: model.status as 'active' | 'beta',
    }));
    return context.json({ models }, 200);
  });
}
