// The thread panel's place in the chat: which message's thread is open, the conversation's events handed on to it,
// and the panel itself, loaded on demand the first time a thread opens.
import { lazy, Suspense, useCallback, useRef, useState } from 'react';
import type { ConversationEvent } from '../types.ts';
import type { ThreadEventListener, ThreadPanelProps } from './ThreadPanel.tsx';
import { threadViews } from './thread-views.ts';

const ThreadPanel = lazy(() => import('./ThreadPanel.tsx').then((module) => ({ default: module.ThreadPanel })));

/** The open thread (the message it hangs on, or null) and the ways to open and close it. */
export function useThreadPanel() {
  const [messageId, setMessageId] = useState<string | null>(null);
  const events = useRef<ThreadEventListener | undefined>(undefined);
  const close = useCallback(() => setMessageId(null), []);
  const onEvent = useCallback((event: ConversationEvent) => events.current?.(event), []);
  return { messageId, open: setMessageId, close, events, onEvent };
}

type SlotProps = Omit<ThreadPanelProps, 'messageId' | 'events' | 'views' | 'onClose'> & {
  state: ReturnType<typeof useThreadPanel>;
};

export function ThreadPanelSlot({ state, ...props }: SlotProps) {
  if (!state.messageId) return null;
  return (
    <Suspense fallback={null}>
      <ThreadPanel
        {...props}
        messageId={state.messageId}
        events={state.events}
        views={threadViews}
        onClose={state.close}
      />
    </Suspense>
  );
}
