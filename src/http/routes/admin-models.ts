// /api/admin/models: the model registry for admins — every model whatever its status, created, edited, duplicated,
// retired, deleted, its history and reverts, and the whole registry exported and imported as JSON. Model ids hold
// `:` and `/` (`openrouter:google/gemini-2.5-pro`), so in a path they are URL-encoded (encodeURIComponent); Hono
// decodes the parameter. After a write the model cache is reloaded before answering, so the admin's next request
// (and the chat path) sees the change at once; other processes follow the registry's announcement.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { modelStatus } from '../../db/schema/index.ts';
import { MODEL_CAPABILITIES } from '../../models/model-schema.ts';
import { type AppEnv, adminOnly, requireAdmin } from '../context.ts';
import {
  adminModelSchema,
  changeFields,
  modelChangeResultSchema,
  modelDefinitionSchema,
  modelHistoryEntrySchema,
  modelImportResultSchema,
  modelUpdateRequestSchema,
  newModelRequestSchema,
  toAdminModelDto,
  toModelChangeResultDto,
  toModelHistoryEntryDto,
} from '../dto/admin-model.ts';
import { cursorSchema, pageLimitSchema, pageSchema } from '../dto/page.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { MAX_IMPORT_BYTES } from '../request-body.ts';

const modelParams = z.object({
  id: z.string().min(1).max(200).openapi({
    description: 'The model id, URL-encoded (`:` as %3A, `/` as %2F)',
    example: 'openrouter%3Agoogle%2Fgemini-2.5-pro',
  }),
});

const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const jsonBody = <Schema extends z.ZodType>(schema: Schema, required = true) => ({
  required,
  content: { 'application/json': { schema } },
});

const oneOrMany = <Schema extends z.ZodType>(schema: Schema) => z.union([schema, z.array(schema)]).optional();

const adminRoute = { tags: ['admin: models'], security: signedIn, middleware: [adminOnly] };

const listRoute = createRoute({
  ...adminRoute,
  method: 'get',
  path: '/api/admin/models',
  summary: 'Every model, whatever its status; filtered, searched, a page at a time (the registry order)',
  request: {
    query: z.object({
      status: oneOrMany(z.enum(modelStatus.enumValues)).openapi({ description: 'Repeat for several' }),
      provider: z.string().min(1).max(50).optional(),
      capability: oneOrMany(z.enum(MODEL_CAPABILITIES)).openapi({ description: 'Repeat to require several' }),
      search: z.string().max(200).optional().openapi({ description: 'Part of the id, name or display name' }),
      limit: pageLimitSchema,
      cursor: cursorSchema,
    }),
  },
  responses: { 200: json(pageSchema(adminModelSchema), 'A page of models'), ...errorResponses(400, 401, 403) },
});

const createModelRoute = createRoute({
  ...adminRoute,
  method: 'post',
  path: '/api/admin/models',
  summary: 'Add a model (version 1)',
  request: { body: jsonBody(newModelRequestSchema) },
  responses: { 201: json(adminModelSchema, 'The new model'), ...errorResponses(400, 401, 403, 409) },
});

const exportRoute = createRoute({
  ...adminRoute,
  method: 'get',
  path: '/api/admin/models/export',
  summary: 'Every model as a JSON array in the import shape',
  responses: { 200: json(z.array(modelDefinitionSchema), 'The registry'), ...errorResponses(401, 403) },
});

