// The fake's records as Discord's API v10 writes them (users, members, channels, guilds, messages, webhooks,
// commands), for REST answers and gateway events alike. Pure functions of the state.
import { ChannelType, MessageType } from 'discord.js';
import {
  EVERYONE_PERMISSIONS,
  type FakeChannel,
  type FakeCommand,
  type FakeDiscordState,
  type FakeGuild,
  type FakeMessage,
  type FakeUser,
  type FakeWebhook,
  THREAD_TYPES,
} from './state.ts';

type Json = Record<string, unknown>;

/** The id of the bot's own role in a guild, derived so it needs no storage. */
export function botRoleId(guild: FakeGuild): string {
  return (BigInt(guild.id) + 1n).toString();
}

export function userPayload(user: FakeUser): Json {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName,
    avatar: user.avatar,
    bot: user.bot,
    public_flags: 0,
    flags: 0,
  };
}

/** A guild member as events carry it; `withUser` adds the user, which MESSAGE_CREATE leaves out (it has `author`). */
export function memberPayload(user: FakeUser, withUser: boolean, roles: string[] = []): Json {
  return {
    ...(withUser ? { user: userPayload(user) } : {}),
    nick: null,
    avatar: null,
    roles,
    joined_at: new Date(0).toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
  };
}

export function rolesPayload(guild: FakeGuild): Json[] {
  const role = (id: string, name: string, permissions: bigint, position: number) => ({
    id,
    name,
    color: 0,
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: position > 0,
    mentionable: false,
    flags: 0,
  });
  return [role(guild.id, '@everyone', EVERYONE_PERMISSIONS, 0), role(botRoleId(guild), 'bot', guild.botPermissions, 1)];
}

export function channelPayload(state: FakeDiscordState, channel: FakeChannel): Json {
  if (channel.type === ChannelType.DM) {
    const recipient = channel.recipientId ? state.users.get(channel.recipientId) : undefined;
    return {
      id: channel.id,
      type: channel.type,
      last_message_id: null,
      flags: 0,
      recipients: recipient ? [userPayload(recipient)] : [],
    };
  }
  const base = {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    parent_id: channel.parentId,
    position: 0,
    flags: 0,
    last_message_id: null,
    rate_limit_per_user: 0,
  };
  if (THREAD_TYPES.has(channel.type)) {
    return {
      ...base,
      owner_id: channel.ownerId,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
        create_timestamp: new Date().toISOString(),
      },
    };
  }
  return { ...base, topic: null, nsfw: false, permission_overwrites: [] };
}

