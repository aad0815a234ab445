// The discord.js client the bot runs on: the gateway intents it needs (guilds and their channels, messages and their
// text, direct messages), and Discord's HTTP API at DISCORD_API_URL when set (a proxy; a fake in tests), whose
// GET /gateway/bot also names the gateway to connect to. discord.js's REST client waits out every 429 for its
// retry_after and retries 5xx answers; its gateway resumes a dropped session.
import { type Channel, Client, GatewayIntentBits, type Message, Partials, type User } from 'discord.js';
import type { DiscordAuthor, DiscordPlace } from './discord-service.ts';

export type DiscordClientSettings = { token: string; apiUrl?: string };

export function createDiscordClient(settings: DiscordClientSettings): Client {
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    // Direct-message channels arrive without being cached first.
    partials: [Partials.Channel],
    rest: settings.apiUrl ? { api: settings.apiUrl.replace(/\/+$/, '') } : {},
  });
  return client;
}

/** The Discord user as the domain knows them: their id, the name Discord shows and their avatar. */
export function authorOf(user: User): DiscordAuthor {
  return { discordId: user.id, name: user.globalName ?? user.username, avatarUrl: user.avatarURL() ?? null };
}

/** Where a message or command came from, as the domain knows it. */
export function placeOf(channel: Channel, person: User): DiscordPlace {
  if (channel.isDMBased()) {
    return {
      channelId: channel.id,
      guildId: null,
      parentChannelId: null,
      name: person.globalName ?? person.username,
      isDirect: true,
    };
  }
  return {
    channelId: channel.id,
    guildId: channel.guildId,
    parentChannelId: channel.isThread() ? channel.parentId : null,
    name: 'name' in channel && typeof channel.name === 'string' ? channel.name : '',
    isDirect: false,
  };
}

/** The message's text for the models: mentions of the bot left out. */
export function promptOf(message: Pick<Message, 'content'>, botId: string): string {
  return message.content.replaceAll(`<@${botId}>`, '').replaceAll(`<@!${botId}>`, '').trim();
}
