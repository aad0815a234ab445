// /api/conversations: the caller's conversations (newest activity first), one with its models and people, its
// settings, its deletion, and its messages page by page. Who may do what is decided by the store, in SQL.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { conversationVisibility } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import type { AccessLevel } from '../../store/conversation-access.ts';
import type { Conversation } from '../../store/conversations.ts';
import type { Actor, Store } from '../../store/index.ts';
import { type AppEnv, requireActor } from '../context.ts';
import {
  conversationSchema,
  conversationSummarySchema,
  parameterChangesSchema,
  settingChangesSchema,
  toConversationDto,
  toConversationSummaryDto,
} from '../dto/conversation.ts';
import { describeMessages, messageSchema } from '../dto/message.ts';
import { cursorSchema, pageLimitSchema, pageSchema } from '../dto/page.ts';
import { errorResponses, signedIn } from '../openapi.ts';

export const conversationParams = z.object({ id: z.uuid() });

const conversationResponse = {
  description: 'The conversation',
  content: { 'application/json': { schema: conversationSchema } },
};

const listRoute = createRoute({
  method: 'get',
  path: '/api/conversations',
  tags: ['conversations'],
  summary: 'Your conversations (owned or joined), most recent activity first',
  security: signedIn,
  request: { query: z.object({ limit: pageLimitSchema, cursor: cursorSchema }) },
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
    const { limit, cursor } = context.req.valid('query');
    const page = await context.get('runtime').store.conversations.listForUser({ actor, limit, cursor });
    return context.json({ items: page.items.map(toConversationSummaryDto), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(getRoute, async (context) => {
    const actor = requireActor(context);
    const { store } = context.get('runtime');
    const conversation = await store.conversations.get({ actor, id: context.req.valid('param').id });
    return context.json(await describeConversation(store, actor, conversation), 200);
  });

  app.openapi(patchRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    const { parameters, settings, ...changes } = context.req.valid('json');
    const { store } = context.get('runtime');
    const level: AccessLevel = changes.visibility === undefined ? 'manage' : 'own';
    const updated = await refusedUnlessAllowed(store, actor, { conversationId: id, level }, () =>
      store.conversations.update({ actor, id, changes, parameterChanges: parameters, settingChanges: settings }),
    );
    // Readers from outside follow a public conversation only while it stays public (see conversation-events.ts).
    if (changes.visibility) {
      const event = { type: 'visibility-changed', visibility: updated.visibility } as const;
      context.get('runtime').conversationEvents.publish(id, event);
    }
    return context.json(await describeConversation(store, actor, updated), 200);
  });

  app.openapi(deleteRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    const { store } = context.get('runtime');
    await refusedUnlessAllowed(store, actor, { conversationId: id, level: 'own' }, () =>
      store.conversations.delete({ actor, id }),
    );
    context.get('runtime').conversationEvents.publish(id, { type: 'conversation-deleted' });
    return context.body(null, 204);
  });

  app.openapi(messagesRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    const { limit, before } = context.req.valid('query');
    const { store, files } = context.get('runtime');
    const page = await store.messages.page({ actor, conversationId: id, limit, before });
    const items = await describeMessages(store, files.records, actor, id, page.items);
    return context.json({ items, nextCursor: page.nextCursor }, 200);
  });
}

async function describeConversation(store: Store, actor: Actor, conversation: Conversation) {
  const conversationId = conversation.id;
  const [models, participants] = await Promise.all([
    store.conversationModels.list({ actor, conversationId }),
    store.participants.list({ actor, conversationId }),
  ]);
  const modelNames = await store.messages.modelNames(models.map((model) => model.modelId));
  return toConversationDto(conversation, { viewerId: actor.id, models, modelNames, participants });
}

/**
 * Runs a guarded write. The store answers not-found to anyone short of the level it needs, so outsiders learn
 * nothing; but someone who may read the conversation (it is public, or they are a member) already knows it
 * exists, and is told it is not theirs to change (403) instead.
 */
export async function refusedUnlessAllowed<Result>(
  store: Store,
  actor: Actor,
  { conversationId, level }: { conversationId: string; level: AccessLevel },
  write: () => Promise<Result>,
): Promise<Result> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'not_found') throw error;
    const reaches = (atLevel: AccessLevel) =>
      store.conversations.get({ actor, id: conversationId, level: atLevel }).then(
        () => true,
        () => false,
      );
    const [readable, allowed] = await Promise.all([reaches('read'), reaches(level)]);
    if (readable && !allowed) {
      throw new AppError('forbidden', `you may read this conversation but not ${REFUSALS[level]}`, { cause: error });
    }
    throw error;
  }
}

const REFUSALS: Record<AccessLevel, string> = {
  read: 'read it',
  write: 'take part in it',
  manage: 'change it (its owner and admins may)',
  own: 'do this (only its owner may)',
};
