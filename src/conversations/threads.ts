// Reading a thread: the messages that hang on one message of a conversation, for whoever may read the conversation
// (anyone else does not find it). Posting in a thread is sending a message (chat/thread-target.ts).
import type { Actor } from '../store/actor.ts';
import type { ConversationServiceDependencies } from './dependencies.ts';
import { type ShownMessage, type ShownMessages, showMessages } from './shown-messages.ts';

/** A thread ready to show: the message it hangs on (with the thread's summary), then its messages, oldest first. */
export type ShownThread = ShownMessages & { root: ShownMessage };

export class ThreadService {
  constructor(private readonly dependencies: ConversationServiceDependencies) {}

  /** The thread on `messageId`; a message inside a thread stands for that thread. Not-found for a non-reader. */
  async read({
    actor,
    conversationId,
    messageId,
  }: {
    actor: Actor;
    conversationId: string;
    messageId: string;
  }): Promise<ShownThread> {
    const thread = await this.dependencies.store.threads.read({ actor, conversationId, rootId: messageId });
    const shown = await showMessages(this.dependencies, actor, conversationId, [thread.root, ...thread.messages]);
    const [root, ...items] = shown.items;
    return { root: root!, items, deletedFileIds: shown.deletedFileIds };
  }
}