const importRoute = createRoute({
  ...adminRoute,
  middleware: [adminOnly],
  method: 'post',
  path: '/api/admin/models/import',
  summary: 'Create or update many models at once, all or nothing',
  description:
    'The body is a JSON array of whole models (what GET /api/admin/models/export gives). It is checked whole ' +
    'first: any bad entry is a 400 whose details list every problem as {index, field, message}, and nothing is ' +
    'written. New ids are created, changed models get a new version, identical ones are left alone (re-importing ' +
    `an export changes nothing). With dryRun=1 nothing is written either way. At most ${MAX_IMPORT_BYTES} bytes.`,
  request: {
    query: z.object({
      dryRun: z
        .enum(['1', 'true', '0', 'false'])
        .optional()
        .openapi({ description: '1: only say what would be created, changed and left unchanged' }),
      reason: changeFields.reason,
    }),
    body: jsonBody(
      z.array(z.unknown()).openapi({ type: 'array', items: { $ref: '#/components/schemas/ModelDefinition' } }),
    ),
  },
  responses: {
    200: json(modelImportResultSchema, 'What was (or would be) done'),
    ...errorResponses(400, 401, 403, 409, 413),
  },
});

const getRoute = createRoute({
  ...adminRoute,
  method: 'get',
  path: '/api/admin/models/{id}',
  summary: 'One model, whatever its status',
  request: { params: modelParams },
  responses: { 200: json(adminModelSchema, 'The model'), ...errorResponses(401, 403, 404) },
});

const patchRoute = createRoute({
  ...adminRoute,
  method: 'patch',
  path: '/api/admin/models/{id}',
  summary: 'Change some fields of a model (a new version)',
  description:
    'Only the fields named in `updates` change; `pricing` may name only the prices that change. The id fields ' +
    'never change (duplicate instead). Answers the model and the field-level changes.',
  request: { params: modelParams, body: jsonBody(modelUpdateRequestSchema) },
  responses: { 200: json(modelChangeResultSchema, 'The model as changed'), ...errorResponses(400, 401, 403, 404, 409) },
});

const deleteRoute = createRoute({
  ...adminRoute,
  method: 'delete',
  path: '/api/admin/models/{id}',
  summary: 'Delete a model no message refers to (409 otherwise: deprecate it instead); its history stays',
  request: {
    params: modelParams,
    query: z.object({
      reason: changeFields.reason,
      expectedVersion: z.coerce.number().int().positive().optional(),
    }),
  },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404, 409) },
});

const duplicateRoute = createRoute({
  ...adminRoute,
  method: 'post',
  path: '/api/admin/models/{id}/duplicate',
  summary: 'A copy of a model under a new id, with some fields changed',
  request: {
    params: modelParams,
    body: jsonBody(
      z.object({
        newId: z.string().min(1).max(200).openapi({ example: 'openai:gpt-4o-2024-11-20' }),
        overrides: modelUpdateRequestSchema.shape.updates.optional(),
        reason: changeFields.reason,
      }),
    ),
  },
  responses: { 201: json(adminModelSchema, 'The copy'), ...errorResponses(400, 401, 403, 404, 409) },
});

const lifecycleBody = jsonBody(z.object(changeFields), false);

