// /api/folders and /api/conversations/{id}/placement: how each person keeps their own conversations — folders they
// name, and pinning, archiving and filing a conversation they are in. Nobody else sees any of it.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ConversationFolder } from '../../conversations/folders.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { conversationParams } from '../path-params.ts';

const folderSchema = z
  .object({ id: z.uuid(), name: z.string(), createdAt: z.iso.datetime(), updatedAt: z.iso.datetime() })
  .openapi('ConversationFolder');
const folderNameSchema = z.strictObject({ name: z.string().trim().min(1).max(100) }).openapi('ConversationFolderName');
const folderParams = z.object({ id: z.uuid() });

const placementSchema = z
  .object({ conversationId: z.uuid(), pinned: z.boolean(), archived: z.boolean(), folderId: z.uuid().nullable() })
  .openapi('ConversationPlacement');
const placementChangesSchema = z
  .strictObject({
    pinned: z.boolean().optional().openapi({ description: 'Pinned conversations head your list' }),
    archived: z.boolean().optional().openapi({ description: 'Out of your list (still searchable); false restores it' }),
    folderId: z.uuid().nullable().optional().openapi({ description: 'A folder of yours; null takes it out' }),
  })
  .refine((changes) => Object.keys(changes).length > 0, { message: 'send at least one of pinned, archived, folderId' })
  .openapi('ConversationPlacementChanges');

const folderResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: folderSchema } },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/folders',
  tags: ['folders'],
  summary: 'Your folders, by name',
  security: signedIn,
  responses: {
    200: {
      description: 'Your folders',
      content: { 'application/json': { schema: z.object({ items: z.array(folderSchema) }) } },
    },
    ...errorResponses(401),
  },
});

const createFolderRoute = createRoute({
  method: 'post',
  path: '/api/folders',
  tags: ['folders'],
  summary: 'Name a new folder',
  security: signedIn,
  request: { body: { required: true, content: { 'application/json': { schema: folderNameSchema } } } },
  responses: { 201: folderResponse('The folder'), ...errorResponses(400, 401, 409) },
});

const renameRoute = createRoute({
  method: 'patch',
  path: '/api/folders/{id}',
  tags: ['folders'],
  summary: 'Rename a folder of yours',
  security: signedIn,
  request: {
    params: folderParams,
    body: { required: true, content: { 'application/json': { schema: folderNameSchema } } },
  },
  responses: { 200: folderResponse('The folder'), ...errorResponses(400, 401, 404, 409) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/folders/{id}',
  tags: ['folders'],
  summary: 'Delete a folder of yours; its conversations go back to your list',
  security: signedIn,
  request: { params: folderParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 404) },
});

const placeRoute = createRoute({
  method: 'patch',
  path: '/api/conversations/{id}/placement',
  tags: ['folders'],
  summary: 'Pin, archive or restore, or file a conversation you are in (for you alone)',
  security: signedIn,
  request: {
    params: conversationParams,
    body: { required: true, content: { 'application/json': { schema: placementChangesSchema } } },
  },
  responses: {
    200: {
      description: 'How you keep it now',
      content: { 'application/json': { schema: placementSchema } },
    },
    ...errorResponses(400, 401, 404),
  },
});

const toFolderDto = (folder: ConversationFolder) => ({
  id: folder.id,
  name: folder.name,
  createdAt: folder.createdAt.toISOString(),
  updatedAt: folder.updatedAt.toISOString(),
});

export function registerFolderRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (context) => {
    const folders = await context.get('runtime').conversations.folders.list(requireActor(context));
    return context.json({ items: folders.map(toFolderDto) }, 200);
  });

  app.openapi(createFolderRoute, async (context) => {
    const { name } = context.req.valid('json');
    const folder = await context.get('runtime').conversations.folders.create(requireActor(context), name);
    return context.json(toFolderDto(folder), 201);
  });

  app.openapi(renameRoute, async (context) => {
    const { id } = context.req.valid('param');
    const { name } = context.req.valid('json');
    const folder = await context.get('runtime').conversations.folders.rename(requireActor(context), id, name);
    return context.json(toFolderDto(folder), 200);
  });

  app.openapi(deleteRoute, async (context) => {
    const { id } = context.req.valid('param');
    await context.get('runtime').conversations.folders.delete(requireActor(context), id);
    return context.body(null, 204);
  });

  app.openapi(placeRoute, async (context) => {
    const { id } = context.req.valid('param');
    const changes = context.req.valid('json');
    const placement = await context.get('runtime').conversations.folders.place(requireActor(context), id, changes);
    return context.json(placement, 200);
  });
}
