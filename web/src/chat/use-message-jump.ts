// Showing the message the address names (#m-<id>, as a search hit links it): earlier pages are loaded until it is
// among the messages shown, then it is scrolled to the middle of the thread and outlined.
import { type RefObject, useEffect, useRef } from 'react';
import { useLocationHash } from '../router.ts';
import type { ChorusMessage } from '../types.ts';
import type { OlderMessages } from './MessageList.tsx';

/** A search hit deep in a long conversation: at most this many earlier pages are loaded looking for it. */
const MAX_PAGES_LOOKED_THROUGH = 40;

type Options = {
  scroller: RefObject<HTMLElement | null>;
  messages: ChorusMessage[];
  older: OlderMessages;
};

export function useMessageJump({ scroller, messages, older }: Options) {
  const hash = useLocationHash();
  const target = hash.startsWith('m-') ? hash.slice(2) : null;
  const pagesLoaded = useRef(0);
  const shown = useRef<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies(messages): each page that arrives is looked through
  useEffect(() => {
    if (!target || shown.current === target) return;
    const element = scroller.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(target)}"]`);
    if (element) {
      shown.current = target;
      pagesLoaded.current = 0;
      for (const previous of scroller.current?.querySelectorAll('.message.found') ?? []) {
        previous.classList.remove('found');
      }
      element.classList.add('found');
      element.scrollIntoView({ block: 'center' });
      return;
    }
    if (older.cursor && !older.loading && pagesLoaded.current < MAX_PAGES_LOOKED_THROUGH) {
      pagesLoaded.current += 1;
      void older.load();
    }
  }, [target, messages, older.cursor, older.loading, older.load, scroller]);
}
