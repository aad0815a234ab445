// /api/admin/groups and /api/admin/model-access: groups of people, and which models are open only to some groups
// (the others are open to everyone). Changes apply at once here and within moments on every other server process;
// the check itself is registry/model-access.ts.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, adminOnly, requireAdmin } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const TAG = 'admin: model access';

const groupSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    members: z.array(
      z.object({
        id: z.uuid(),
        email: z.string().nullable(),
        displayName: z.string().nullable(),
        username: z.string(),
      }),
    ),
  })
  .openapi('UserGroup');

const groupInput = z
  .object({ name: z.string().trim().min(1).max(100), description: z.string().trim().max(1000).nullable().optional() })
  .strict();

const groupParams = z.object({ id: z.uuid() });

const modelAccessSchema = z
  .object({
    modelId: z.string(),
    groupIds: z.array(z.uuid()).openapi({ description: 'The groups whose members may use it; none: nobody' }),
  })
  .openapi('ModelAccess');

const json = <Schema extends z.ZodType>(schema: Schema) => ({ 'application/json': { schema } });

const listGroupsRoute = createRoute({
  method: 'get',
  path: '/api/admin/groups',
  tags: [TAG],
  summary: 'Every group of people, with its members',
  security: signedIn,
  middleware: [adminOnly] as const,
  responses: {
    200: { description: 'Groups by name', content: json(z.object({ groups: z.array(groupSchema) })) },
    ...errorResponses(401, 403),
  },
});

const createGroupRoute = createRoute({
  method: 'post',
  path: '/api/admin/groups',
  tags: [TAG],
  summary: 'Create a group',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: { body: { required: true, content: json(groupInput) } },
  responses: {
    201: { description: 'The new group', content: json(groupSchema) },
    ...errorResponses(400, 401, 403, 409),
  },
});

const updateGroupRoute = createRoute({
  method: 'patch',
  path: '/api/admin/groups/{id}',
  tags: [TAG],
  summary: 'Rename a group or change its description',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: { params: groupParams, body: { required: true, content: json(groupInput.partial()) } },
  responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401, 403, 404, 409) },
});

const deleteGroupRoute = createRoute({
  method: 'delete',
  path: '/api/admin/groups/{id}',
  tags: [TAG],
  summary: 'Delete a group (models open only to it are then open to nobody)',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: { params: groupParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
});

const setMembersRoute = createRoute({
  method: 'put',
  path: '/api/admin/groups/{id}/members',
  tags: [TAG],
  summary: "Set a group's members",
  security: signedIn,
  middleware: [adminOnly] as const,
  request: {
    params: groupParams,
    body: { required: true, content: json(z.object({ userIds: z.array(z.uuid()).max(10_000) }).strict()) },
  },
  responses: {
    204: { description: 'These people, and only they, are its members' },
    ...errorResponses(400, 401, 403, 404),
  },
});

const listAccessRoute = createRoute({
  method: 'get',
  path: '/api/admin/model-access',
  tags: [TAG],
  summary: 'The models open only to some groups (every other model is open to everyone)',
  security: signedIn,
  middleware: [adminOnly] as const,
  responses: {
    200: { description: 'Restricted models', content: json(z.object({ restricted: z.array(modelAccessSchema) })) },
    ...errorResponses(401, 403),
  },
});

const setAccessRoute = createRoute({
  method: 'put',
  path: '/api/admin/model-access/{modelId}',
  tags: [TAG],
  summary: 'Open a model to everyone, or only to the members of some groups',
  description: 'The model id URL-encoded. `{"everyone": true}`, or `{"groupIds": [...]}` (an empty list: nobody).',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: {
    params: z.object({ modelId: z.string().min(1).max(200) }),
    body: {
      required: true,
      content: json(
        z.union([
          z.object({ everyone: z.literal(true) }).strict(),
          z.object({ groupIds: z.array(z.uuid()).max(1_000) }).strict(),
        ]),
      ),
    },
  },
  responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401, 403, 404) },
});

export function registerAdminModelAccessRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listGroupsRoute, async (context) => {
    requireAdmin(context);
    const groups = await context.get('runtime').store.modelAccess.listGroups();
    return context.json(
      { groups: groups.map(({ id, name, description, members }) => ({ id, name, description, members })) },
      200,
    );
  });

  app.openapi(createGroupRoute, async (context) => {
    requireAdmin(context);
    const created = await context.get('runtime').store.modelAccess.createGroup(context.req.valid('json'));
    return context.json({ id: created.id, name: created.name, description: created.description, members: [] }, 201);
  });

  app.openapi(updateGroupRoute, async (context) => {
    requireAdmin(context);
    await context
      .get('runtime')
      .store.modelAccess.updateGroup(context.req.valid('param').id, context.req.valid('json'));
    return context.body(null, 204);
  });

  app.openapi(deleteGroupRoute, async (context) => {
    requireAdmin(context);
    await context.get('runtime').store.modelAccess.deleteGroup(context.req.valid('param').id);
    return context.body(null, 204);
  });

  app.openapi(setMembersRoute, async (context) => {
    requireAdmin(context);
    const { userIds } = context.req.valid('json');
    await context.get('runtime').store.modelAccess.setMembers(context.req.valid('param').id, userIds);
    return context.body(null, 204);
  });

  app.openapi(listAccessRoute, async (context) => {
    requireAdmin(context);
    const { restricted } = await context.get('runtime').store.modelAccess.loadPolicy();
    return context.json({ restricted }, 200);
  });

  app.openapi(setAccessRoute, async (context) => {
    const actor = requireAdmin(context);
    const body = context.req.valid('json');
    await context.get('runtime').store.modelAccess.setModelAccess({
      modelId: context.req.valid('param').modelId,
      groupIds: 'groupIds' in body ? body.groupIds : null,
      changedBy: actor.id,
    });
    return context.body(null, 204);
  });
}
