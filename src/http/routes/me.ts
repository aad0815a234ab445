// GET /api/me: the signed-in user's own profile.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { userRole } from '../../db/schema/index.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';

export const profileSchema = z
  .object({
    id: z.uuid(),
    email: z.string().nullable().openapi({ description: 'null for guests' }),
    username: z.string(),
    displayName: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    role: z.enum(userRole.enumValues),
    isGuest: z.boolean(),
  })
  .openapi('Profile');

const meRoute = createRoute({
  method: 'get',
  path: '/api/me',
  tags: ['accounts'],
  summary: 'Who am I: the profile of the signed-in user (session cookie or API key)',
  security: signedIn,
  responses: {
    200: { description: 'The profile', content: { 'application/json': { schema: profileSchema } } },
    ...errorResponses(401),
  },
});

export function registerMeRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(meRoute, async (context) => {
    const actor = requireActor(context);
    const user = await context.get('runtime').store.users.getById(actor.id);
    return context.json(
      {
        id: user.id,
        email: user.email,
        username: user.username,
        displayName: user.displayName,
        avatarUrl: user.avatarUrl,
        role: user.role,
        isGuest: user.isGuest,
      },
      200,
    );
  });
}
