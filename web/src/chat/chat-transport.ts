// How useChat talks to POST /api/chat: only the newest message goes (the server keeps the history), with what
// the page has chosen at the moment the request leaves: the models to answer, web search.
import { DefaultChatTransport } from 'ai';
import type { ChatRequestExtras, ChorusMessage } from '../types.ts';

/** `extras` is read when each request is made. */
export function createChatTransport(extras: () => ChatRequestExtras) {
  return new DefaultChatTransport<ChorusMessage>({
    api: '/api/chat',
    prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => {
      const last = messages.at(-1);
      // Only what the server reads: an edit's message also carries useChat's `messageId`.
      const message = last && { id: last.id, role: last.role, parts: last.parts };
      return { body: { id, message, trigger, messageId, ...extras() } };
    },
  });
}

/** The transport's error carries the response body: show the API's message, not its JSON. */
export function describeChatError(error: Error): string {
  try {
    const body = JSON.parse(error.message) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // Not JSON: the message is already words.
  }
  return error.message || 'The reply failed.';
}