/** GUILD_CREATE's payload: the whole guild with its channels, active threads, roles and the bot as a member. */
export function guildCreatePayload(state: FakeDiscordState, guild: FakeGuild): Json {
  const channels = state.channelsOf(guild.id);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: rolesPayload(guild),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: new Date(0).toISOString(),
    large: false,
    unavailable: false,
    member_count: 2,
    members: [memberPayload(state.bot, true, [botRoleId(guild)])],
    voice_states: [],
    presences: [],
    channels: channels.filter((channel) => !THREAD_TYPES.has(channel.type)).map((c) => channelPayload(state, c)),
    threads: channels.filter((channel) => THREAD_TYPES.has(channel.type)).map((c) => channelPayload(state, c)),
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function messagePayload(state: FakeDiscordState, message: FakeMessage, withReferenced = true): Json {
  const guild = message.guildId ? state.guilds.get(message.guildId) : undefined;
  const channel = state.channels.get(message.channelId);
  const referenced = message.referencedMessageId ? state.messages.get(message.referencedMessageId) : undefined;
  const mentions = message.mentionIds.flatMap((id) => {
    const user = state.users.get(id);
    if (!user) return [];
    // The bot's member keeps its role: discord.js takes a mention's member as the member's current state.
    const roles = guild && user.id === state.bot.id ? [botRoleId(guild)] : [];
    return [{ ...userPayload(user), ...(guild ? { member: memberPayload(user, false, roles) } : {}) }];
  });
  const type = message.interactionId
    ? MessageType.ChatInputCommand
    : message.referencedMessageId
      ? MessageType.Reply
      : MessageType.Default;
  return {
    id: message.id,
    type,
    channel_id: message.channelId,
    ...(message.guildId ? { guild_id: message.guildId } : {}),
    ...(channel?.type === ChannelType.DM ? { channel_type: ChannelType.DM } : {}),
    author: userPayload(message.author),
    ...(guild && message.source === 'user' ? { member: memberPayload(message.author, false) } : {}),
    content: message.content,
    timestamp: new Date(message.createdAt).toISOString(),
    edited_timestamp: message.editedAt === null ? null : new Date(message.editedAt).toISOString(),
    tts: false,
    mention_everyone: false,
    mentions,
    mention_roles: [],
    mention_channels: [],
    attachments: message.attachments.map((attachment) => ({
      id: attachment.id,
      filename: attachment.filename,
      size: attachment.size,
      content_type: attachment.contentType ?? undefined,
      url: `https://cdn.discordapp.com/attachments/${message.channelId}/${attachment.id}/${attachment.filename}`,
      proxy_url: `https://media.discordapp.net/attachments/${message.channelId}/${attachment.id}/${attachment.filename}`,
    })),
    embeds: message.embeds,
    components: message.components,
    reactions: [],
    pinned: false,
    flags: message.flags,
    ...(message.nonce === null ? {} : { nonce: message.nonce }),
    ...(message.webhookId ? { webhook_id: message.webhookId } : {}),
    ...(message.applicationId ? { application_id: message.applicationId } : {}),
    ...(message.referencedMessageId
      ? {
          message_reference: {
            type: 0,
            message_id: message.referencedMessageId,
            channel_id: message.channelId,
            ...(message.guildId ? { guild_id: message.guildId } : {}),
          },
          referenced_message:
            referenced && !referenced.deleted && withReferenced ? messagePayload(state, referenced, false) : null,
        }
      : {}),
    ...(message.interactionId ? { interaction_metadata: interactionMetadata(state, message.interactionId) } : {}),
  };
}

function interactionMetadata(state: FakeDiscordState, interactionId: string): Json | undefined {
  const interaction = state.interactions.get(interactionId);
  if (!interaction) return undefined;
  return {
    id: interaction.id,
    type: interaction.type,
    name: interaction.data.name,
    user: userPayload(interaction.user),
    authorizing_integration_owners: interaction.guildId ? { '0': interaction.guildId } : { '1': interaction.user.id },
  };
}

export function webhookPayload(state: FakeDiscordState, webhook: FakeWebhook, withToken: boolean): Json {
  return {
    id: webhook.id,
    type: 1,
    guild_id: webhook.guildId,
    channel_id: webhook.channelId,
    name: webhook.name,
    avatar: webhook.avatar,
    application_id: webhook.applicationId,
    user: userPayload(state.bot),
    ...(withToken ? { token: webhook.token } : {}),
  };
}

export function commandPayload(command: FakeCommand): Json {
  return {
    ...command.extra,
    id: command.id,
    application_id: command.applicationId,
    ...(command.guildId ? { guild_id: command.guildId } : {}),
    name: command.name,
    description: command.description,
    type: command.type,
    options: command.options,
    version: command.version,
    default_member_permissions: command.extra.default_member_permissions ?? null,
    nsfw: command.extra.nsfw ?? false,
  };
}

export function applicationPayload(state: FakeDiscordState): Json {
  return {
    id: state.applicationId,
    name: state.applicationName,
    icon: null,
    description: '',
    bot_public: true,
    bot_require_code_grant: false,
    bot: userPayload(state.bot),
    verify_key: '0'.repeat(64),
    flags: 0,
    team: null,
    owner: userPayload(state.bot),
    approximate_guild_count: state.guilds.size,
  };
}
