// Older messages, a page at a time (GET …/messages?before=<cursor>), put above what is shown. The reader keeps
// their place: the thread is scrolled by exactly the height the older page added.
import { type RefObject, useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { ChorusMessage } from '../types.ts';
import { fetchThread, type Thread } from './thread.ts';
import { prependOlder } from './thread-pages.ts';

type Options = {
  conversationId: string;
  initialCursor: string | null;
  scroller: RefObject<HTMLElement | null>;
  messages: ChorusMessage[];
  setMessages: (messages: ChorusMessage[]) => void;
  /** Replies are streaming: the thread's end is useChat's, so nothing is put into it meanwhile. */
  busy: boolean;
  onPage: (page: Thread) => void;
};

export function useOlderMessages({
  conversationId,
  initialCursor,
  scroller,
  messages,
  setMessages,
  busy,
  onPage,
}: Options) {
  const [cursor, setCursor] = useState(initialCursor);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  /** Where the reader was before an older page went above `shownBefore`, the messages shown then. */
  const restore = useRef<{ height: number; top: number; shownBefore: ChorusMessage[] } | null>(null);
  const latest = useRef({ messages, setMessages, onPage });
  latest.current = { messages, setMessages, onPage };

  const load = useCallback(async () => {
    if (!cursor || loading || busy) return;
    setLoading(true);
    setProblem(null);
    try {
      const page = await fetchThread(conversationId, cursor);
      const element = scroller.current;
      if (element) {
        restore.current = {
          height: element.scrollHeight,
          top: element.scrollTop,
          shownBefore: latest.current.messages,
        };
      }
      latest.current.setMessages(prependOlder(page.messages, latest.current.messages));
      latest.current.onPage(page);
      setCursor(page.olderCursor);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setLoading(false);
    }
  }, [conversationId, cursor, loading, busy, scroller]);

  // Before the browser paints the taller thread, move down by what was added above.
  useLayoutEffect(() => {
    const element = scroller.current;
    const saved = restore.current;
    if (!element || !saved || messages === saved.shownBefore) return;
    restore.current = null;
    element.scrollTop = element.scrollHeight - saved.height + saved.top;
  }, [messages, scroller]);

  return { cursor, setCursor, loading, problem, load };
}
