// The conversation events the configuration asks for: on Redis when REDIS_URL is set (shared by every server
// process), else in this process.
import type { ConversationEvents } from './conversation-event-bus.ts';
import { MemoryConversationEvents } from './memory-conversation-events.ts';
import { RedisConversationEvents } from './redis-conversation-events.ts';

export function createConversationEvents(env: { REDIS_URL?: string }): ConversationEvents {
  return env.REDIS_URL ? new RedisConversationEvents(env.REDIS_URL) : new MemoryConversationEvents();
}

export type { ConversationEvent, DeliveredEvent } from './conversation-event.ts';
export type { ConversationEvents } from './conversation-event-bus.ts';
