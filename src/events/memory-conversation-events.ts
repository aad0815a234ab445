// Conversation events in this process only (no REDIS_URL): each conversation's recent events in memory, its
// subscribers woken as events arrive. Conversations quiet for longer than the history lasts are swept away.
import type { ConversationEvent, DeliveredEvent } from './conversation-event.ts';
import type { ConversationEvents } from './conversation-event-bus.ts';
import { compareEventIds, EventIdGenerator, parseEventId } from './event-ids.ts';
import { DEFAULT_HISTORY, followEvents, type HistoryLimits, noBackfill, RecentEvents } from './recent-events.ts';

const SWEEP_INTERVAL_MS = 60_000;

export class MemoryConversationEvents implements ConversationEvents {
  private readonly buffers = new Map<string, RecentEvents>();
  private readonly ids = new EventIdGenerator();
  /** Every event up to here whose buffer was swept is forgotten; a new buffer holds everything after it. */
  private forgottenThrough = this.ids.current();
  private readonly sweeper: NodeJS.Timeout;
  private ending = false;

  constructor(private readonly limits: HistoryLimits = DEFAULT_HISTORY) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  publish(conversationId: string, event: ConversationEvent): void {
    this.buffer(conversationId).append({ id: this.ids.next(), event });
  }

  leftOutUnfollowed(conversationId: string): boolean {
    const buffer = this.buffer(conversationId);
    if (buffer.followed) return false;
    // The id it would have had: a position handed out before it (in any conversation) is now behind the history.
    buffer.forgetThrough(this.ids.next());
    return true;
  }

  async latestId(conversationId: string): Promise<string> {
    // A position handed out is one a client may resume from: nothing after it may be left out.
    const buffer = this.buffer(conversationId);
    buffer.followed = true;
    return buffer.newestId;
  }

  async *subscribe(
    conversationId: string,
    afterId: string | null,
    signal: AbortSignal,
  ): AsyncGenerator<DeliveredEvent> {
    if (this.ending) return;
    const buffer = this.buffer(conversationId);
    buffer.subscribers += 1;
    buffer.followed = true;
    try {
      const from = afterId ?? buffer.newestId;
      // An id this process never handed out (another server's, or made up) cannot be resumed after.
      const known = parseEventId(from) !== null && compareEventIds(from, this.ids.current()) <= 0;
      yield* followEvents(buffer, { afterId: known ? from : buffer.newestId, reset: !known }, noBackfill, signal);
    } finally {
      buffer.subscribers -= 1;
    }
  }

  endSubscriptions(): void {
    this.ending = true;
    for (const buffer of this.buffers.values()) buffer.end();
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.endSubscriptions();
    this.buffers.clear();
  }

  private buffer(conversationId: string): RecentEvents {
    let buffer = this.buffers.get(conversationId);
    if (!buffer) {
      buffer = new RecentEvents(this.forgottenThrough, this.limits);
      this.buffers.set(conversationId, buffer);
    }
    return buffer;
  }

  /** Drops events past their age, and the buffers of conversations left with none and nobody following. */
  private sweep(now = Date.now()): void {
    for (const [conversationId, buffer] of this.buffers) {
      buffer.trim(now);
      if (buffer.size > 0 || buffer.subscribers > 0) continue;
      if (compareEventIds(buffer.newestId, this.forgottenThrough) > 0) this.forgottenThrough = buffer.newestId;
      this.buffers.delete(conversationId);
    }
  }
}
