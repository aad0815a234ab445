// Where a reply or a relayed web message is posted, under its author's name: through the channel's webhook (the
// bot's own, found or created once per channel) with the author's name and avatar when the bot may manage the
// channel's webhooks, else as the bot's own message headed by the author's name in bold. Mentions in the text never
// ping anyone: a model's words must not call @everyone.
import {
  type Client,
  type GuildBasedChannel,
  type MessageMentionOptions,
  PermissionFlagsBits,
  RESTEvents,
  type TextBasedChannel,
  type Webhook,
  WebhookClient,
} from 'discord.js';
import { logError } from '../loggable-error.ts';
import { type Author, avatarAddress, headerLine, webhookName } from './author-names.ts';
import { DISCORD_MESSAGE_LIMIT } from './message-splitting.ts';
import type { ReplyVoice } from './streamed-reply.ts';

/** The name of the webhook the bot makes in each channel to post under other names. */
const WEBHOOK_NAME = 'Chorus';
const NO_PINGS: MessageMentionOptions = { parse: [] };
/**
 * A webhook's own requests (by its token) are not the bot's: Discord does not count them against the bot's global
 * 50 a second, only against the webhook's own buckets, which the REST client learns and honours from the answers'
 * headers (and any 429's retry_after). So each webhook gets a REST client of its own, not held back by the bot's
 * global allowance.
 */
const WEBHOOK_REQUESTS_PER_SECOND = 1_000;

export class ChannelVoices {
  /** The bot's webhook of each channel that has one (threads use their parent's), or null where it may not. */
  private readonly webhooks = new Map<string, Promise<ChannelWebhook | null>>();

  constructor(
    private readonly client: Client<true>,
    /** Told each time a webhook's request waits out a rate limit. */
    private readonly onRateLimited: () => void = () => {},
  ) {}

  /** A voice that posts into `channelId` as `author`. */
  async voiceFor(channelId: string, author: Author): Promise<ReplyVoice> {
    const channel = await this.textChannel(channelId);
    const webhook = await this.webhookOf(channel);
    if (webhook) {
      const { sender } = webhook;
      const threadId = channel.isThread() ? channel.id : undefined;
      const username = webhookName(author.name);
      const avatarURL = avatarAddress(author.avatarUrl);
      return {
        room: DISCORD_MESSAGE_LIMIT,
        post: async (content) =>
          (await sender.send({ content, username, avatarURL, threadId, allowedMentions: NO_PINGS })).id,
        edit: async (messageId, content) => {
          await sender.editMessage(messageId, { content, threadId, allowedMentions: NO_PINGS });
        },
      };
    }
    if (!channel.isSendable()) throw new Error(`the bot cannot post in channel ${channelId}`);
    const header = headerLine(author.name);
    return {
      room: DISCORD_MESSAGE_LIMIT - header.length,
      post: async (text) => (await channel.send({ content: header + text, allowedMentions: NO_PINGS })).id,
      edit: async (messageId, text) => {
        await channel.messages.edit(messageId, { content: header + text, allowedMentions: NO_PINGS });
      },
    };
  }

  /** Whether `userId` is the webhook the bot posts through in `channelId` (a reply to it is a reply to the bot). */
  async isOwnWebhook(channelId: string, userId: string): Promise<boolean> {
    const webhook = await this.webhookOf(await this.textChannel(channelId)).catch(() => null);
    return webhook?.id === userId;
  }

  /** A channel's webhook is looked up again after the channel is gone or changed. */
  forget(channelId: string): void {
    void this.webhooks.get(channelId)?.then((webhook) => webhook?.sender.destroy());
    this.webhooks.delete(channelId);
  }

  /** Lets go of every webhook's REST client. */
  close(): void {
    for (const channelId of [...this.webhooks.keys()]) this.forget(channelId);
  }

  private async textChannel(channelId: string): Promise<TextBasedChannel> {
    const channel = this.client.channels.cache.get(channelId) ?? (await this.client.channels.fetch(channelId));
    if (!channel?.isTextBased()) throw new Error(`channel ${channelId} is not a text channel`);
    return channel;
  }

  private webhookOf(channel: TextBasedChannel): Promise<ChannelWebhook | null> {
    const home = channel.isThread() ? channel.parent : channel;
    if (!home || !('guild' in home)) return Promise.resolve(null);
    let webhook = this.webhooks.get(home.id);
    if (!webhook) {
      webhook = this.findOrCreateWebhook(home);
      this.webhooks.set(home.id, webhook);
    }
    return webhook;
  }

  private async findOrCreateWebhook(channel: GuildBasedChannel): Promise<ChannelWebhook | null> {
    if (!('fetchWebhooks' in channel) || !('createWebhook' in channel)) return null;
    try {
      const me = channel.guild.members.me ?? (await channel.guild.members.fetchMe());
      if (!channel.permissionsFor(me).has(PermissionFlagsBits.ManageWebhooks)) return null;
      const existing = await channel.fetchWebhooks();
      const own = existing.find((hook) => hook.owner?.id === this.client.user.id && hook.token);
      const webhook = (own as Webhook | undefined) ?? (await channel.createWebhook({ name: WEBHOOK_NAME }));
      const sender = new WebhookClient(
        { id: webhook.id, token: webhook.token! },
        { rest: { ...this.client.rest.options, globalRequestsPerSecond: WEBHOOK_REQUESTS_PER_SECOND } },
      );
      sender.rest.on(RESTEvents.RateLimited, this.onRateLimited);
      return { id: webhook.id, sender };
    } catch (error) {
      // Allowed by the permissions seen, refused by Discord: post as the bot instead, and look again next time.
      logError(`the webhook of channel ${channel.id} could not be found or made`, error);
      this.webhooks.delete(channel.id);
      return null;
    }
  }
}

/** The bot's webhook in a channel, and the client that posts through it. */
type ChannelWebhook = { id: string; sender: WebhookClient };
