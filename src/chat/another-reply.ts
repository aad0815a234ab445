// "Ask another model": one more reply to a person's message, from a model picked on the spot, beside the replies it
// already has (a regeneration replaces them instead). Only the newest message of its line (the main conversation, or
// its thread) can gain a reply: one added further back would sit after messages that were written without it, and
// the models answering those never saw it.
import { AppError } from '../errors.ts';
import type { Message } from '../store/messages.ts';

/**
 * What the added reply's model is sent: the conversation up to and including `prompt`, without the replies it
 * already has, so the new model answers the message afresh as the first ones did. `history` is its line's newest
 * messages, oldest first (see thread-history.ts). A conflict when a person wrote after `prompt` in that line.
 */
export function historyForAnotherReply(history: readonly Message[], prompt: Pick<Message, 'id'>): Message[] {
  const at = history.findIndex((message) => message.id === prompt.id);
  const later = at < 0 ? [] : history.slice(at + 1);
  if (at < 0 || later.some((message) => message.role === 'user')) {
    throw new AppError(
      'conflict',
      'only the newest message can be asked of another model; regenerate an earlier reply to redo it',
    );
  }
  return history.slice(0, at + 1);
}
