// /api/admin/users: admins find people (with their usage this month), change their role, deactivate or reactivate
// them, set their own daily message limit, and delete them. The rules are in people/user-administration.ts.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { userRole } from '../../db/schema/index.ts';
import { type AppEnv, adminOnly, requireAdmin } from '../context.ts';
import { administeredUserSchema, toAdministeredUserDto } from '../dto/administered-user.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const TAG = 'admin: users';
const userIdParams = z.object({ id: z.uuid() });
const userJson = { 'application/json': { schema: administeredUserSchema } };

const searchRoute = createRoute({
  method: 'get',
  path: '/api/admin/users',
  tags: [TAG],
  summary: 'Find people, newest first, with what they used this month',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: {
    query: z.object({
      q: z.string().trim().max(200).optional().openapi({ description: 'Part of an email, username or name' }),
      guests: z
        .enum(['true', 'false'])
        .default('false')
        .transform((value) => value === 'true')
        .openapi({ description: 'Include guests' }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: {
      description: 'A page of people, and how many match in all',
      content: {
        'application/json': { schema: z.object({ users: z.array(administeredUserSchema), total: z.number().int() }) },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

const showRoute = createRoute({
  method: 'get',
  path: '/api/admin/users/{id}',
  tags: [TAG],
  summary: 'One person, with what they used this month',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: { params: userIdParams },
  responses: { 200: { description: 'The person', content: userJson }, ...errorResponses(400, 401, 403, 404) },
});

const changeRoute = createRoute({
  method: 'patch',
  path: '/api/admin/users/{id}',
  tags: [TAG],
  summary: "Change a person's role, whether they may sign in, or their own daily message limit",
  description:
    'Deactivating ends their sessions and stops their API keys at once, in every server process. The last ' +
    'active admin cannot be demoted or deactivated (409).',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: {
    params: userIdParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              role: z.enum(userRole.enumValues).optional(),
              isActive: z.boolean().optional(),
              messagesPerDay: z
                .number()
                .int()
                .min(0)
                .max(1_000_000)
                .nullable()
                .optional()
                .openapi({ description: 'null: back to the limit of their kind' }),
            })
            .strict(),
        },
      },
    },
  },
  responses: {
    200: { description: 'The person, changed', content: userJson },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/admin/users/{id}',
  tags: [TAG],
  summary: 'Delete a person',
  description:
    'Their conversations are deleted, or with `conversations=hand-over` given to another participant (the ' +
    'strongest role, then the earliest to join) where there is one. Their messages in conversations that remain ' +
    'stay, from a deleted user (senderId null); their uploads are removed. The last active admin cannot be deleted ' +
    '(409), nor can admins delete themselves here.',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: {
    params: userIdParams,
    query: z.object({ conversations: z.enum(['delete', 'hand-over']).default('delete') }),
  },
  responses: {
    200: {
      description: 'Deleted',
      content: {
        'application/json': {
          schema: z.object({ handedOver: z.number().int(), deletedConversations: z.number().int() }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export function registerAdminUserRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(searchRoute, async (context) => {
    const actor = requireAdmin(context);
    const { q, guests, limit, offset } = context.req.valid('query');
    const found = await context
      .get('runtime')
      .userAdministration.search(actor, { query: q, includeGuests: guests, limit, offset });
    return context.json({ users: found.users.map(toAdministeredUserDto), total: found.total }, 200);
  });

  app.openapi(showRoute, async (context) => {
    const actor = requireAdmin(context);
    const user = await context.get('runtime').userAdministration.show(actor, context.req.valid('param').id);
    return context.json(toAdministeredUserDto(user), 200);
  });

  app.openapi(changeRoute, async (context) => {
    const actor = requireAdmin(context);
    const { id } = context.req.valid('param');
    const user = await context.get('runtime').userAdministration.change(actor, id, context.req.valid('json'));
    return context.json(toAdministeredUserDto(user), 200);
  });

  app.openapi(deleteRoute, async (context) => {
    const actor = requireAdmin(context);
    const { id } = context.req.valid('param');
    const { conversations } = context.req.valid('query');
    return context.json(await context.get('runtime').userAdministration.remove(actor, id, conversations), 200);
  });
}
