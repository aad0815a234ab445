// /api/conversations: the caller's conversations (newest activity first), one with its models and people, its
// settings, its deletion, and its messages page by page. Who may do what is the conversation service's to decide.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ConversationDetails } from '../../conversations/conversation-service.ts';
import { conversationVisibility } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import type { ConversationListView } from '../../store/conversations.ts';
import type { Actor } from '../../store/index.ts';
import { type AppEnv, requireActor } from '../context.ts';
import {
  conversationSchema,
  conversationSummarySchema,
  parameterChangesSchema,
  settingChangesSchema,
  toConversationDto,
  toConversationSummaryDto,
} from '../dto/conversation.ts';
import { messageSchema, toMessageDto } from '../dto/message.ts';
import { cursorSchema, pageLimitSchema, pageSchema } from '../dto/page.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { conversationParams } from '../path-params.ts';

const conversationResponse = {
  description: 'The conversation',
  content: { 'application/json': { schema: conversationSchema } },
};

const listRoute = createRoute({
  method: 'get',
  path: '/api/conversations',
  tags: ['conversations'],
  summary: 'Your conversations (owned or joined), most recent activity first',
  description:
    'Your main list holds those neither archived nor in a folder of yours; on its first page the ones you pinned ' +
    'come first (all of them). With folderId, one folder of yours; with archived=true, the archived ones.',
  security: signedIn,
  request: {
    query: z.object({
      limit: pageLimitSchema,
      cursor: cursorSchema,
      folderId: z.uuid().optional().openapi({ description: 'The conversations in this folder of yours' }),
      archived: z.enum(['true', 'false']).optional().openapi({ description: 'true: the conversations you archived' }),
    }),
  },
  responses: {
    200: {
      description: 'A page of conversations',
      content: { 'application/json': { schema: pageSchema(conversationSummarySchema) } },
    },
    ...errorResponses(400, 401),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/conversations/{id}',
  tags: ['conversations'],
  summary: 'A conversation you may read, with its models and people',
  security: signedIn,
  request: { params: conversationParams },
  responses: { 200: conversationResponse, ...errorResponses(400, 401, 404) },
});

const changesSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(255).nullable().optional(),
    visibility: z
      .enum(conversationVisibility.enumValues)
      .optional()
      .openapi({ description: 'Only the owner changes it; public lets everyone signed in read (not write) it' }),
    parameters: parameterChangesSchema.optional(),
    settings: settingChangesSchema.optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, {
    message: 'send at least one of title, visibility, parameters, settings',
  })
  .openapi('ConversationChanges');

const patchRoute = createRoute({
  method: 'patch',
  path: '/api/conversations/{id}',
  tags: ['conversations'],
  summary: 'Rename a conversation, change its visibility or its generation settings',
  description: 'Owner and conversation admins; visibility by the owner only. Fields left out stay as they are.',
  security: signedIn,
  request: {
    params: conversationParams,
    body: { required: true, content: { 'application/json': { schema: changesSchema } } },
  },
  responses: { 200: conversationResponse, ...errorResponses(400, 401, 403, 404) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/conversations/{id}',
  tags: ['conversations'],
  summary: 'Delete a conversation with its messages, votes and members (owner only)',
  security: signedIn,
  request: { params: conversationParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
});

const messagesRoute = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/messages',
  tags: ['conversations'],
  summary: 'The messages of a conversation you may read, newest first',
  security: signedIn,
  request: {
    params: conversationParams,
    query: z.object({
      limit: pageLimitSchema,
      before: cursorSchema.openapi({ description: 'The nextCursor of the previous page: older messages follow' }),
    }),
  },
  responses: {
    200: { description: 'A page of messages', content: { 'application/json': { schema: pageSchema(messageSchema) } } },
    ...errorResponses(400, 401, 404),
  },
});

export function registerConversationRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (context) => {
    const actor = requireActor(context);
    const { limit, cursor, folderId, archived } = context.req.valid('query');
    if (folderId && archived === 'true') throw new AppError('invalid_input', 'ask for a folder or the archived list');
    const view: ConversationListView =
      archived === 'true' ? { kind: 'archived' } : folderId ? { kind: 'folder', folderId } : { kind: 'main' };
    const page = await context.get('runtime').conversations.list({ actor, limit, cursor, view });
    return context.json({ items: page.items.map(toConversationSummaryDto), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(getRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const details = await context.get('runtime').conversations.get({ actor, conversationId });
    return context.json(toDetailsDto(actor, details), 200);
  });

  app.openapi(patchRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const { parameters, settings, ...changes } = context.req.valid('json');
    const updated = await context.get('runtime').conversations.update({
      actor,
      conversationId,
      ...changes,
      parameterChanges: parameters,
      settingChanges: settings,
    });
    return context.json(toDetailsDto(actor, updated), 200);
  });

  app.openapi(deleteRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    await context.get('runtime').conversations.delete({ actor, conversationId });
    return context.body(null, 204);
  });

  app.openapi(messagesRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const { limit, before } = context.req.valid('query');
    const page = await context.get('runtime').conversations.messages({ actor, conversationId, limit, before });
    const { deletedFileIds } = page;
    const items = page.items.map(({ message, ...shown }) => toMessageDto(message, { ...shown, deletedFileIds }));
    return context.json({ items, nextCursor: page.nextCursor }, 200);
  });
}

function toDetailsDto(actor: Actor, { conversation, models, modelNames, participants }: ConversationDetails) {
  return toConversationDto(conversation, { viewerId: actor.id, models, modelNames, participants });
}
