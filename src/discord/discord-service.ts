// The domain as the Discord bot sees it: one façade the bot calls for everything that is not Discord's own
// protocol. Who a Discord user is (discord-accounts.ts), where the bot answers (discord-access.ts), which
// conversation a channel is (discord-channels.ts), a channel's models, mode and limit (discord-settings.ts), a
// person's usage (discord-usage.ts) and linking to a web account (link-codes.ts). Every rule comes from the domain
// services and the store; this only translates places and people. Sending a message is ChatService.submit, with
// the Discord message id as its clientMessageId (a redelivered message is then not saved or answered twice).
import type { Actor } from '../store/actor.ts';
import type { User } from '../store/users.ts';
import type { DiscordServiceDependencies } from './dependencies.ts';
import { isPlaceAllowed, readDiscordAccess } from './discord-access.ts';
import { DiscordAccounts } from './discord-accounts.ts';
import { DiscordChannels } from './discord-channels.ts';
import type { DiscordAuthor, DiscordPlace } from './discord-place.ts';
import { type ChannelSettings, DiscordSettings, type ModelSummary } from './discord-settings.ts';
import { type PersonalUsage, usageOf } from './discord-usage.ts';
import { DiscordLinks } from './link-codes.ts';

export type { DiscordServiceDependencies } from './dependencies.ts';
export type { DiscordAuthor, DiscordPlace } from './discord-place.ts';
export type { ChannelSettings, ModelSummary } from './discord-settings.ts';
export type { PersonalUsage, UsageTotals } from './discord-usage.ts';

/** Where a conversation's messages are posted in Discord: the channel it is the current conversation of. */
export type DiscordDestination = { channelId: string };

/** A message written on the web, to post into its Discord channel under its author's name. */
export type WebMessageDestination = DiscordDestination & { authorName: string };

/**
 * Whether a message's request id is a Discord message id (a snowflake: digits): the bot sends every Discord message
 * with its id as the request id, and web clients name theirs otherwise (UUIDs, nanoids).
 */
export const isDiscordMessageId = (requestId: string | null) => requestId !== null && /^\d{15,21}$/.test(requestId);

export class DiscordService {
  private readonly accounts: DiscordAccounts;
  private readonly channels: DiscordChannels;
  private readonly settings: DiscordSettings;
  private readonly links: DiscordLinks;

  constructor(private readonly dependencies: DiscordServiceDependencies) {
    this.accounts = new DiscordAccounts(dependencies.store);
    this.channels = new DiscordChannels(dependencies);
    this.settings = new DiscordSettings(dependencies, this.channels);
    this.links = new DiscordLinks(dependencies.store);
  }

  /** The user with this Discord id (created on their first message), or the web account they linked. */
  actorFor(author: DiscordAuthor): Promise<Actor> {
    return this.accounts.actorFor(author);
  }

  /** Whether the bot answers in this place (system config `discord.access`; everywhere when unset). */
  async isAllowed(place: DiscordPlace): Promise<boolean> {
    return isPlaceAllowed(await readDiscordAccess(this.dependencies.store), place);
  }

  /** The id of the place's current conversation (opened on first use), with the actor in it. */
  conversationFor(place: DiscordPlace, actor: Actor): Promise<string> {
    return this.channels.conversationFor(place, actor);
  }

  /** `/new`: a fresh conversation in this place, which later messages go to; the old one keeps its data. */
  startFresh(place: DiscordPlace, actor: Actor): Promise<string> {
    return this.channels.startFresh(place, actor);
  }

  /** The channel (or thread) was deleted: its conversation ends, keeping its data. */
  channelEnded(channelId: string): Promise<void> {
    return this.channels.channelEnded(channelId);
  }

  /** Where a message written on the web in this conversation goes in Discord; null when it is no channel's. */
  destinationOf(conversationId: string): Promise<DiscordDestination | null> {
    return this.dependencies.store.discordConversations.channelOf(conversationId);
  }

