// What a test does as the people and the platform on the other side of the bot: write messages (in guild channels,
// threads and DMs, mentioning the bot or replying to it), deliver one again, run slash commands, create and delete
// channels and threads. Each stores what Discord would store and dispatches the event Discord would send.
import {
  ApplicationCommandOptionType,
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionType,
} from 'discord.js';
import {
  dispatchChannelCreate,
  dispatchChannelDelete,
  dispatchMessageCreate,
  dispatchMessageUpdate,
  type FakeWorld,
} from './events.ts';
import { createToken } from './ids.ts';
import { mentionedUserIds } from './message-input.ts';
import {
  EVERYONE_PERMISSIONS,
  type FakeChannel,
  type FakeGuild,
  type FakeInteraction,
  type FakeMessage,
  type FakeUser,
  THREAD_TYPES,
} from './state.ts';
import { channelPayload, guildCreatePayload, memberPayload, userPayload } from './wire.ts';

/** A user by record or id; the fake's first user when left out. */
export type UserRef = FakeUser | string;

export type UserMessageInput = {
  channelId: string;
  content: string;
  author?: UserRef;
  /** Puts `<@bot>` before the content, as a person typing @bot does. */
  mentionBot?: boolean;
  /** The message this one replies to (its author is mentioned, as Discord's default reply does). */
  replyTo?: string;
};

export type SlashCommandInput = {
  /** The channel (or DM channel) the command is run in. */
  channelId: string;
  name: string;
  /** Option values by name, typed after the registered command's options; or Discord's option array as is. */
  options?: Record<string, string | number | boolean> | unknown[];
  user?: UserRef;
  /** The person's permissions in the guild (`member.permissions`); default those of @everyone. */
  memberPermissions?: bigint;
};

export class FakeDiscordControls {
  constructor(private readonly world: FakeWorld) {}

  private get state() {
    return this.world.state;
  }

  resolveUser(ref: UserRef | undefined): FakeUser {
    if (ref === undefined) {
      const first = [...this.state.users.values()].find((user) => !user.bot);
      if (!first) throw new Error('fake Discord: no user to act as; add one with addUser');
      return first;
    }
    const user = typeof ref === 'string' ? this.state.users.get(ref) : ref;
    if (!user) throw new Error(`fake Discord: unknown user ${String(ref)}`);
    return user;
  }

  private channel(channelId: string): FakeChannel {
    const channel = this.state.channels.get(channelId);
    if (!channel || channel.deleted) throw new Error(`fake Discord: unknown channel ${channelId}`);
    return channel;
  }

  /** A person writes in a channel: stored, then MESSAGE_CREATE. */
  sendMessage(input: UserMessageInput): FakeMessage {
    const channel = this.channel(input.channelId);
    const author = this.resolveUser(input.author);
    const content = input.mentionBot ? `<@${this.state.bot.id}> ${input.content}` : input.content;
    const repliedTo = input.replyTo ? this.state.messages.get(input.replyTo) : undefined;
    if (input.replyTo && !repliedTo) throw new Error(`fake Discord: unknown message ${input.replyTo}`);
    const message = this.state.addMessage({
      channelId: channel.id,
      author,
      source: 'user',
      content,
      referencedMessageId: repliedTo?.id ?? null,
      mentionIds: mentionedUserIds(this.state, content, undefined, repliedTo),
    });
    dispatchMessageCreate(this.world, message);
    return message;
  }

  /** A person writes to the bot directly: their DM channel is opened if need be. */
  sendDirectMessage(input: { content: string; author?: UserRef }): FakeMessage {
    const author = this.resolveUser(input.author);
    const channel = this.state.directChannelWith(author.id);
    return this.sendMessage({ channelId: channel.id, content: input.content, author });
  }

  /** Dispatches MESSAGE_CREATE again for a message already delivered, as a gateway replay can. */
  redeliverMessage(messageId: string): void {
    const message = this.state.messages.get(messageId);
    if (!message) throw new Error(`fake Discord: unknown message ${messageId}`);
    dispatchMessageCreate(this.world, message);
  }

  /** A person edits their message: a new revision, then MESSAGE_UPDATE. */
  editMessage(messageId: string, content: string): FakeMessage {
    const message = this.state.messages.get(messageId);
    if (!message) throw new Error(`fake Discord: unknown message ${messageId}`);
    this.state.editMessage(message, { content });
    message.mentionIds = mentionedUserIds(this.state, content, undefined, undefined);
    dispatchMessageUpdate(this.world, message);
    return message;
  }

