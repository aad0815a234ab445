// Votes on model replies: one up or down per person per reply. Votes rate the models, so casting one takes part in
// the conversation: it needs write access, and a reader of a public conversation who is not in it is refused.
// Reading one's own votes needs only read access (someone who left still sees what they voted).
import { AppError, notFound } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import type { Vote } from '../store/votes.ts';
import type { ConversationAccess } from './access.ts';
import type { ConversationServiceDependencies } from './dependencies.ts';

type MessageTarget = { actor: Actor; conversationId: string; messageId: string };

export class VoteService {
  constructor(
    private readonly dependencies: ConversationServiceDependencies,
    private readonly access: ConversationAccess,
  ) {}

  /** Votes a model's reply up or down; voting again changes the vote. Only replies of models can be voted on. */
  async vote({ actor, conversationId, messageId, isUpvoted }: MessageTarget & { isUpvoted: boolean }): Promise<Vote> {
    const { store } = this.dependencies;
    const message = await store.messages.getById({ actor, id: messageId });
    if (message.conversationId !== conversationId) throw notFound('message', messageId);
    if (message.role !== 'assistant') {
      throw new AppError(
        'invalid_input',
        `only replies of models can be voted on; message ${messageId} is a ${message.role} message`,
      );
    }
    return this.access.guarded(actor, { conversationId, level: 'write' }, () =>
      store.votes.vote({ actor, conversationId, messageId, isUpvoted }),
    );
  }

  /** Takes back the actor's vote on a message; having none to take back is fine. */
  clear({ actor, conversationId, messageId }: MessageTarget): Promise<void> {
    return this.access.guarded(actor, { conversationId, level: 'write' }, () =>
      this.dependencies.store.votes.clear({ actor, conversationId, messageId }),
    );
  }

  /** The actor's own votes in a conversation they may read, oldest first. */
  listMine({ actor, conversationId }: { actor: Actor; conversationId: string }): Promise<Vote[]> {
    return this.dependencies.store.votes.listMine({ actor, conversationId });
  }
}
