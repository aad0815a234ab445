// Messages written on the web in a Discord channel's conversation, posted into the channel under the person's name
// (the channel's webhook with their name and avatar, else a header line), followed by the models' replies to them
// as they stream. It follows the conversation events of every Discord conversation, in the process that holds the
// gateway; messages that came from Discord (their request id is a Discord message id) are not posted back, and
// neither are the replies to them, which the bot writes itself.
import type { ConversationEventOf, DeliveredEvent } from '../events/conversation-event.ts';
import type { ConversationEvents } from '../events/index.ts';
import { logError } from '../loggable-error.ts';
import type { ModelCache } from '../registry/model-cache.ts';
import { modelAuthor } from './author-names.ts';
import type { BotMetrics } from './bot-metrics.ts';
import type { ChannelVoices } from './channel-voices.ts';
import type { DiscordService } from './discord-service.ts';
import { endingLine } from './discord-turn.ts';
import { splitMessage } from './message-splitting.ts';
import { StreamedReply } from './streamed-reply.ts';

export type WebMessageRelayDependencies = {
  events: ConversationEvents;
  discord: Pick<DiscordService, 'destinationOf' | 'webMessageDestination'>;
  voices: ChannelVoices;
  models: Pick<ModelCache, 'get'>;
  metrics: BotMetrics;
  editIntervalMs?: number;
};

export class WebMessageRelay {
  private readonly followed = new Map<string, AbortController>();
  /** Web messages posted into a channel: their replies are posted too. */
  private readonly relayedPrompts = new Set<string>();
  private readonly replies = new Map<string, StreamedReply>();
  /** Each conversation's posts go out in order. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly dependencies: WebMessageRelayDependencies) {}

  /** Follows the conversation's events from now on (once, however often it is asked). */
  follow(conversationId: string): void {
    if (this.followed.has(conversationId)) return;
    const stop = new AbortController();
    this.followed.set(conversationId, stop);
    void this.read(conversationId, stop.signal);
  }

  stop(): void {
    for (const controller of this.followed.values()) controller.abort();
    this.followed.clear();
  }

  private async read(conversationId: string, signal: AbortSignal): Promise<void> {
    try {
      for await (const delivered of this.dependencies.events.subscribe(conversationId, null, signal)) {
        this.take(conversationId, delivered);
      }
    } catch (error) {
      if (!signal.aborted) logError(`following conversation ${conversationId} for Discord failed`, error);
    } finally {
      if (this.followed.get(conversationId)?.signal === signal) this.followed.delete(conversationId);
    }
  }

  private take(conversationId: string, { event }: DeliveredEvent): void {
    switch (event.type) {
      case 'message-created':
        if (event.message.role === 'user' && event.sender)
          this.inOrder(conversationId, () => this.postMessage(conversationId, event));
        return;
      case 'reply-created':
        // Checked in turn: the prompt is known to be relayed once its own post has gone out.
        this.inOrder(conversationId, async () => {
          if (this.relayedPrompts.has(event.parentId))
            await this.openReply(conversationId, event.messageId, event.modelId);
        });
        return;
      case 'reply-delta':
        this.inOrder(conversationId, async () => this.replies.get(event.messageId)?.append(event.delta));
        return;
      case 'reply-finished':
        this.inOrder(conversationId, async () => {
          const reply = this.replies.get(event.messageId);
          this.replies.delete(event.messageId);
          void reply?.finish(endingLine(event));
        });
        return;
      case 'turn-finished':
      case 'turn-error':
        this.inOrder(conversationId, async () => {
          this.relayedPrompts.delete(event.parentId);
        });
        return;
      case 'conversation-deleted':
        this.followed.get(conversationId)?.abort();
        return;
      default:
        return;
    }
  }

  private inOrder(conversationId: string, work: () => Promise<void>): void {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => {
      this.dependencies.metrics.count('errors');
      logError(`posting a web message into Discord failed (conversation ${conversationId})`, error);
    });
    this.queues.set(conversationId, next);
    void next.finally(() => {
      if (this.queues.get(conversationId) === next) this.queues.delete(conversationId);
    });
  }

  private async postMessage(conversationId: string, event: ConversationEventOf<'message-created'>): Promise<void> {
    const { message, sender } = event;
    // None for a message that came from Discord (it is there already).
    const destination = await this.dependencies.discord.webMessageDestination(conversationId, message.id);
    if (!destination || !sender) return;
    this.relayedPrompts.add(message.id);
    const voice = await this.dependencies.voices.voiceFor(destination.channelId, {
      name: destination.authorName,
      avatarUrl: sender.avatarUrl,
    });
    const text = message.content?.trim() || '*(an attachment, on the web)*';
    for (const piece of splitMessage(text, voice.room)) await voice.post(piece);
  }

  private async openReply(conversationId: string, messageId: string, modelId: string): Promise<void> {
    const destination = await this.dependencies.discord.destinationOf(conversationId);
    if (!destination) return;
    const author = modelAuthor(this.dependencies.models, modelId);
    const voice = await this.dependencies.voices.voiceFor(destination.channelId, author);
    const { metrics } = this.dependencies;
    metrics.count('replies');
    this.replies.set(
      messageId,
      new StreamedReply(
        voice,
        { edited: () => metrics.count('edits'), failed: () => metrics.count('errors') },
        this.dependencies.editIntervalMs,
      ),
    );
  }
}
