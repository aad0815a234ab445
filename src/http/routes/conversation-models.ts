// /api/conversations/:id/models: the models of a conversation in reply order, each with its own settings. Anyone who
// may read the conversation lists them; its owner and admins add, change, reorder and remove them (the rules are
// the conversation service's). Model ids hold `:` and `/` (`openrouter:google/gemini-flash-1.5`), so in a path they
// are URL-encoded (encodeURIComponent).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { NamedConversationModel } from '../../conversations/conversation-models.ts';
import { type AppEnv, requireActor } from '../context.ts';
import {
  conversationModelSchema,
  conversationModelSettingChangesSchema,
  newConversationModelSettingsSchema,
  toConversationModelDto,
} from '../dto/conversation-model.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { conversationParams } from '../path-params.ts';

const modelIdSchema = z.string().trim().min(1).max(200);

const modelParams = conversationParams.extend({
  modelId: modelIdSchema.meta({ description: 'The model id, URL-encoded (its `/` as %2F)' }),
});

const modelListResponse = {
  description: 'The models, in reply order',
  content: { 'application/json': { schema: z.object({ models: z.array(conversationModelSchema) }) } },
};

const modelResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: conversationModelSchema } },
});

const jsonBody = <Schema extends z.ZodType>(schema: Schema) => ({
  required: true,
  content: { 'application/json': { schema } },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/models',
  tags: ['conversation models'],
  summary: 'The models of a conversation you may read, in reply order',
  security: signedIn,
  request: { params: conversationParams },
  responses: { 200: modelListResponse, ...errorResponses(400, 401, 404) },
});

const addRoute = createRoute({
  method: 'post',
  path: '/api/conversations/{id}/models',
  tags: ['conversation models'],
  summary: 'Add a model to a conversation, after the others (owner and admins)',
  description:
    'The model must be one a person may pick now (GET /api/models: active or beta, its provider configured here); ' +
    'otherwise 400 naming it and why. 409 when it is already in the conversation.',
  security: signedIn,
  request: {
    params: conversationParams,
    body: jsonBody(
      z
        .strictObject({ modelId: modelIdSchema, settings: newConversationModelSettingsSchema.optional() })
        .openapi('NewConversationModel'),
    ),
  },
  responses: { 201: modelResponse('The model as added'), ...errorResponses(400, 401, 403, 404, 409) },
});

const changeRoute = createRoute({
  method: 'patch',
  path: '/api/conversations/{id}/models/{modelId}',
  tags: ['conversation models'],
  summary: "Change a model's settings in a conversation, or pause it (owner and admins)",
  description:
    'Settings given are set, null removes one, the others stay. An inactive model stays listed but does not answer.',
  security: signedIn,
  request: {
    params: modelParams,
    body: jsonBody(
      z
        .strictObject({ settings: conversationModelSettingChangesSchema.optional(), isActive: z.boolean().optional() })
        .refine((changes) => changes.settings !== undefined || changes.isActive !== undefined, {
          message: 'send at least one of settings, isActive',
        })
        .openapi('ConversationModelChanges'),
    ),
  },
  responses: { 200: modelResponse('The model as changed'), ...errorResponses(400, 401, 403, 404) },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/api/conversations/{id}/models/{modelId}',
  tags: ['conversation models'],
  summary: 'Take a model out of a conversation (owner and admins); its past replies stay',
  security: signedIn,
  request: { params: modelParams },
  responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 403, 404) },
});

const reorderRoute = createRoute({
  method: 'put',
  path: '/api/conversations/{id}/models/order',
  tags: ['conversation models'],
  summary: 'Set the reply order of the models (owner and admins)',
  description: 'modelIds is the whole new order: every model of the conversation exactly once, else 400.',
  security: signedIn,
  request: {
    params: conversationParams,
    body: jsonBody(z.strictObject({ modelIds: z.array(modelIdSchema).max(100) }).openapi('ConversationModelOrder')),
  },
  responses: { 200: modelListResponse, ...errorResponses(400, 401, 403, 404) },
});

export function registerConversationModelRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const models = await context.get('runtime').conversations.models.list({ actor, conversationId });
    return context.json({ models: models.map(toDto) }, 200);
  });

  app.openapi(addRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const { modelId, settings } = context.req.valid('json');
    const added = await context.get('runtime').conversations.models.add({ actor, conversationId, modelId, settings });
    return context.json(toDto(added), 201);
  });

  app.openapi(changeRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId, modelId } = context.req.valid('param');
    const { settings, isActive } = context.req.valid('json');
    const changed = await context
      .get('runtime')
      .conversations.models.update({ actor, conversationId, modelId, settingChanges: settings, isActive });
    return context.json(toDto(changed), 200);
  });

  app.openapi(removeRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId, modelId } = context.req.valid('param');
    await context.get('runtime').conversations.models.remove({ actor, conversationId, modelId });
    return context.body(null, 204);
  });

  app.openapi(reorderRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const { modelIds } = context.req.valid('json');
    const reordered = await context.get('runtime').conversations.models.reorder({ actor, conversationId, modelIds });
    return context.json({ models: reordered.map(toDto) }, 200);
  });
}

const toDto = ({ model, name }: NamedConversationModel) => toConversationModelDto(model, name);
