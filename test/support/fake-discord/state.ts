// What the fake Discord holds: users, guilds, channels, messages with every revision of their content, webhooks,
// application commands and interactions. Plain records a test can read directly; every change is announced so that
// `waitUntil` can re-check a condition the moment it may have become true, instead of a test sleeping.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { ChannelType, PermissionFlagsBits } from 'discord.js';
import { createSnowflakes } from './ids.ts';

export type FakeUser = {
  id: string;
  username: string;
  globalName: string | null;
  avatar: string | null;
  bot: boolean;
};

export type FakeGuild = {
  id: string;
  name: string;
  ownerId: string;
  /** The permissions of the bot's own role in this guild (its @everyone role allows reading and writing). */
  botPermissions: bigint;
};

export type FakeChannel = {
  id: string;
  type: ChannelType;
  name: string | null;
  guildId: string | null;
  /** A thread's channel, or a channel's category. */
  parentId: string | null;
  /** The other person of a DM channel. */
  recipientId: string | null;
  ownerId: string | null;
  deleted: boolean;
};

/** One state of a message's content: the first is the message as created, each edit adds one. */
export type MessageRevision = {
  /** performance.now() when the fake stored this revision. */
  at: number;
  content: string;
  embeds: unknown[];
};

export type FakeAttachment = { id: string; filename: string; size: number; contentType: string | null };

export type FakeMessage = {
  id: string;
  channelId: string;
  guildId: string | null;
  /** Who the message shows as its author: a user, the bot, or (for webhook messages) the webhook's name. */
  author: FakeUser;
  /** How it came to be: written by a test's user, sent by the bot over REST, through a webhook, or as an interaction response. */
  source: 'user' | 'bot' | 'webhook' | 'interaction';
  webhookId: string | null;
  /** The `avatar_url` a webhook execution asked for. */
  webhookAvatarUrl: string | null;
  interactionId: string | null;
  applicationId: string | null;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: FakeAttachment[];
  flags: number;
  mentionIds: string[];
  referencedMessageId: string | null;
  nonce: string | number | null;
  /** Date.now() at creation and at the last edit. */
  createdAt: number;
  editedAt: number | null;
  revisions: MessageRevision[];
  deleted: boolean;
};

export type FakeWebhook = {
  id: string;
  token: string;
  name: string;
  avatar: string | null;
  channelId: string;
  guildId: string;
  applicationId: string;
};

export type FakeCommand = {
  id: string;
  applicationId: string;
  guildId: string | null;
  name: string;
  description: string;
  type: number;
  options: unknown[];
  version: string;
  /** Every other field the bot sent, returned as given. */
  extra: Record<string, unknown>;
};

export type InteractionCallback = { at: number; type: number; data: Record<string, unknown> | null };

export type FakeInteraction = {
  id: string;
  token: string;
  type: number;
  applicationId: string;
  channelId: string;
  guildId: string | null;
  user: FakeUser;
  data: Record<string, unknown>;
  createdAt: number;
  /** The callbacks the bot posted, in order (Discord accepts only the first). */
  callbacks: InteractionCallback[];
  originalMessageId: string | null;
  followupMessageIds: string[];
};

/** What a bot may do in a guild unless a test says otherwise: everything the Chorus bot needs, webhooks included. */
export const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.ManageWebhooks;

export const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands;

