// The Discord bot's settings for admins: where it answers (guilds, channels, direct messages) and the models each
// channel's conversations start with. Each is a system config (discord.access, discord.channelModels), so every
// change is audited (GET /api/admin/config/{key}/history) and applies in every server process.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  DISCORD_CHANNEL_MODELS_KEY,
  discordChannelModelsSchema,
  readDiscordChannelModels,
} from '../../discord/channel-models.ts';
import { DISCORD_ACCESS_KEY, discordAccessSchema, readDiscordAccess } from '../../discord/discord-access.ts';
import { type AppEnv, adminOnly, requireAdmin } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const accessSchema = discordAccessSchema.meta({
  id: 'DiscordAccess',
  description: 'Empty lists do not narrow: no guilds is every guild, no channels every channel of those guilds',
});
const channelModelsSchema = discordChannelModelsSchema.meta({
  id: 'DiscordChannelModels',
  description: 'Channel id → the model ids its new conversations (and its threads’) start with, in reply order',
});
const settingsSchema = z
  .object({ access: accessSchema, channelModels: channelModelsSchema })
  .openapi('DiscordSettings');

const route = { tags: ['admin: config'], security: signedIn, middleware: [adminOnly] };
const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const getRoute = createRoute({
  ...route,
  method: 'get',
  path: '/api/admin/discord',
  summary: 'Where the Discord bot answers, and the models of its channels',
  responses: { 200: json(settingsSchema, 'The settings in force'), ...errorResponses(401, 403) },
});

const setAccessRoute = createRoute({
  ...route,
  method: 'put',
  path: '/api/admin/discord/access',
  summary: 'Set where the Discord bot answers (audited as system config discord.access)',
  request: { body: { required: true, content: { 'application/json': { schema: accessSchema } } } },
  responses: { 200: json(accessSchema, 'As stored'), ...errorResponses(400, 401, 403) },
});

const setChannelModelsRoute = createRoute({
  ...route,
  method: 'put',
  path: '/api/admin/discord/channel-models',
  summary: "Set the models of the Discord bot's channels (audited as system config discord.channelModels)",
  request: { body: { required: true, content: { 'application/json': { schema: channelModelsSchema } } } },
  responses: { 200: json(channelModelsSchema, 'As stored'), ...errorResponses(400, 401, 403) },
});

export function registerAdminDiscordRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(getRoute, async (context) => {
    const { store } = context.get('runtime');
    const [access, channelModels] = await Promise.all([readDiscordAccess(store), readDiscordChannelModels(store)]);
    return context.json({ access, channelModels }, 200);
  });

  app.openapi(setAccessRoute, async (context) => {
    const actor = requireAdmin(context);
    const value = context.req.valid('json');
    await context.get('runtime').store.systemConfigs.set({ actor, key: DISCORD_ACCESS_KEY, value });
    return context.json(value, 200);
  });

  app.openapi(setChannelModelsRoute, async (context) => {
    const actor = requireAdmin(context);
    const value = context.req.valid('json');
    await context.get('runtime').store.systemConfigs.set({ actor, key: DISCORD_CHANNEL_MODELS_KEY, value });
    return context.json(value, 200);
  });
}
