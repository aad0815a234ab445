// What the reader may do with the chat's messages (none for someone who only reads): edit their own, regenerate the
// newest replies, or ask another model to answer the newest message beside them.
import type { useChat } from '@ai-sdk/react';
import { useState } from 'react';
import { apiStart } from '../api.ts';
import type { ChorusMessage, PickableModel } from '../types.ts';
import type { MessageActions } from './MessageList.tsx';

type Options = {
  chat: ReturnType<typeof useChat<ChorusMessage>>;
  conversationId: string;
  models: PickableModel[];
  readOnly: boolean;
};

export function useMessageActions({ chat, conversationId, models, readOnly }: Options) {
  // Why asking another model failed: its request is the page's own, not useChat's.
  const [askProblem, setAskProblem] = useState<string | null>(null);
  const actions: MessageActions | null = readOnly
    ? null
    : {
        // An edit keeps the message's files: only its words change.
        onEdit: (message, text) =>
          void chat.sendMessage({
            id: crypto.randomUUID(),
            role: 'user',
            parts: [{ type: 'text', text }, ...message.parts.filter((part) => part.type === 'file')],
            messageId: message.id,
          }),
        onRegenerate: (messageId) => void chat.regenerate({ messageId }),
        anotherModels: models,
        // The request only starts the reply; the chat follows it as it follows any running reply, which adds it to
        // the turn on screen beside the replies there.
        onAskAnother: (messageId, modelId) => {
          setAskProblem(null);
          apiStart('POST', `/api/chat/${conversationId}/replies`, { messageId, modelId })
            .then(() => chat.resumeStream())
            .catch((error: unknown) => setAskProblem(error instanceof Error ? error.message : String(error)));
        },
      };
  return { actions, askProblem, clearAskProblem: () => setAskProblem(null) };
}
