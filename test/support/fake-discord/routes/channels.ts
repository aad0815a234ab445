// Channels and their messages: fetch a channel, list, fetch, create, edit and delete messages (each change also goes
// out on the gateway, as Discord sends the bot its own messages), typing, threads, and the guild routes discord.js
// calls when it looks a guild, its channels or a member up.
import { ChannelType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import {
  dispatchChannelCreate,
  dispatchMessageCreate,
  dispatchMessageDelete,
  dispatchMessageUpdate,
  type FakeWorld,
} from '../events.ts';
import { mentionedUserIds, readMessageInput } from '../message-input.ts';
import { DiscordApiError, invalidField, notFound, type Route, type RouteContext, route } from '../rest.ts';
import { EVERYONE_PERMISSIONS, type FakeChannel, type FakeMessage, isTextChannel, THREAD_TYPES } from '../state.ts';
import { botRoleId, channelPayload, guildCreatePayload, memberPayload, messagePayload } from '../wire.ts';

/** How long Discord remembers a nonce sent with `enforce_nonce`, answering a repeat with the first message. */
const NONCE_MEMORY_MS = 5 * 60 * 1000;

export function findChannel(world: FakeWorld, channelId: string | undefined): FakeChannel {
  const channel = channelId ? world.state.channels.get(channelId) : undefined;
  if (!channel || channel.deleted) throw notFound.channel();
  return channel;
}

export function findTextChannel(world: FakeWorld, channelId: string | undefined): FakeChannel {
  const channel = findChannel(world, channelId);
  if (!isTextChannel(channel)) throw new DiscordApiError(400, 50008, 'Cannot send messages in a non-text channel');
  return channel;
}

/** Refuses with 50013 unless the bot holds `permission` in the channel's guild (DMs need none). */
export function requirePermission(world: FakeWorld, channel: FakeChannel, permission: bigint): void {
  if (!channel.guildId) return;
  const guild = world.state.guilds.get(channel.guildId);
  const granted = (guild?.botPermissions ?? 0n) | EVERYONE_PERMISSIONS;
  if ((granted & PermissionFlagsBits.Administrator) !== 0n) return;
  if ((granted & permission) !== permission) throw new DiscordApiError(403, 50013, 'Missing Permissions');
}

function findMessage(world: FakeWorld, channel: FakeChannel, messageId: string | undefined): FakeMessage {
  const message = messageId ? world.state.messages.get(messageId) : undefined;
  if (!message || message.deleted || message.channelId !== channel.id) throw notFound.message();
  return message;
}

function sendPermission(channel: FakeChannel): bigint {
  return THREAD_TYPES.has(channel.type) ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
}

function createMessage({ world, params, body, files }: RouteContext) {
  const { state } = world;
  const channel = findTextChannel(world, params.channelId);
  requirePermission(world, channel, sendPermission(channel));
  const input = readMessageInput(body, files, true);
  if (input.nonce !== undefined && body.enforce_nonce === true) {
    const repeat = state
      .messagesIn(channel.id)
      .find((m) => m.nonce === input.nonce && m.source === 'bot' && Date.now() - m.createdAt < NONCE_MEMORY_MS);
    if (repeat) return { status: 200, body: messagePayload(state, repeat) };
  }
  const reference = body.message_reference as { message_id?: string; fail_if_not_exists?: boolean } | undefined;
  const referenced = reference?.message_id ? state.messages.get(reference.message_id) : undefined;
  if (
    reference?.message_id &&
    (!referenced || referenced.channelId !== channel.id) &&
    reference.fail_if_not_exists !== false
  ) {
    throw invalidField('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
  }
  const content = input.content ?? '';
  const message = state.addMessage({
    channelId: channel.id,
    author: state.bot,
    source: 'bot',
    content,
    embeds: input.embeds ?? [],
    components: input.components ?? [],
    attachments: input.attachments,
    flags: input.flags ?? 0,
    nonce: input.nonce ?? null,
    referencedMessageId: referenced?.id ?? null,
    mentionIds: mentionedUserIds(state, content, body.allowed_mentions, referenced),
  });
  dispatchMessageCreate(world, message);
  return { status: 200, body: messagePayload(state, message) };
}

/** Applies an edit body to a message, refusing one that would leave it empty; shared with webhook messages. */
export function applyEdit(
  world: FakeWorld,
  message: FakeMessage,
  body: Record<string, unknown>,
  files: FakeMessage['attachments'],
) {
  const input = readMessageInput(body, files, false);
  const after = {
    content: input.content ?? message.content,
    embeds: input.embeds ?? message.embeds,
    components: input.components ?? message.components,
  };
  if (
    !after.content &&
    after.embeds.length === 0 &&
    after.components.length === 0 &&
    message.attachments.length === 0 &&
    files.length === 0
  ) {
    throw new DiscordApiError(400, 50006, 'Cannot send an empty message');
  }
  if (files.length) message.attachments = [...message.attachments, ...files];
  if (input.content !== undefined) {
    message.mentionIds = mentionedUserIds(world.state, input.content, body.allowed_mentions, undefined);
  }
  world.state.editMessage(message, {
    ...(input.content !== undefined ? { content: input.content } : {}),
    ...(input.embeds !== undefined ? { embeds: input.embeds } : {}),
    ...(input.components !== undefined ? { components: input.components } : {}),
  });
  dispatchMessageUpdate(world, message);
  return { status: 200, body: messagePayload(world.state, message) };
}

function listMessages({ world, params, query }: RouteContext) {
  const channel = findTextChannel(world, params.channelId);
  requirePermission(world, channel, PermissionFlagsBits.ReadMessageHistory);
  const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50)));
  const before = query.get('before');
  const after = query.get('after');
  const newestFirst = world.state
    .messagesIn(channel.id)
    .filter((m) => !m.deleted && (m.flags & MessageFlags.Ephemeral) === 0)
    .filter((m) => (before ? BigInt(m.id) < BigInt(before) : true) && (after ? BigInt(m.id) > BigInt(after) : true))
    .reverse();
  const page = after ? newestFirst.slice(-limit) : newestFirst.slice(0, limit);
  return { status: 200, body: page.map((m) => messagePayload(world.state, m)) };
}

