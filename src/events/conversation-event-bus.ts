// Live events of conversations: what one participant's action or a model's reply tells everyone following the
// conversation, on this process or (with REDIS_URL) any other. Each conversation keeps a short history, so a
// client that reconnects with the id of the last event it saw misses nothing.
import type { ConversationEvent, DeliveredEvent } from './conversation-event.ts';

export interface ConversationEvents {
  /** Adds an event to the conversation's history and delivers it to its subscribers. Order is kept per process. */
  publish(conversationId: string, event: ConversationEvent): void;
  /**
   * For an event only of passing interest (a reply's text as it streams): when nobody has followed the conversation
   * since its history began here and no other process may follow it, leaves the event out and returns true; a
   * subscriber resuming from a position before it then gets a `reset`. Returns false (publish it) otherwise.
   */
  leftOutUnfollowed(conversationId: string): boolean;
  /** The id of the conversation's newest event: a position to follow from that misses nothing after it. */
  latestId(conversationId: string): Promise<string>;
  /**
   * Every event after `afterId` (null: from now), then each new one until `signal` aborts. An id that is no longer
   * in the history (too old, malformed, from before a restart) yields a `reset` first, then the new events.
   */
  subscribe(conversationId: string, afterId: string | null, signal: AbortSignal): AsyncIterable<DeliveredEvent>;
  /** Ends every subscription (the server is shutting down); publishing still works. */
  endSubscriptions(): void;
  close(): Promise<void>;
}
