// Keeps the thread live for everyone in the conversation: other people's messages and every model's reply arrive
// through the events stream. A reply's text is patched in as it comes; anything else refetches the thread (once
// per burst). While this page streams its own turn through useChat, that stream is the source and events wait.
import { useCallback, useEffect, useRef } from 'react';
import { fetchThread, type Thread } from '../chat/thread.ts';
import type { ChorusMessage } from '../types.ts';
import { type ConversationEvent, useConversationEvents } from './conversation-events.ts';
import { withReplyDelta } from './live-thread.ts';

/** Events of one burst (a turn starting, replies finishing) lead to one refetch. */
const REFETCH_DELAY_MS = 120;

type Options = {
  conversationId: string;
  enabled: boolean;
  /** This page is streaming its own turn. */
  busy: boolean;
  messages: ChorusMessage[];
  setMessages: (messages: ChorusMessage[]) => void;
  onThread: (thread: Thread) => void;
  onMembersChanged: () => void;
};

export function useLiveThread({ conversationId, enabled, busy, messages, setMessages, onThread, onMembersChanged }: Options) {
  const state = useRef({ busy, messages, setMessages, onThread, onMembersChanged, timer: undefined as number | undefined, stale: false });
  Object.assign(state.current, { busy, messages, setMessages, onThread, onMembersChanged });

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
          current.setMessages(thread.messages);
          current.onThread(thread);
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

  useConversationEvents(conversationId, enabled, (event: ConversationEvent) => {
    const current = state.current;
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
      case 'reply-delta': {
        if (current.busy) return;
        const patched = withReplyDelta(current.messages, event.messageId, event.delta);
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