  /** A person runs a registered slash command: INTERACTION_CREATE with a token the bot answers through. */
  runSlashCommand(input: SlashCommandInput): FakeInteraction {
    const channel = this.channel(input.channelId);
    const user = this.resolveUser(input.user);
    const command =
      this.state.commandsOf(channel.guildId).find((c) => c.name === input.name) ??
      this.state.commandsOf(null).find((c) => c.name === input.name);
    if (!command) throw new Error(`fake Discord: /${input.name} is not registered (globally or in this guild)`);
    const options = Array.isArray(input.options) ? input.options : commandOptions(command.options, input.options ?? {});
    const interaction: FakeInteraction = {
      id: this.state.nextId(),
      token: createToken(),
      type: InteractionType.ApplicationCommand,
      applicationId: this.state.applicationId,
      channelId: channel.id,
      guildId: channel.guildId,
      user,
      data: {
        id: command.id,
        name: command.name,
        type: command.type,
        options,
        ...(channel.guildId ? { guild_id: channel.guildId } : {}),
      },
      createdAt: Date.now(),
      callbacks: [],
      originalMessageId: null,
      followupMessageIds: [],
    };
    this.state.interactions.set(interaction.id, interaction);
    this.state.changed();
    this.world.gateway.dispatch(
      GatewayDispatchEvents.InteractionCreate,
      this.interactionPayload(interaction, channel, input.memberPermissions ?? EVERYONE_PERMISSIONS),
    );
    return interaction;
  }

  private interactionPayload(interaction: FakeInteraction, channel: FakeChannel, memberPermissions: bigint) {
    const guild = channel.guildId ? this.state.guilds.get(channel.guildId) : undefined;
    const appPermissions = ((guild?.botPermissions ?? 0n) | EVERYONE_PERMISSIONS).toString();
    return {
      id: interaction.id,
      application_id: interaction.applicationId,
      type: interaction.type,
      data: interaction.data,
      channel_id: channel.id,
      channel: channelPayload(this.state, channel),
      token: interaction.token,
      version: 1,
      locale: 'en-US',
      app_permissions: appPermissions,
      entitlements: [],
      authorizing_integration_owners: guild ? { '0': guild.id } : { '1': interaction.user.id },
      context: guild ? 0 : 1,
      attachment_size_limit: 10 * 1024 * 1024,
      ...(guild
        ? {
            guild_id: guild.id,
            guild_locale: 'en-US',
            guild: { id: guild.id, locale: 'en-US', features: [] },
            member: { ...memberPayload(interaction.user, true), permissions: memberPermissions.toString() },
          }
        : { user: userPayload(interaction.user) }),
    };
  }

  /** A new thread appears under a channel: THREAD_CREATE. */
  createThread(input: { parentId: string; name: string; owner?: UserRef; private?: boolean }): FakeChannel {
    const parent = this.channel(input.parentId);
    if (!parent.guildId || THREAD_TYPES.has(parent.type)) throw new Error('fake Discord: threads need a guild channel');
    const thread = this.state.addChannel({
      type: input.private ? ChannelType.PrivateThread : ChannelType.PublicThread,
      name: input.name,
      guildId: parent.guildId,
      parentId: parent.id,
      ownerId: this.resolveUser(input.owner).id,
    });
    dispatchChannelCreate(this.world, thread);
    return thread;
  }

  /** The bot joins a guild: GUILD_CREATE with its channels. */
  addGuild(guild: FakeGuild): void {
    this.world.gateway.dispatch(GatewayDispatchEvents.GuildCreate, guildCreatePayload(this.state, guild), {
      intent: GatewayIntentBits.Guilds,
    });
  }

  /** A new text channel appears in a guild: CHANNEL_CREATE. */
  createChannel(input: { guildId: string; name: string }): FakeChannel {
    if (!this.state.guilds.has(input.guildId)) throw new Error(`fake Discord: unknown guild ${input.guildId}`);
    const channel = this.state.addChannel({ type: ChannelType.GuildText, name: input.name, guildId: input.guildId });
    dispatchChannelCreate(this.world, channel);
    return channel;
  }

  /** A channel or thread is deleted: CHANNEL_DELETE (THREAD_DELETE for a thread, with the threads it held). */
  deleteChannel(channelId: string): void {
    const channel = this.channel(channelId);
    for (const thread of this.state.channels.values()) {
      if (thread.parentId === channel.id && THREAD_TYPES.has(thread.type)) thread.deleted = true;
    }
    channel.deleted = true;
    this.state.changed();
    dispatchChannelDelete(this.world, channel);
  }

  /** Any gateway event, as given; `intent` limits it to sessions that asked for that intent. */
  dispatch(event: string, data: unknown, intent?: GatewayIntentBits): void {
    this.world.gateway.dispatch(event, data, intent === undefined ? {} : { intent });
  }
}

/** Discord's option array for `values`, each typed after the command's option of that name. */
function commandOptions(definitions: unknown[], values: Record<string, string | number | boolean>) {
  return Object.entries(values).map(([name, value]) => {
    const definition = definitions.find(
      (option): option is { name: string; type: number } => (option as { name?: unknown }).name === name,
    );
    if (!definition) throw new Error(`fake Discord: the command has no option "${name}"`);
    if (
      definition.type === ApplicationCommandOptionType.Subcommand ||
      definition.type === ApplicationCommandOptionType.SubcommandGroup
    ) {
      throw new Error(`fake Discord: give subcommand "${name}" as Discord's option array`);
    }
    return { name, type: definition.type, value };
  });
}
