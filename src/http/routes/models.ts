// GET /api/models: the models a person may pick now (active or beta, provider configured).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listSelectableModels } from '../../chat/model-selection.ts';
import type { AppEnv } from '../context.ts';
import { pickableModelSchema, toPickableModelDto } from '../dto/pickable-model.ts';

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
    const models = rows.map(toPickableModelDto);
    return context.json({ models }, 200);
  });
}
