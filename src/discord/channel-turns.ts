// A person's words from Discord, answered in the channel: saved and answered by the chat service exactly as a web
// message is (access, daily limits, group modes, character limits, costs and events are the web's), its replies
// written into the channel as they stream (discord-turn.ts). The Discord id of the message (or command) is the
// message's request id, so the same message delivered twice is saved and answered once.
import type { ChatService } from '../chat/chat-service.ts';
import { AppError } from '../errors.ts';
import { logError } from '../loggable-error.ts';
import type { ModelCache } from '../registry/model-cache.ts';
import type { Actor } from '../store/actor.ts';
import { modelAuthor } from './author-names.ts';
import type { BotMetrics } from './bot-metrics.ts';
import type { ChannelVoices } from './channel-voices.ts';
import { DiscordTurn } from './discord-turn.ts';

export type ChannelTurnRequest = {
  actor: Actor;
  conversationId: string;
  channelId: string;
  /** The Discord message's (or command's) id. */
  discordId: string;
  text: string;
  /** The thread it goes in: the Chorus message the Discord message it replies to shows. */
  threadId?: string;
  modelIds?: string[];
  /** performance.now() when it arrived. */
  arrivedAt: number;
};

/** Who speaks when no model does. */
const BOT_AUTHOR = { name: 'Chorus' };

/** What the person is told instead of replies. */
export type Refusal = { text: string };

export class ChannelTurns {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly dependencies: {
      chat: ChatService;
      models: Pick<ModelCache, 'get'>;
      voices: ChannelVoices;
      metrics: BotMetrics;
      /** The conversation answers in a channel: the bot follows it (web messages are posted into the channel). */
      follow(conversationId: string): void;
      /** Remembers which Discord message shows a reply, for Discord replies to it (see DiscordService). */
      recordReplyMessage?(messageId: string, discordMessageId: string): Promise<void>;
      editIntervalMs?: number;
    },
  ) {}

  /**
   * Starts the turn; resolves once it is under way (its replies then stream into the channel on their own), with
   * what to tell the person when it could not start (a daily limit reached, a refusal), or null.
   */
  async start(request: ChannelTurnRequest): Promise<Refusal | null> {
    const { chat, voices, metrics } = this.dependencies;
    this.dependencies.follow(request.conversationId);
    const turn = new DiscordTurn({
      voiceFor: (author) => voices.voiceFor(request.channelId, author),
      authorOf: (modelId) => modelAuthor(this.dependencies.models, modelId),
      metrics,
      arrivedAt: request.arrivedAt,
      editIntervalMs: this.dependencies.editIntervalMs,
      posted: (messageId, discordMessageId) =>
        void this.dependencies
          .recordReplyMessage?.(messageId, discordMessageId)
          .catch((error: unknown) => logError(`recording Discord message ${discordMessageId} failed`, error)),
    });
    // The replies are read from the typed events; the web's stream of the same turn is not read here.
    const unread = new AbortController();
    try {
      await chat.submit({
        actor: request.actor,
        conversationId: request.conversationId,
        clientMessageId: request.discordId,
        parts: [{ type: 'text', text: request.text }],
        threadId: request.threadId,
        modelIds: request.modelIds,
        listeners: [turn.listener],
        signal: unread.signal,
      });
    } catch (error) {
      return refusalOf(error, metrics);
    } finally {
      unread.abort();
    }
    // Delivered again (a gateway replay): the message was saved and answered the first time.
    if (!turn.turnStarted) return null;
    const done = turn.done
      .then(async () => {
        // A turn that failed before any reply began says so as the bot itself.
        const failure = turn.unshownFailure;
        if (failure) await (await voices.voiceFor(request.channelId, BOT_AUTHOR)).post(failure);
      })
      .catch((error: unknown) => logError('a failed Discord turn could not be reported', error))
      .finally(() => this.running.delete(done));
    this.running.add(done);
    return null;
  }

  /** Settles when the replies being written now are complete in Discord, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}

/** A turn that could not start, said politely and briefly; anything unexpected is logged, never shown. */
export function refusalOf(error: unknown, metrics?: BotMetrics): Refusal {
  if (error instanceof AppError) {
    if (error.code === 'rate_limited') {
      return { text: "You've reached today's message limit, sorry. It resets at midnight UTC." };
    }
    if (error.code === 'unavailable') {
      return { text: 'The server is busy right now; please try again in a moment.' };
    }
    return { text: `⚠️ ${error.message}` };
  }
  metrics?.count('errors');
  logError('a Discord message could not be answered', error);
  return { text: '⚠️ Something went wrong; please try again.' };
}
