// What it takes to show messages to a reader, looked up once for a whole list rather than per message: the names of
// the models that wrote them, the reader's votes, files since deleted, and how far each message's thread has got.
import { fileIdsOfStoredParts } from '../files/message-files.ts';
import type { Actor } from '../store/actor.ts';
import type { Message, ModelName } from '../store/messages.ts';
import type { ThreadSummary } from '../store/threads.ts';
import type { Vote } from '../store/votes.ts';
import type { ConversationServiceDependencies } from './dependencies.ts';

/**
 * A message with what it takes to show it to the actor: the model that wrote it, the actor's vote on it, and the
 * thread hanging on it, if any.
 */
export type ShownMessage = { message: Message; model?: ModelName; vote?: Vote; thread?: ThreadSummary };

/** Messages ready to show; `deletedFileIds`: files they carry that their uploader has since deleted. */
export type ShownMessages = { items: ShownMessage[]; deletedFileIds: ReadonlySet<string> };

export async function showMessages(
  { store, files }: Pick<ConversationServiceDependencies, 'store' | 'files'>,
  actor: Actor,
  conversationId: string,
  messages: Message[],
): Promise<ShownMessages> {
  const mainLineIds = messages.flatMap((message) => (message.threadRootId === null ? [message.id] : []));
  const [modelNames, votes, deletedFileIds, threads] = await Promise.all([
    store.messages.modelNames(messages.flatMap((message) => (message.modelId ? [message.modelId] : []))),
    store.votes.listMine({ actor, conversationId, messageIds: messages.map((message) => message.id) }),
    files.findDeleted(fileIdsOfStoredParts(messages)),
    store.threads.summaries({ actor, conversationId, rootIds: mainLineIds }),
  ]);
  const voteByMessage = new Map(votes.map((vote) => [vote.messageId, vote]));
  const items = messages.map((message) => ({
    message,
    model: message.modelId ? modelNames.get(message.modelId) : undefined,
    vote: voteByMessage.get(message.id),
    thread: threads.get(message.id),
  }));
  return { items, deletedFileIds };
}
