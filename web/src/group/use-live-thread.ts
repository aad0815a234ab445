// Keeps the thread live for everyone in the conversation: other people's messages and every model's reply arrive
// through the events stream. A reply's text is patched in as it comes; anything else refetches the thread (once
// per burst). While this page streams its own turn through useChat, that stream is the source and events wait. A
// thread's messages are not the thread shown here: they only refetch it, for the count under their message.
import { useCallback, useEffect, useRef } from 'react';
import { fetchThread, type Thread } from '../chat/thread.ts';
import { withNewestPage } from '../chat/thread-pages.ts';
import type { ChorusMessage, ConversationEvent } from '../types.ts';
import { endsStreamFor, useConversationEvents } from './conversation-events.ts';
import { type ToolEvent, withReplyDelta, withToolEvent } from './live-thread.ts';

/** Events of one burst (a turn starting, replies finishing) lead to one refetch. */
const REFETCH_DELAY_MS = 120;

/** Why this reader is no longer in the conversation. */
export type Departure = 'removed' | 'left' | 'deleted';

type Options = {
  conversationId: string;
  viewerId: string;
  enabled: boolean;
  /** This page is streaming its own turn. */
  busy: boolean;
  messages: ChorusMessage[];
  setMessages: (messages: ChorusMessage[]) => void;
  /** A refetched newest page; `keptOlder`: the older messages shown stay (else only this page is shown now). */
  onThread: (thread: Thread, keptOlder: boolean) => void;
  onMembersChanged: () => void;
  onDeparted: (departure: Departure) => void;
  /** Told every event too (the thread panel beside the chat follows the same stream). */
  onEvent?: (event: ConversationEvent) => void;
};

export function useLiveThread({
  conversationId,
  viewerId,
  enabled,
  busy,
  messages,
  setMessages,
  onThread,
  onMembersChanged,
  onDeparted,
  onEvent,
}: Options) {
  const state = useRef({
    busy,
    messages,
    setMessages,
    onThread,
    onMembersChanged,
    onDeparted,
    timer: undefined as number | undefined,
    stale: false,
    // The tool calls of the turn under way: a refetch made before they were saved would lose them, so they are
    // patched into every refetched thread until the turn ends (when the saved replies hold them).
    toolEvents: [] as ToolEvent[],
    threadReplies: new Set<string>(),
  });
  Object.assign(state.current, { busy, messages, setMessages, onThread, onMembersChanged, onDeparted });

  const refetchSoon = useCallback(() => {
    const current = state.current;
    window.clearTimeout(current.timer);
    current.timer = window.setTimeout(() => {
      if (current.busy) {
        current.stale = true;
        return;
      }
      fetchThread(conversationId)
        .then((thread) => {
          if (current.busy) return;
          // The newest page replaces the end of the thread; older pages the reader loaded stay above it.
          const newest = withNewestPage(current.messages, thread.messages);
          const messages = current.toolEvents.reduce(
            (shown, event) => withToolEvent(shown, event) ?? shown,
            newest.messages,
          );
          const { keptOlder } = newest;
          current.messages = messages;
          current.setMessages(messages);
          current.onThread(thread, keptOlder);
        })
        .catch(() => {
          // The next event (or the stream's reconnection) tries again.
        });
    }, REFETCH_DELAY_MS);
  }, [conversationId]);

  // What happened while this page streamed its own turn (another person wrote meanwhile) is fetched after it.
  useEffect(() => {
    if (!busy && state.current.stale) {
      state.current.stale = false;
      refetchSoon();
    }
  }, [busy, refetchSoon]);
  useEffect(() => () => window.clearTimeout(state.current.timer), []);

  useConversationEvents(conversationId, viewerId, enabled, (event: ConversationEvent) => {
    const current = state.current;
    onEvent?.(event);
    if (endsStreamFor(event, viewerId)) {
      current.onDeparted(
        event.type === 'conversation-deleted' ? 'deleted' : event.type === 'member-left' ? 'left' : 'removed',
      );
      return;
    }
    switch (event.type) {
      case 'member-joined':
      case 'member-role-changed':
      case 'member-left':
      case 'member-removed':
      case 'model-added':
      case 'model-removed':
        current.onMembersChanged();
        return;
      case 'conversation-deleted':
        return;
      case 'turn-finished':
      case 'turn-error':
        current.toolEvents = [];
        if (current.busy) current.stale = true;
        else refetchSoon();
        return;
      case 'reply-created':
        if (event.threadRootId) current.threadReplies.add(event.messageId);
        if (current.busy) current.stale = true;
        else refetchSoon();
        return;
      case 'reply-delta':
      case 'reply-tool-call':
      case 'reply-tool-result': {
        // A thread's replies are the thread panel's to show; the list only counts them.
        if (current.busy || current.threadReplies.has(event.messageId)) return;
        if (event.type !== 'reply-delta') current.toolEvents.push(event);
        const patched =
          event.type === 'reply-delta'
            ? withReplyDelta(current.messages, event.messageId, event.delta)
            : withToolEvent(current.messages, event);
        if (patched) {
          current.messages = patched;
          current.setMessages(patched);
        } else refetchSoon();
        return;
      }
      default:
        if (current.busy) current.stale = true;
        else refetchSoon();
    }
  });
}