  /**
   * Where to post a person's message (as a `message-created` event tells it) in Discord: the channel of the
   * current conversation it was written in, and the author's name; null for a message that came from Discord itself
   * (it is there already), a model's, or one of any other conversation.
   */
  async webMessageDestination(conversationId: string, messageId: string): Promise<WebMessageDestination | null> {
    const found = await this.dependencies.store.discordConversations.channelMessage({ conversationId, messageId });
    if (!found || isDiscordMessageId(found.requestId)) return null;
    return {
      channelId: found.channelId,
      authorName: displayNameOf({ displayName: found.displayName, username: found.username ?? 'someone' }),
    };
  }

  /**
   * The current conversations of Discord channels active since `since` (at most `limit`, most recent first): those
   * whose web messages the bot follows when it (re)starts.
   */
  activeConversationIds(since: Date, limit = 1_000): Promise<string[]> {
    return this.dependencies.store.discordConversations.activeSince(since, limit);
  }

  /**
   * The Chorus message a Discord message of this conversation shows — a person's (its id is the message's request
   * id) or a model's reply (as recorded when the bot posted it) — for a Discord reply to it to go in its thread (a
   * message inside a thread stands for that thread). Null when it shows none of this conversation's messages.
   */
  async threadShownBy(actor: Actor, conversationId: string, discordMessageId: string): Promise<string | null> {
    const { store } = this.dependencies;
    const replyId = await store.discordReplyMessages.messageIdOf(discordMessageId);
    const messageId = replyId ?? discordMessageId;
    return (await store.threads.findRoot({ actor, conversationId, messageId })) ?? null;
  }

  /** Remembers which Discord message shows a model's reply (see threadShownBy). */
  recordReplyMessage(messageId: string, discordMessageId: string): Promise<void> {
    return this.dependencies.store.discordReplyMessages.record({ messageId, discordMessageId });
  }

  /** The name a person's message is posted under in Discord. */
  async displayNameOf(userId: string): Promise<string> {
    return displayNameOf(await this.dependencies.store.users.getById(userId));
  }

  settingsOf(place: DiscordPlace): Promise<ChannelSettings> {
    return this.settings.settingsOf(place);
  }

  /** `/use`: the channel's models (ids or names), in reply order; refused naming any unknown or retired one. */
  useModels(place: DiscordPlace, actor: Actor, modelNames: string[]): Promise<ChannelSettings> {
    return this.settings.useModels(place, actor, modelNames);
  }

  /** `/mode single|parallel|first_responder`. */
  setMode(place: DiscordPlace, actor: Actor, mode: string): Promise<ChannelSettings> {
    return this.settings.setMode(place, actor, mode);
  }

  /** `/limit n`: characters per reply; 0 or null for none. */
  setLimit(place: DiscordPlace, actor: Actor, limit: number | null): Promise<ChannelSettings> {
    return this.settings.setLimit(place, actor, limit);
  }

  /** `/models`: what the actor may pick. */
  async pickableModels(actor: Actor): Promise<ModelSummary[]> {
    return this.settings.pickableModels(actor);
  }

  /** The ids of models named in a command (`/ask … models:`); refused naming any name that fits none or several. */
  resolveModels(actor: Actor, modelNames: string[]): string[] {
    return this.settings.resolveModels(actor, modelNames);
  }

  /** `/usage`. */
  usageOf(actor: Actor): Promise<PersonalUsage> {
    return usageOf(this.dependencies.store, actor);
  }

  /** `/link`: a one-time code to enter on the web. */
  createLinkCode(actor: Actor): Promise<{ code: string; expiresAt: Date }> {
    return this.links.createLinkCode(actor);
  }

  /** The code entered on the web: the Discord user becomes the web account, keeping every message. */
  linkAccount(webActor: Actor, code: string): Promise<void> {
    return this.links.linkAccount(webActor, code);
  }
}

export const displayNameOf = (user: Pick<User, 'displayName' | 'username'>) => user.displayName ?? user.username;
