// A turn told to everyone following its conversation: its typed events (chat/turn-events.ts) become conversation
// events. A reply's first words and every other event go out at once; the text after them is coalesced over a
// short window — every model's text of that window goes out as one publish batch (one Redis round trip), and each
// reply's text in it as one event — while the person who asked still reads every chunk on the reply stream itself.
import type { TurnContext, TurnEvent, TurnSubscriber } from '../chat/turn-events.ts';
import type { ConversationEvent, ConversationEventOf } from './conversation-event.ts';
import type { ConversationEvents } from './conversation-event-bus.ts';

/** How long text deltas wait to be sent together: ~20 updates a second, smooth to read. */
export const DELTA_WINDOW_MS = 50;

/**
 * Publishes each turn's events to its conversation. The turn's last event (`turn-finished` or `turn-failed`), like
 * anything but text, sends whatever waits at once.
 */
export function relayTurns(events: ConversationEvents, windowMs = DELTA_WINDOW_MS): TurnSubscriber {
  return (turn) => {
    const repliesStarted = new Set<string>();
    const batch = new EventBatch();
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      for (const event of batch.take()) events.publish(turn.conversationId, event);
    };
    return (turnEvent) => {
      // A reply's text as it streams is of no use to a conversation nobody follows (a new chat, most often; see
      // docs/performance.md, "No live text for a conversation nobody follows").
      if (turnEvent.type === 'reply-text' && events.leftOutUnfollowed(turn.conversationId)) return;
      const conversationEvents = conversationEventsOf(turnEvent, turn);
      if (conversationEvents.length === 0) return;
      for (const event of conversationEvents) batch.add(event);
      // Only the text after a reply's first waits: the first words show at once, like everything that is not text.
      const isFollowingText = turnEvent.type === 'reply-text' && repliesStarted.has(turnEvent.messageId);
      if (turnEvent.type === 'reply-text') repliesStarted.add(turnEvent.messageId);
      if (isFollowingText) timer ??= setTimeout(flush, windowMs);
      else flush();
    };
  };
}

/** The conversation events a turn event stands for, in order (none for what only the reply stream shows). */
export function conversationEventsOf(
  event: TurnEvent,
  turn: Pick<TurnContext, 'parentId' | 'threadRootId'>,
): ConversationEvent[] {
  const { parentId, threadRootId } = turn;
  switch (event.type) {
    case 'reply-started': {
      const { messageId, modelId } = event;
      return [{ type: 'reply-created', messageId, modelId, parentId: event.parentId, threadRootId }];
    }
    case 'reply-text':
      return [{ type: 'reply-delta', messageId: event.messageId, modelId: event.modelId, delta: event.text }];
    case 'reply-source': {
      const { messageId, modelId, url, title } = event;
      return [{ type: 'reply-source', messageId, modelId, url, title }];
    }
    case 'reply-tool-call': {
      const { messageId, modelId, toolCallId, toolName, input } = event;
      return [{ type: 'reply-tool-call', messageId, modelId, toolCallId, toolName, input }];
    }
    case 'reply-tool-result': {
      const { messageId, modelId, outcome } = event;
      const { toolCallId, toolName } = outcome;
      const ending = 'errorText' in outcome ? { errorText: outcome.errorText } : { output: outcome.output };
      return [{ type: 'reply-tool-result', messageId, modelId, toolCallId, toolName, ...ending }];
    }
    case 'reply-finished': {
      const { messageId, modelId, status, inputTokens, outputTokens, cachedInputTokens, costUsd, latencyMs, error } =
        event.summary;
      if (status === 'streaming') return [];
      return [
        {
          type: 'reply-finished',
          messageId,
          modelId,
          status,
          inputTokens,
          outputTokens,
          cachedInputTokens,
          costUsd,
          latencyMs,
          error,
        },
      ];
    }
    case 'turn-finished':
      return [
        ...(event.errorText === undefined ? [] : [{ type: 'turn-error' as const, parentId, error: event.errorText }]),
        { type: 'turn-finished', parentId },
      ];
    case 'turn-failed':
      return [{ type: 'turn-error', parentId, error: event.errorText }];
    case 'turn-started':
    case 'reply-text-ended':
    // A document's text as a tool writes it is the requester's to watch; followers see the document once saved.
    case 'reply-tool-progress':
      return [];
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
