// Who the bot is and where its gateway is: GET /gateway(/bot), the bot user, other users, DM channels and the
// application.

import { dispatchChannelCreate } from '../events.ts';
import { invalidField, notFound, type Route, route } from '../rest.ts';
import { applicationPayload, channelPayload, userPayload } from '../wire.ts';

export function identityRoutes(gatewayUrl: string): Route[] {
  return [
    route('GET', '/gateway', () => ({ status: 200, body: { url: gatewayUrl } }), { auth: false }),
    route('GET', '/gateway/bot', () => ({
      status: 200,
      body: {
        url: gatewayUrl,
        shards: 1,
        // A day until the identify budget resets: discord.js caches this answer for that long.
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      },
    })),
    route('GET', '/users/@me', ({ world }) => ({ status: 200, body: userPayload(world.state.bot) })),
    route('GET', '/users/:userId', ({ world, params }) => {
      const user = world.state.users.get(params.userId!);
      if (!user) throw notFound.user();
      return { status: 200, body: userPayload(user) };
    }),
    route('POST', '/users/@me/channels', ({ world, body }) => {
      const recipientId = String(body.recipient_id ?? '');
      if (!world.state.users.has(recipientId))
        throw invalidField('recipient_id', 'NUMBER_TYPE_COERCE', 'Unknown user.');
      const channel = world.state.directChannelWith(recipientId);
      dispatchChannelCreate(world, channel);
      return { status: 200, body: channelPayload(world.state, channel) };
    }),
    route('GET', '/applications/@me', ({ world }) => ({ status: 200, body: applicationPayload(world.state) })),
    route('GET', '/oauth2/applications/@me', ({ world }) => ({ status: 200, body: applicationPayload(world.state) })),
  ];
}