function createThread({ world, params, body }: RouteContext) {
  const parent = findTextChannel(world, params.channelId);
  if (!parent.guildId || THREAD_TYPES.has(parent.type))
    throw new DiscordApiError(400, 50024, 'Cannot execute action on this channel type');
  const type = body.type === ChannelType.PrivateThread ? ChannelType.PrivateThread : ChannelType.PublicThread;
  requirePermission(
    world,
    parent,
    type === ChannelType.PrivateThread
      ? PermissionFlagsBits.CreatePrivateThreads
      : PermissionFlagsBits.CreatePublicThreads,
  );
  if (params.messageId) {
    findMessage(world, parent, params.messageId);
    if (world.state.channels.has(params.messageId)) {
      throw new DiscordApiError(400, 160004, 'A thread has already been created for this message');
    }
  }
  if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) {
    throw invalidField('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  const thread = world.state.addChannel({
    // A thread started from a message has the message's id, as on Discord.
    ...(params.messageId ? { id: params.messageId } : {}),
    type,
    name: body.name,
    guildId: parent.guildId,
    parentId: parent.id,
    ownerId: world.state.bot.id,
  });
  dispatchChannelCreate(world, thread);
  return { status: 201, body: channelPayload(world.state, thread) };
}

export const channelRoutes: Route[] = [
  route('GET', '/channels/:channelId', ({ world, params }) => ({
    status: 200,
    body: channelPayload(world.state, findChannel(world, params.channelId)),
  })),
  route('GET', '/channels/:channelId/messages', listMessages),
  route('POST', '/channels/:channelId/messages', createMessage),
  route('GET', '/channels/:channelId/messages/:messageId', ({ world, params }) => {
    const channel = findTextChannel(world, params.channelId);
    return { status: 200, body: messagePayload(world.state, findMessage(world, channel, params.messageId)) };
  }),
  route('PATCH', '/channels/:channelId/messages/:messageId', ({ world, params, body, files }) => {
    const message = findMessage(world, findTextChannel(world, params.channelId), params.messageId);
    if (message.author.id !== world.state.bot.id || message.webhookId) {
      throw new DiscordApiError(403, 50005, 'Cannot edit a message authored by another user');
    }
    return applyEdit(world, message, body, files);
  }),
  route('DELETE', '/channels/:channelId/messages/:messageId', ({ world, params }) => {
    const channel = findTextChannel(world, params.channelId);
    const message = findMessage(world, channel, params.messageId);
    if (message.author.id !== world.state.bot.id) requirePermission(world, channel, PermissionFlagsBits.ManageMessages);
    message.deleted = true;
    world.state.changed();
    dispatchMessageDelete(world, message);
    return { status: 204 };
  }),
  route('POST', '/channels/:channelId/typing', ({ world, params }) => {
    const channel = findTextChannel(world, params.channelId);
    requirePermission(world, channel, sendPermission(channel));
    return { status: 204 };
  }),
  route('POST', '/channels/:channelId/threads', createThread),
  route('POST', '/channels/:channelId/messages/:messageId/threads', createThread),
  route('GET', '/guilds/:guildId', ({ world, params }) => {
    const guild = params.guildId ? world.state.guilds.get(params.guildId) : undefined;
    if (!guild) throw notFound.guild();
    const {
      channels: _channels,
      threads: _threads,
      members: _members,
      ...payload
    } = guildCreatePayload(world.state, guild);
    return { status: 200, body: payload };
  }),
  route('GET', '/guilds/:guildId/channels', ({ world, params }) => {
    if (!params.guildId || !world.state.guilds.has(params.guildId)) throw notFound.guild();
    const channels = world.state.channelsOf(params.guildId).filter((channel) => !THREAD_TYPES.has(channel.type));
    return { status: 200, body: channels.map((channel) => channelPayload(world.state, channel)) };
  }),
  route('GET', '/guilds/:guildId/members/:userId', ({ world, params }) => {
    const guild = params.guildId ? world.state.guilds.get(params.guildId) : undefined;
    if (!guild) throw notFound.guild();
    const user = params.userId ? world.state.users.get(params.userId) : undefined;
    if (!user) throw new DiscordApiError(404, 10007, 'Unknown Member');
    const roles = user.id === world.state.bot.id ? [botRoleId(guild)] : [];
    return { status: 200, body: memberPayload(user, true, roles) };
  }),
];
