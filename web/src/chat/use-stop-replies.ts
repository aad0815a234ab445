// Stopping the replies: the server keeps what each model said (status stopped) and ends the stream; if it does not
// close within a grace period (or the stop request fails) the page stops reading anyway. Esc stops too, wherever
// the focus is, unless a dialog or an open menu takes the key.
import { useEffect, useRef } from 'react';
import { apiRequest } from '../api.ts';

const STOP_GRACE_MS = 3_000;

export function useStopReplies(conversationId: string, busy: boolean, stopReading: () => Promise<void>) {
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef({ conversationId, stopReading });
  latest.current = { conversationId, stopReading };

  const stop = useRef(async () => {
    const { conversationId: id, stopReading: abort } = latest.current;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void latest.current.stopReading(), STOP_GRACE_MS);
    try {
      await apiRequest('POST', `/api/chat/${id}/stop`);
    } catch {
      void abort();
    }
  }).current;

  useEffect(() => {
    if (!busy) {
      window.clearTimeout(timer.current);
      return;
    }
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !document.querySelector('dialog[open], details[open]')) void stop();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [busy, stop]);

  return stop;
}
