// Who writes and where, as the Discord door tells the domain: a Discord user, and a channel, thread or direct
// message. Plain data (ids are Discord snowflakes as text), so the domain never sees discord.js.

/** A Discord user as a message or a command shows them. */
export interface DiscordAuthor {
  discordId: string;
  /** The name Discord shows (the global display name, else the username). */
  name: string;
  avatarUrl: string | null;
}

/** Where a message or command came from. */
export interface DiscordPlace {
  /** The channel; for a thread, the thread's own id (a thread is a conversation of its own). */
  channelId: string;
  /** Null in direct messages. */
  guildId: string | null;
  /** A thread's parent channel; null for anything else. */
  parentChannelId: string | null;
  /** The channel's name (a thread's title, or the person's name in direct messages): the conversation's title. */
  name: string;
  isDirect: boolean;
}
