// Channel webhooks: create and list them (with the Manage Webhooks permission), execute one with a username and
// avatar of the caller's choosing (`?wait=true` answers the message, `thread_id` posts into a thread), and fetch,
// edit or delete its messages. The same URLs serve an interaction's follow-ups when the id is the application's.
import { PermissionFlagsBits } from 'discord.js';
import { dispatchMessageCreate, dispatchMessageDelete, type FakeWorld } from '../events.ts';
import { createToken } from '../ids.ts';
import { mentionedUserIds, readMessageInput } from '../message-input.ts';
import { DiscordApiError, invalidField, notFound, type Route, type RouteContext, route } from '../rest.ts';
import { type FakeChannel, type FakeWebhook, THREAD_TYPES } from '../state.ts';
import { messagePayload, webhookPayload } from '../wire.ts';
import { applyEdit, findChannel, findTextChannel, requirePermission } from './channels.ts';
import { answerInteractionMessage, interactionForToken, postFollowup } from './interactions.ts';

/** Discord refuses webhook names and usernames that contain these words. */
const FORBIDDEN_NAME_WORDS = ['discord', 'clyde'];

function checkName(field: string, name: unknown): string {
  if (typeof name !== 'string' || name.trim().length < 1 || name.length > 80) {
    throw invalidField(field, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 80 in length.');
  }
  const forbidden = FORBIDDEN_NAME_WORDS.find((word) => name.toLowerCase().includes(word));
  if (forbidden) throw invalidField(field, 'USERNAME_INVALID_CONTAINS', `Username cannot contain "${forbidden}"`);
  return name;
}

function findWebhook(world: FakeWorld, webhookId: string | undefined, token?: string): FakeWebhook {
  const webhook = webhookId ? world.state.webhooks.get(webhookId) : undefined;
  // A channel's webhooks go with it.
  if (!webhook || world.state.channels.get(webhook.channelId)?.deleted !== false) throw notFound.webhook();
  if (token !== undefined && webhook.token !== token) throw new DiscordApiError(401, 50027, 'Invalid Webhook Token');
  return webhook;
}

/** The channel a webhook execution posts into: its own, or one of that channel's threads named by `thread_id`. */
function targetChannel(world: FakeWorld, webhook: FakeWebhook, threadId: string | null): FakeChannel {
  if (!threadId) return findTextChannel(world, webhook.channelId);
  const thread = world.state.channels.get(threadId);
  if (!thread || thread.deleted || !THREAD_TYPES.has(thread.type) || thread.parentId !== webhook.channelId) {
    throw notFound.channel();
  }
  return thread;
}

function execute(context: RouteContext) {
  const { world, params, query, body, files } = context;
  const interaction = interactionForToken(world, params.webhookId!, params.token!);
  if (interaction) return postFollowup(world, interaction, context);
  const webhook = findWebhook(world, params.webhookId, params.token);
  const channel = targetChannel(world, webhook, query.get('thread_id'));
  const username = body.username === undefined ? webhook.name : checkName('username', body.username);
  const input = readMessageInput(body, files, true);
  const content = input.content ?? '';
  const message = world.state.addMessage({
    channelId: channel.id,
    author: { id: webhook.id, username, globalName: null, avatar: webhook.avatar, bot: true },
    source: 'webhook',
    content,
    embeds: input.embeds ?? [],
    components: input.components ?? [],
    attachments: input.attachments,
    flags: input.flags ?? 0,
    webhookId: webhook.id,
    webhookAvatarUrl: typeof body.avatar_url === 'string' ? body.avatar_url : null,
    applicationId: webhook.applicationId,
    mentionIds: mentionedUserIds(world.state, content, body.allowed_mentions, undefined),
  });
  dispatchMessageCreate(world, message);
  return query.get('wait') === 'true' ? { status: 200, body: messagePayload(world.state, message) } : { status: 204 };
}

function webhookMessage(method: string) {
  return (context: RouteContext) => {
    const { world, params, query, body, files } = context;
    const interaction = interactionForToken(world, params.webhookId!, params.token!);
    if (interaction) return answerInteractionMessage(world, interaction, context, method);
    const webhook = findWebhook(world, params.webhookId, params.token);
    const message = params.messageId ? world.state.messages.get(params.messageId) : undefined;
    const threadId = query.get('thread_id');
    if (
      !message ||
      message.deleted ||
      message.webhookId !== webhook.id ||
      (threadId && message.channelId !== threadId)
    ) {
      throw notFound.message();
    }
    if (method === 'GET') return { status: 200, body: messagePayload(world.state, message) };
    if (method === 'DELETE') {
      message.deleted = true;
      world.state.changed();
      dispatchMessageDelete(world, message);
      return { status: 204 };
    }
    return applyEdit(world, message, body, files);
  };
}

function createWebhook({ world, params, body }: RouteContext) {
  const channel = findTextChannel(world, params.channelId);
  if (!channel.guildId || THREAD_TYPES.has(channel.type)) {
    throw new DiscordApiError(400, 50024, 'Cannot execute action on this channel type');
  }
  requirePermission(world, channel, PermissionFlagsBits.ManageWebhooks);
  const webhook: FakeWebhook = {
    id: world.state.nextId(),
    token: createToken(),
    name: checkName('name', body.name),
    // Discord stores the uploaded image and answers its hash; the fake keeps a stand-in hash.
    avatar: typeof body.avatar === 'string' ? `fake${world.state.nextId()}` : null,
    channelId: channel.id,
    guildId: channel.guildId,
    applicationId: world.state.applicationId,
  };
  world.state.webhooks.set(webhook.id, webhook);
  world.state.changed();
  return { status: 200, body: webhookPayload(world.state, webhook, true) };
}

function listWebhooks(world: FakeWorld, filter: (webhook: FakeWebhook) => boolean) {
  const webhooks = [...world.state.webhooks.values()].filter(filter);
  return { status: 200, body: webhooks.map((webhook) => webhookPayload(world.state, webhook, true)) };
}

export const webhookRoutes: Route[] = [
  route('POST', '/channels/:channelId/webhooks', createWebhook),
  route('GET', '/channels/:channelId/webhooks', ({ world, params }) => {
    const channel = findChannel(world, params.channelId);
    requirePermission(world, channel, PermissionFlagsBits.ManageWebhooks);
    return listWebhooks(world, (webhook) => webhook.channelId === channel.id);
  }),
  route('GET', '/guilds/:guildId/webhooks', ({ world, params }) => {
    if (!params.guildId || !world.state.guilds.has(params.guildId)) throw notFound.guild();
    return listWebhooks(world, (webhook) => webhook.guildId === params.guildId);
  }),
  route('GET', '/webhooks/:webhookId', ({ world, params }) => ({
    status: 200,
    body: webhookPayload(world.state, findWebhook(world, params.webhookId), true),
  })),
  route('DELETE', '/webhooks/:webhookId', ({ world, params }) => {
    world.state.webhooks.delete(findWebhook(world, params.webhookId).id);
    world.state.changed();
    return { status: 204 };
  }),
  route(
    'GET',
    '/webhooks/:webhookId/:token',
    ({ world, params }) => ({
      status: 200,
      body: webhookPayload(world.state, findWebhook(world, params.webhookId, params.token), false),
    }),
    { auth: false },
  ),
  route('POST', '/webhooks/:webhookId/:token', execute, { auth: false }),
  route('GET', '/webhooks/:webhookId/:token/messages/:messageId', webhookMessage('GET'), { auth: false }),
  route('PATCH', '/webhooks/:webhookId/:token/messages/:messageId', webhookMessage('PATCH'), { auth: false }),
  route('DELETE', '/webhooks/:webhookId/:token/messages/:messageId', webhookMessage('DELETE'), { auth: false }),
];
