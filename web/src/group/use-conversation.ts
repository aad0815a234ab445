// The conversation's details (models, people, reply settings, visibility), loaded once it exists and again on
// demand; a change the API answered with the new details replaces them directly.
import { useCallback, useEffect, useState } from 'react';
import type { ConversationDetails } from '../types.ts';
import { loadConversation } from './conversation-api.ts';

export function useConversationDetails(conversationId: string, exists: boolean) {
  const [details, setDetails] = useState<ConversationDetails | null>(null);
  // Only the first load of a saved conversation: until then it is not known whether the reader may write.
  const [loading, setLoading] = useState(exists);
  const reload = useCallback(async () => {
    try {
      setDetails(await loadConversation(conversationId));
    } catch {
      // Not there (yet) or no longer readable: the chat still works without the group's details.
      setDetails(null);
    } finally {
      setLoading(false);
    }
  }, [conversationId]);
  useEffect(() => {
    if (exists) void reload();
  }, [exists, reload]);
  return { details, loading, reload, replace: setDetails };
}
