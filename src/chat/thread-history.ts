// Which messages a turn's models are shown. A conversation has a main line and threads hanging on its messages: a
// turn in the main line sees the main line only (no thread's messages); a turn in a thread sees the main line up to
// and including the message the thread hangs on, then the thread — never what the main line or other threads said
// later. The choice is a pure function; reading the candidates is the one I/O around it.
import type { Actor } from '../store/actor.ts';
import type { Store } from '../store/index.ts';
import type { Message } from '../store/messages.ts';
import { HISTORY_MESSAGE_LIMIT } from './history.ts';

type Ordered = Pick<Message, 'id' | 'createdAt' | 'threadRootId'>;

/** Conversation order: by time, then by id (ids made in one millisecond sort in the order they were made). */
const compareInConversation = (a: Ordered, b: Ordered) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The history a turn's models read, oldest first, chosen from `candidates` (any messages of the conversation, in any
 * order). `threadRootId` null: the main line's newest `limit` messages. Otherwise the thread's newest messages and,
 * before them, the newest main-line messages up to and including the root, `limit` in all; the thread comes first
 * when there is not room for both, its root next.
 */
export function historyForTurn<Candidate extends Ordered>(
  candidates: readonly Candidate[],
  threadRootId: string | null,
  limit = HISTORY_MESSAGE_LIMIT,
): Candidate[] {
  const sorted = [...candidates].sort(compareInConversation);
  const mainLine = sorted.filter((message) => message.threadRootId === null);
  if (threadRootId === null) return mainLine.slice(-limit);
  const thread = sorted.filter((message) => message.threadRootId === threadRootId).slice(-limit);
  const root = mainLine.find((message) => message.id === threadRootId);
  if (!root) return thread;
  const upToRoot = mainLine.filter((message) => compareInConversation(message, root) <= 0);
  const room = Math.max(1, limit - thread.length);
  return [...upToRoot.slice(-room), ...thread.slice(-(limit - 1))];
}

/** Reads the candidates of a turn's history (store/threads.ts for a thread) and chooses among them. */
export async function readTurnHistory(
  store: Pick<Store, 'messages' | 'threads'>,
  actor: Actor,
  conversationId: string,
  threadRootId: string | null,
): Promise<Message[]> {
  if (threadRootId === null) {
    const page = await store.messages.page({ actor, conversationId, limit: HISTORY_MESSAGE_LIMIT });
    return historyForTurn(page.items, null);
  }
  const candidates = await store.threads.contextOf({
    actor,
    conversationId,
    rootId: threadRootId,
    limit: HISTORY_MESSAGE_LIMIT,
  });
  return historyForTurn(candidates, threadRootId);
}
