// Posting in a thread: the message a person names (`threadId`) must be one of the conversation's. A thread hangs on a
// main-conversation message; naming a message inside a thread posts in that same thread (threads do not nest).
import { AppError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import type { ThreadStore } from '../store/threads.ts';

/** The root of the thread a new message goes in: null without `threadId`; invalid input naming the field if unknown. */
export async function threadRootFor(
  threads: Pick<ThreadStore, 'findRoot'>,
  actor: Actor,
  conversationId: string,
  threadId: string | undefined,
): Promise<string | null> {
  if (threadId === undefined) return null;
  const root = await threads.findRoot({ actor, conversationId, messageId: threadId });
  if (root) return root;
  throw new AppError('invalid_input', `threadId: message ${threadId} is not a message of this conversation`, {
    details: { field: 'threadId' },
  });
}