export const THREAD_TYPES: ReadonlySet<ChannelType> = new Set([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

const TEXT_TYPES: ReadonlySet<ChannelType> = new Set([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.DM,
  ChannelType.GroupDM,
  ChannelType.GuildVoice,
  ...THREAD_TYPES,
]);

export function isTextChannel(channel: FakeChannel): boolean {
  return TEXT_TYPES.has(channel.type);
}

export class FakeDiscordState {
  readonly nextId = createSnowflakes();
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage>();
  readonly webhooks = new Map<string, FakeWebhook>();
  readonly commands = new Map<string, FakeCommand>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly bot: FakeUser;
  readonly applicationId: string;
  readonly applicationName: string;
  private readonly changes = new EventEmitter();

  constructor(options: { botName: string; applicationName: string }) {
    this.changes.setMaxListeners(0);
    this.applicationId = this.nextId();
    this.applicationName = options.applicationName;
    // Discord's bot user has the application's id.
    this.bot = { id: this.applicationId, username: options.botName, globalName: null, avatar: null, bot: true };
    this.users.set(this.bot.id, this.bot);
  }

  /** Announces that something changed, so pending `waitUntil` conditions are checked again. */
  changed(): void {
    this.changes.emit('change');
  }

  /**
   * Resolves with the first truthy value `check` returns, checking now and after every change; rejects after
   * `timeoutMs` naming `what` was awaited.
   */
  waitUntil<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
    const first = check();
    if (first) return Promise.resolve(first);
    return new Promise((resolve, reject) => {
      const onChange = () => {
        const value = check();
        if (!value) return;
        finish();
        resolve(value);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.changes.off('change', onChange);
      };
      this.changes.on('change', onChange);
    });
  }

  addUser(user: Partial<FakeUser> & { username: string }): FakeUser {
    const stored: FakeUser = { id: this.nextId(), globalName: null, avatar: null, bot: false, ...user };
    this.users.set(stored.id, stored);
    return stored;
  }

  addChannel(channel: Partial<FakeChannel> & { type: ChannelType }): FakeChannel {
    const stored: FakeChannel = {
      id: this.nextId(),
      name: null,
      guildId: null,
      parentId: null,
      recipientId: null,
      ownerId: null,
      deleted: false,
      ...channel,
    };
    this.channels.set(stored.id, stored);
    this.changed();
    return stored;
  }

  /** The DM channel between the bot and `userId`, opened on first use as Discord does. */
  directChannelWith(userId: string): FakeChannel {
    for (const channel of this.channels.values()) {
      if (channel.type === ChannelType.DM && channel.recipientId === userId) return channel;
    }
    return this.addChannel({ type: ChannelType.DM, recipientId: userId });
  }

  channelsOf(guildId: string): FakeChannel[] {
    return [...this.channels.values()].filter((channel) => channel.guildId === guildId && !channel.deleted);
  }

  addMessage(
    message: Pick<FakeMessage, 'channelId' | 'author' | 'source' | 'content'> & Partial<FakeMessage>,
  ): FakeMessage {
    const channel = this.channels.get(message.channelId);
    const stored: FakeMessage = {
      id: this.nextId(),
      guildId: channel?.guildId ?? null,
      webhookId: null,
      webhookAvatarUrl: null,
      interactionId: null,
      applicationId: null,
      embeds: [],
      components: [],
      attachments: [],
      flags: 0,
      mentionIds: [],
      referencedMessageId: null,
      nonce: null,
      createdAt: Date.now(),
      editedAt: null,
      deleted: false,
      ...message,
      revisions: [],
    };
    stored.revisions.push({ at: performance.now(), content: stored.content, embeds: stored.embeds });
    this.messages.set(stored.id, stored);
    this.changed();
    return stored;
  }

  editMessage(message: FakeMessage, changes: { content?: string; embeds?: unknown[]; components?: unknown[] }): void {
    if (changes.content !== undefined) message.content = changes.content;
    if (changes.embeds !== undefined) message.embeds = changes.embeds;
    if (changes.components !== undefined) message.components = changes.components;
    message.editedAt = Date.now();
    message.revisions.push({ at: performance.now(), content: message.content, embeds: message.embeds });
    this.changed();
  }

  /** The messages of a channel in the order they were created, deleted ones included (see `deleted`). */
  messagesIn(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((message) => message.channelId === channelId);
  }

  commandsOf(guildId: string | null): FakeCommand[] {
    return [...this.commands.values()].filter((command) => command.guildId === guildId);
  }
}
