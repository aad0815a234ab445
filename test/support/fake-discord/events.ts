// The gateway events that follow a change in the fake's state, whoever made it (a test's control or the bot's REST
// call): each with the intent Discord requires for it, and message content blanked for a session without the
// MessageContent intent unless the message is a DM, mentions the bot or is the bot's own, as Discord does.
import { ChannelType, GatewayDispatchEvents, GatewayIntentBits, MessageFlags } from 'discord.js';
import type { FakeGateway, GatewaySession } from './gateway.ts';
import { type FakeChannel, type FakeDiscordState, type FakeMessage, THREAD_TYPES } from './state.ts';
import { channelPayload, messagePayload } from './wire.ts';

export type FakeWorld = { state: FakeDiscordState; gateway: FakeGateway };

function messageIntent(message: FakeMessage): GatewayIntentBits {
  return message.guildId ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
}

function contentVisibleTo(world: FakeWorld, session: GatewaySession, message: FakeMessage): boolean {
  if ((session.intents & GatewayIntentBits.MessageContent) !== 0) return true;
  return (
    !message.guildId || message.author.id === world.state.bot.id || message.mentionIds.includes(world.state.bot.id)
  );
}

function messageFor(world: FakeWorld, message: FakeMessage) {
  const payload = messagePayload(world.state, message);
  const blanked = { ...payload, content: '', embeds: [], attachments: [], components: [] };
  return (session: GatewaySession) => (contentVisibleTo(world, session, message) ? payload : blanked);
}

export function dispatchMessageCreate(world: FakeWorld, message: FakeMessage): void {
  // Ephemeral interaction responses are seen only by the person, never dispatched.
  if ((message.flags & MessageFlags.Ephemeral) !== 0) return;
  world.gateway.dispatch(GatewayDispatchEvents.MessageCreate, null, {
    intent: messageIntent(message),
    dataFor: messageFor(world, message),
  });
}

export function dispatchMessageUpdate(world: FakeWorld, message: FakeMessage): void {
  if ((message.flags & MessageFlags.Ephemeral) !== 0) return;
  world.gateway.dispatch(GatewayDispatchEvents.MessageUpdate, null, {
    intent: messageIntent(message),
    dataFor: messageFor(world, message),
  });
}

export function dispatchMessageDelete(world: FakeWorld, message: FakeMessage): void {
  if ((message.flags & MessageFlags.Ephemeral) !== 0) return;
  world.gateway.dispatch(
    GatewayDispatchEvents.MessageDelete,
    { id: message.id, channel_id: message.channelId, ...(message.guildId ? { guild_id: message.guildId } : {}) },
    { intent: messageIntent(message) },
  );
}

export function dispatchChannelCreate(world: FakeWorld, channel: FakeChannel): void {
  if (channel.type === ChannelType.DM) return;
  const isThread = THREAD_TYPES.has(channel.type);
  const payload = channelPayload(world.state, channel);
  world.gateway.dispatch(
    isThread ? GatewayDispatchEvents.ThreadCreate : GatewayDispatchEvents.ChannelCreate,
    isThread ? { ...payload, newly_created: true } : payload,
    { intent: GatewayIntentBits.Guilds },
  );
}

export function dispatchChannelDelete(world: FakeWorld, channel: FakeChannel): void {
  if (channel.type === ChannelType.DM) return;
  const isThread = THREAD_TYPES.has(channel.type);
  const payload = isThread
    ? { id: channel.id, guild_id: channel.guildId, parent_id: channel.parentId, type: channel.type }
    : channelPayload(world.state, channel);
  world.gateway.dispatch(isThread ? GatewayDispatchEvents.ThreadDelete : GatewayDispatchEvents.ChannelDelete, payload, {
    intent: GatewayIntentBits.Guilds,
  });
}
