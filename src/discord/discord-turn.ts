// A chat turn shown in a Discord channel: each model's reply as its own messages, named by its model, streamed as
// the turn's typed events (chat/turn-events.ts) arrive. The turn runs on the server whatever happens to the
// gateway; this only writes what it says, through Discord's REST API.
import type { ReplySummary } from '../chat/reply-summary.ts';
import type { TurnEvent, TurnListener } from '../chat/turn-events.ts';
import { logError } from '../loggable-error.ts';
import type { Author } from './author-names.ts';
import type { BotMetrics } from './bot-metrics.ts';
import { type ReplyVoice, StreamedReply } from './streamed-reply.ts';

export type DiscordTurnOptions = {
  /** A voice posting into the channel as `author`. */
  voiceFor(author: Author): Promise<ReplyVoice>;
  /** The model's name and avatar. */
  authorOf(modelId: string): Author;
  metrics: BotMetrics;
  /** performance.now() when the person's Discord message arrived: the latency to first words counts from it. */
  arrivedAt: number;
  /** The reply `messageId` is shown in Discord by `discordMessageId` (its first message). */
  posted?(messageId: string, discordMessageId: string): void;
  editIntervalMs?: number;
};

/** The line a reply that did not end well ends with: a short cause, never a stack. */
export function endingLine(summary: Pick<ReplySummary, 'status' | 'error' | 'truncated'>): string | undefined {
  if (summary.status === 'error') return `⚠️ *${oneLine(summary.error ?? 'the model could not answer')}*`;
  if (summary.status === 'stopped') return '*(stopped)*';
  return undefined;
}

export class DiscordTurn {
  private readonly replies = new Map<string, Promise<StreamedReply | null>>();
  private started = false;
  private failure: string | null = null;
  private firstWordsSeen = false;
  private finishTurn: (() => void) | null = null;
  /** Settles when every reply's last words are visible (or Discord refused them). */
  readonly done = new Promise<void>((resolve) => {
    this.finishTurn = resolve;
  });

  constructor(private readonly options: DiscordTurnOptions) {}

  /** Why the turn failed, when it failed before any reply could show it. */
  get unshownFailure(): string | null {
    return this.replies.size === 0 ? this.failure : null;
  }

  /** Whether the turn started: a message already answered (the same Discord message delivered again) starts none. */
  get turnStarted(): boolean {
    return this.started;
  }

  readonly listener: TurnListener = (event: TurnEvent) => {
    switch (event.type) {
      case 'turn-started':
        this.started = true;
        return;
      case 'reply-started':
        this.replyOf(event.messageId, event.modelId);
        return;
      case 'reply-text':
        void this.replyOf(event.messageId, event.modelId).then((reply) => reply?.append(event.text));
        return;
      case 'reply-finished': {
        const { summary } = event;
        void this.replyOf(summary.messageId, summary.modelId).then((reply) => reply?.finish(endingLine(summary)));
        if (summary.status === 'error') this.options.metrics.count('errors');
        return;
      }
      case 'turn-finished':
        void this.settleAll();
        return;
      case 'turn-failed':
        this.options.metrics.count('errors');
        this.failure = `⚠️ *${oneLine(event.errorText)}*`;
        void this.settleAll(this.failure);
        return;
      default:
        return;
    }
  };

  private replyOf(messageId: string, modelId: string): Promise<StreamedReply | null> {
    let reply = this.replies.get(messageId);
    if (!reply) {
      reply = this.openReply(messageId, modelId);
      this.replies.set(messageId, reply);
    }
    return reply;
  }

  private async openReply(messageId: string, modelId: string): Promise<StreamedReply | null> {
    const { metrics } = this.options;
    try {
      const voice = await this.options.voiceFor(this.options.authorOf(modelId));
      metrics.count('replies');
      return new StreamedReply(
        voice,
        {
          firstVisible: (discordMessageId) => {
            this.options.posted?.(messageId, discordMessageId);
            if (this.firstWordsSeen) return;
            this.firstWordsSeen = true;
            metrics.firstWordsAfter(performance.now() - this.options.arrivedAt);
          },
          edited: () => metrics.count('edits'),
          failed: () => metrics.count('errors'),
        },
        this.options.editIntervalMs,
      );
    } catch (error) {
      metrics.count('errors');
      logError(`no voice for model ${modelId} in a Discord channel`, error);
      return null;
    }
  }

  /** Every reply finished (a reply that never got its ending gets `ending`); then the turn is done. */
  private async settleAll(ending?: string): Promise<void> {
    const replies = await Promise.all(this.replies.values());
    await Promise.all(replies.map((reply) => reply?.finish(ending)));
    this.finishTurn?.();
  }
}

function oneLine(text: string): string {
  const first = text.split('\n')[0]!.trim();
  return first.length > 300 ? `${first.slice(0, 299)}…` : first;
}