/** deprecate, disable, restore: a status change with an optional reason. */
const lifecycleRoute = (action: 'deprecate' | 'disable' | 'restore', summary: string) =>
  createRoute({
    ...adminRoute,
    method: 'post',
    path: `/api/admin/models/{id}/${action}`,
    summary,
    request: { params: modelParams, body: lifecycleBody },
    responses: {
      200: json(modelChangeResultSchema, 'The model as changed'),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });

const lifecycleRoutes = {
  deprecate: lifecycleRoute('deprecate', 'Stop offering a model for new messages; old messages keep it'),
  disable: lifecycleRoute('disable', 'Hide a model and refuse it, e.g. while its provider misbehaves'),
  restore: lifecycleRoute('restore', 'Offer a deprecated or disabled model again, with the status it had before'),
} as const;

const historyRoute = createRoute({
  ...adminRoute,
  method: 'get',
  path: '/api/admin/models/{id}/history',
  summary: "Every version of a model, newest first (also a deleted model's)",
  request: { params: modelParams },
  responses: {
    200: json(z.object({ items: z.array(modelHistoryEntrySchema) }), 'The versions'),
    ...errorResponses(401, 403, 404),
  },
});

const revertRoute = createRoute({
  ...adminRoute,
  method: 'post',
  path: '/api/admin/models/{id}/revert',
  summary: 'Back to the fields of an earlier version, written as a new version',
  request: {
    params: modelParams,
    body: jsonBody(z.object({ toVersion: z.number().int().positive(), ...changeFields })),
  },
  responses: {
    200: json(modelChangeResultSchema, 'The model as reverted'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** Reloads this process's model cache, so what the admin just changed is what the next request reads. */
async function refreshed<Result>(context: Context<AppEnv>, result: Result): Promise<Result> {
  await context.get('runtime').modelCache.refresh();
  return result;
}

export function registerAdminModelRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (context) => {
    requireAdmin(context);
    const page = await context.get('runtime').registry.list(context.req.valid('query'));
    return context.json({ items: page.items.map(toAdminModelDto), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(createModelRoute, async (context) => {
    const actor = requireAdmin(context);
    const { reason, ...model } = context.req.valid('json');
    const created = await context.get('runtime').registry.create({ actor, model, reason });
    return context.json(toAdminModelDto(await refreshed(context, created)), 201);
  });

  // Before /{id}: "export" and "import" are words here, never ids (an id always holds a `:`).
  app.openapi(exportRoute, async (context) => {
    requireAdmin(context);
    return context.json(await context.get('runtime').registry.exportModels(), 200);
  });

  app.openapi(importRoute, async (context) => {
    const actor = requireAdmin(context);
    const { dryRun, reason } = context.req.valid('query');
    const result = await context.get('runtime').registry.importModels({
      actor,
      reason,
      entries: context.req.valid('json'),
      dryRun: dryRun === '1' || dryRun === 'true',
    });
    return context.json(result.dryRun ? result : await refreshed(context, result), 200);
  });

  app.openapi(getRoute, async (context) => {
    requireAdmin(context);
    const model = await context.get('runtime').registry.get(context.req.valid('param').id);
    return context.json(toAdminModelDto(model), 200);
  });

  app.openapi(patchRoute, async (context) => {
    const actor = requireAdmin(context);
    const { id } = context.req.valid('param');
    const result = await context.get('runtime').registry.update({ actor, id, ...context.req.valid('json') });
    return context.json(toModelChangeResultDto(await refreshed(context, result)), 200);
  });

  app.openapi(deleteRoute, async (context) => {
    const actor = requireAdmin(context);
    const { id } = context.req.valid('param');
    await refreshed(
      context,
      await context.get('runtime').registry.delete({ actor, id, ...context.req.valid('query') }),
    );
    return context.body(null, 204);
  });

  app.openapi(duplicateRoute, async (context) => {
    const actor = requireAdmin(context);
    const { id } = context.req.valid('param');
    const copy = await context.get('runtime').registry.duplicate({ actor, id, ...context.req.valid('json') });
    return context.json(toAdminModelDto(await refreshed(context, copy)), 201);
  });

  for (const [action, route] of Object.entries(lifecycleRoutes) as [
    keyof typeof lifecycleRoutes,
    typeof lifecycleRoutes.restore,
  ][]) {
    app.openapi(route, async (context) => {
      const actor = requireAdmin(context);
      const { id } = context.req.valid('param');
      const result = await context.get('runtime').registry[action]({ actor, id, ...context.req.valid('json') });
      return context.json(toModelChangeResultDto(await refreshed(context, result)), 200);
    });
  }

  app.openapi(historyRoute, async (context) => {
    requireAdmin(context);
    const entries = await context.get('runtime').registry.history(context.req.valid('param').id);
    return context.json({ items: entries.map(toModelHistoryEntryDto) }, 200);
  });

  app.openapi(revertRoute, async (context) => {
    const actor = requireAdmin(context);
    const { id } = context.req.valid('param');
    const result = await context.get('runtime').registry.revert({ actor, id, ...context.req.valid('json') });
    return context.json(toModelChangeResultDto(await refreshed(context, result)), 200);
  });
}
