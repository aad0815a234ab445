// The world a test starts the fake with: its people, and its guilds with their channels and threads.
import { ChannelType } from 'discord.js';
import {
  DEFAULT_BOT_PERMISSIONS,
  type FakeDiscordState,
  type FakeGuild,
  type FakeUser,
  THREAD_TYPES,
} from './state.ts';

const CHANNEL_TYPES = {
  text: ChannelType.GuildText,
  announcement: ChannelType.GuildAnnouncement,
  voice: ChannelType.GuildVoice,
  category: ChannelType.GuildCategory,
  thread: ChannelType.PublicThread,
  'private-thread': ChannelType.PrivateThread,
} as const;

export type FakeChannelConfig = {
  name: string;
  id?: string;
  /** Default 'text'. */
  type?: keyof typeof CHANNEL_TYPES;
  /** For a thread, the name of its channel in the same guild (listed before it); for a channel, its category's. */
  parent?: string;
};

export type FakeUserConfig = {
  username: string;
  /** Ids are snowflakes unless given (give 17 to 19 digits, as Discord's are). */
  id?: string;
  globalName?: string;
  /** Another bot, whose messages a bot usually ignores. */
  bot?: boolean;
};

export type FakeGuildConfig = {
  name: string;
  id?: string;
  channels?: FakeChannelConfig[];
  /** The bot's permissions in the guild; default DEFAULT_BOT_PERMISSIONS (Manage Webhooks included). */
  botPermissions?: bigint;
};

export function addUser(state: FakeDiscordState, config: FakeUserConfig): FakeUser {
  return state.addUser({
    username: config.username,
    globalName: config.globalName ?? null,
    bot: config.bot ?? false,
    ...(config.id ? { id: config.id } : {}),
  });
}

export function addGuild(state: FakeDiscordState, config: FakeGuildConfig): FakeGuild {
  const owner = [...state.users.values()].find((user) => !user.bot) ?? state.bot;
  const guild: FakeGuild = {
    id: config.id ?? state.nextId(),
    name: config.name,
    ownerId: owner.id,
    botPermissions: config.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
  };
  state.guilds.set(guild.id, guild);
  for (const channel of config.channels ?? []) {
    const type = CHANNEL_TYPES[channel.type ?? 'text'];
    const parent = channel.parent
      ? state.channelsOf(guild.id).find((candidate) => candidate.name === channel.parent)
      : undefined;
    if (channel.parent && !parent)
      throw new Error(`fake Discord: list channel ${channel.parent} before ${channel.name}`);
    state.addChannel({
      ...(channel.id ? { id: channel.id } : {}),
      type,
      name: channel.name,
      guildId: guild.id,
      parentId: parent?.id ?? null,
      ownerId: THREAD_TYPES.has(type) ? owner.id : null,
    });
  }
  return guild;
}
