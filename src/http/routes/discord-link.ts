// POST /api/me/discord-link: the code `/link` gave in Discord, entered by the signed-in person, makes that Discord
// identity theirs: its conversations and messages become their account's (see discord/link-codes.ts).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requireActor } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const linkRoute = createRoute({
  method: 'post',
  path: '/api/me/discord-link',
  tags: ['accounts'],
  summary: 'Link your Discord account with the code /link gave you in Discord',
  description:
    'Your Discord conversations and messages become this account’s. 400 names the problem with the code (unknown, ' +
    'already used, expired) or a guest account; 409 when either side is already linked to someone else.',
  security: signedIn,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({ code: z.string().min(1).max(40) }).openapi('DiscordLinkRequest'),
        },
      },
    },
  },
  responses: { 204: { description: 'Linked' }, ...errorResponses(400, 401, 409) },
});

export function registerDiscordLinkRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(linkRoute, async (context) => {
    const actor = requireActor(context);
    await context.get('runtime').discord.linkAccount(actor, context.req.valid('json').code);
    return context.body(null, 204);
  });
}
