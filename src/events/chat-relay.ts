// What the chat engine tells a conversation's participants: a person's message once saved, and each turn's UI
// message chunks (every model's reply) turned into conversation events. A reply's first words and every other event
// go out at once; the text deltas after them are coalesced over a short window — every model's tokens of that
// window go out as one publish batch (one Redis round trip), and each reply's tokens in it as one event — while the
// person who asked still reads every chunk on the reply stream itself.
import type { UIMessageChunk } from 'ai';
import type { ReplySummary } from '../chat/reply.ts';
import { logError } from '../loggable-error.ts';
import type { Actor, PersonCard } from '../store/actor.ts';
import type { Message } from '../store/messages.ts';
import type { User } from '../store/users.ts';
import type { ConversationEvent, ConversationEventOf } from './conversation-event.ts';
import type { ConversationEvents } from './conversation-events.ts';

/** How long text deltas wait to be sent together: ~20 updates a second, smooth to read. */
export const DELTA_WINDOW_MS = 50;

type Sender = Pick<User, 'id'> & PersonCard;

export function messageCreatedEvent(message: Message, sender: Sender | null): ConversationEventOf<'message-created'> {
  return {
    type: 'message-created',
    message: {
      id: message.id,
      role: message.role,
      parentId: message.parentId,
      senderId: message.senderId,
      content: message.content,
      parts: message.parts,
      attachments: message.attachments,
      createdAt: message.createdAt.toISOString(),
    },
    sender: sender && { id: sender.id, name: sender.displayName ?? sender.username, avatarUrl: sender.avatarUrl },
  };
}

/**
 * Publishes a person's saved message; a failure is logged, never undoes the message. The sender is looked up
 * unless `author` (who sent it) brought their card along.
 */
export async function announceMessage(
  events: ConversationEvents,
  users: { getById(id: string): Promise<User> },
  message: Message,
  author?: Actor,
): Promise<void> {
  try {
    const known = author?.card && author.id === message.senderId ? { id: author.id, ...author.card } : undefined;
    const sender = message.senderId ? (known ?? (await users.getById(message.senderId))) : null;
    events.publish(message.conversationId, messageCreatedEvent(message, sender));
  } catch (error) {
    logError(`announcing message ${message.id} failed`, error);
  }
}

/**
 * A sink for one turn's chunks, answering the person's message `parentId`. The turn's last chunk (`finish`, or
 * `error` when it fails) sends whatever waits at once.
 */
export function relayTurn(
  events: ConversationEvents,
  turn: { conversationId: string; parentId: string },
  windowMs = DELTA_WINDOW_MS,
): (chunk: UIMessageChunk) => void {
  const modelOfReply = new Map<string, string>();
  const repliesStarted = new Set<string>();
  const batch = new EventBatch();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    for (const event of batch.take()) events.publish(turn.conversationId, event);
  };
  return (chunk) => {
    const event = eventOfChunk(chunk, turn.parentId, modelOfReply);
    if (!event) return;
    batch.add(event);
    // Only the deltas after a reply's first wait: the first words show at once, like everything that is not text.
    const isFollowingDelta = event.type === 'reply-delta' && repliesStarted.has(event.messageId);
    if (event.type === 'reply-delta') repliesStarted.add(event.messageId);
    if (isFollowingDelta) timer ??= setTimeout(flush, windowMs);
    else flush();
  };
}

/** The conversation event a chunk stands for, if any; `modelOfReply` remembers which model writes which reply. */
export function eventOfChunk(
  chunk: UIMessageChunk,
  parentId: string,
  modelOfReply: Map<string, string>,
): ConversationEvent | null {
  switch (chunk.type) {
    case 'data-reply': {
      const summary = chunk.data as ReplySummary;
      const { messageId, modelId } = summary;
      modelOfReply.set(messageId, modelId);
      if (summary.status === 'streaming') return { type: 'reply-created', messageId, modelId, parentId };
      const { inputTokens, outputTokens, cachedInputTokens, costUsd, latencyMs, error } = summary;
      return {
        type: 'reply-finished',
        messageId,
        modelId,
        status: summary.status,
        inputTokens,
        outputTokens,
        cachedInputTokens,
        costUsd,
        latencyMs,
        error,
      };
    }
    case 'text-delta':
      return {
        type: 'reply-delta',
        messageId: chunk.id,
        modelId: modelOfReply.get(chunk.id) ?? '',
        delta: chunk.delta,
      };
    case 'source-url': {
      const tag = chunk.providerMetadata?.chorus as { messageId?: string; modelId?: string } | undefined;
      if (!tag?.messageId || !tag.modelId) return null;
      return {
        type: 'reply-source',
        messageId: tag.messageId,
        modelId: tag.modelId,
        url: chunk.url,
        title: chunk.title,
      };
    }
    case 'error':
      return { type: 'turn-error', parentId, error: chunk.errorText };
    case 'finish':
      return { type: 'turn-finished', parentId };
    default:
      return null;
  }
}

/** Events waiting to go out. A reply's deltas in a row merge into one; anything else about it ends the run. */
class EventBatch {
  private events: ConversationEvent[] = [];
  private readonly openDeltas = new Map<string, ConversationEventOf<'reply-delta'>>();

  add(event: ConversationEvent): void {
    if (event.type === 'reply-delta') {
      const open = this.openDeltas.get(event.messageId);
      if (open) {
        open.delta += event.delta;
        return;
      }
      const run = { ...event };
      this.openDeltas.set(event.messageId, run);
      this.events.push(run);
      return;
    }
    if ('messageId' in event) this.openDeltas.delete(event.messageId);
    this.events.push(event);
  }

  take(): ConversationEvent[] {
    const taken = this.events;
    this.events = [];
    this.openDeltas.clear();
    return taken;
  }
}
