// GET /api/me: the signed-in user's own profile.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { type AppEnv, requireActor } from '../context.ts';
import { profileSchema, toProfileDto } from '../dto/profile.ts';
import { errorResponses, signedIn } from '../openapi.ts';

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
    return context.json(toProfileDto(user), 200);
  });
}
