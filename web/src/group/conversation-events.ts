// The conversation live (GET /api/conversations/:id/events, Server-Sent Events): every participant hears what
// happens as it happens. EventSource reconnects by itself and resumes with Last-Event-ID, so nothing is missed.
import { useEffect, useRef } from 'react';
import type { ConversationEvent } from '../types.ts';

/** The event that ends this reader's stream: the conversation is gone, or they are no longer in it. */
export function endsStreamFor(event: ConversationEvent, viewerId: string): boolean {
  if (event.type === 'conversation-deleted') return true;
  return (event.type === 'member-removed' || event.type === 'member-left') && event.userId === viewerId;
}

/** Calls `onEvent` for each event while `enabled` (the conversation exists: before that the stream is a 404). */
export function useConversationEvents(
  conversationId: string,
  viewerId: string,
  enabled: boolean,
  onEvent: (event: ConversationEvent) => void,
) {
  // The newest handler, without reopening the stream each render.
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(`/api/conversations/${conversationId}/events`);
    source.onmessage = (message: MessageEvent<string>) => {
      // The first frame of a stream is id-only (the current position): nothing to parse.
      if (!message.data) return;
      let event: ConversationEvent;
      try {
        event = JSON.parse(message.data) as ConversationEvent;
      } catch {
        return;
      }
      // The server ends the stream after the event that removes us; EventSource must not reconnect then (a 404).
      if (endsStreamFor(event, viewerId)) source.close();
      handler.current(event);
    };
    return () => source.close();
  }, [conversationId, viewerId, enabled]);
}
