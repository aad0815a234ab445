// /api/me: the signed-in user's own profile: read it, change their name, picture and preferences.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { avatarUrlSchema } from '../../auth/new-users.ts';
import { AppError } from '../../errors.ts';
import { preferencesSchema, readPreferences } from '../../people/preferences.ts';
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

const updateMeRoute = createRoute({
  method: 'patch',
  path: '/api/me',
  tags: ['accounts'],
  summary: 'Change your name, picture or preferences (the preferences named are replaced, the others kept)',
  security: signedIn,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              displayName: z.string().trim().min(1).max(100).optional(),
              avatarUrl: avatarUrlSchema.nullable().optional().meta({
                description: 'Your picture: an https: URL or a small data:image URL (at most 16 KiB); null removes it',
              }),
              preferences: preferencesSchema.optional(),
            })
            .strict(),
        },
      },
    },
  },
  responses: {
    200: { description: 'The profile, changed', content: { 'application/json': { schema: profileSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

export function registerMeRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(meRoute, async (context) => {
    const actor = requireActor(context);
    const user = await context.get('runtime').store.users.getById(actor.id);
    return context.json(toProfileDto(user), 200);
  });

  app.openapi(updateMeRoute, async (context) => {
    const actor = requireActor(context);
    if (actor.isGuest) throw new AppError('forbidden', 'guests have no settings to keep; sign up first');
    const { displayName, avatarUrl, preferences } = context.req.valid('json');
    const { users } = context.get('runtime').store;
    const current = await users.getById(actor.id);
    const user = await users.update(actor.id, {
      ...(displayName === undefined ? {} : { displayName }),
      ...(avatarUrl === undefined ? {} : { avatarUrl }),
      ...(preferences === undefined
        ? {}
        : { preferences: { ...current.preferences, ...readPreferences(current.preferences), ...preferences } }),
    });
    return context.json(toProfileDto(user), 200);
  });
}
