// GET /api/auth-options: how people may get in here (email and password, single sign-on), for the sign-in screen,
// which asks before anyone is signed in.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { signInOptionsOf } from '../../auth/single-sign-on.ts';
import type { AppEnv } from '../context.ts';

const signInOptionsSchema = z
  .object({
    passwordSignIn: z.boolean().openapi({ description: 'Whether signing in and up with an email and password works' }),
    singleSignOn: z
      .object({ label: z.string().openapi({ description: 'The words on the sign-in button' }) })
      .nullable()
      .openapi({
        description:
          'Single sign-on with OpenID Connect, when configured: start it with POST /api/auth/sign-in/social { provider: "oidc", callbackURL }',
      }),
  })
  .openapi('SignInOptions');

const signInOptionsRoute = createRoute({
  method: 'get',
  path: '/api/auth-options',
  tags: ['accounts'],
  summary: 'How people may sign in on this server',
  responses: {
    200: { description: 'The ways in', content: { 'application/json': { schema: signInOptionsSchema } } },
  },
});

export function registerSignInOptionsRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(signInOptionsRoute, (context) => context.json(signInOptionsOf(context.get('runtime').env), 200));
}
