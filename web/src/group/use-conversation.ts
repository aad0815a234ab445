// The conversation's details (models, people, reply settings), loaded once it exists and again on demand.
import { useCallback, useEffect, useState } from 'react';
import { type ConversationDetails, loadConversation } from './conversation-api.ts';

export function useConversationDetails(conversationId: string, exists: boolean) {
  const [details, setDetails] = useState<ConversationDetails | null>(null);
  const reload = useCallback(async () => {
    try {
      setDetails(await loadConversation(conversationId));
    } catch {
      // Not there (yet) or no longer readable: the chat still works without the group's details.
      setDetails(null);
    }
  }, [conversationId]);
  useEffect(() => {
    if (exists) void reload();
  }, [exists, reload]);
  return { details, reload };
}
