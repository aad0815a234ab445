// Keeping one's conversations in order: folders a person names, and pinning, archiving and filing each conversation
// they are in. All of it is the person's own (nobody else in the conversation sees it), so nothing is announced.
import type { Actor } from '../store/actor.ts';
import type { ConversationFolder, Placement, PlacementChanges } from '../store/conversation-folders.ts';
import type { ConversationServiceDependencies } from './dependencies.ts';

export type { ConversationFolder, Placement, PlacementChanges } from '../store/conversation-folders.ts';

export class FolderService {
  constructor(private readonly dependencies: Pick<ConversationServiceDependencies, 'store'>) {}

  list(actor: Actor): Promise<ConversationFolder[]> {
    return this.dependencies.store.folders.list({ actor });
  }

  create(actor: Actor, name: string): Promise<ConversationFolder> {
    return this.dependencies.store.folders.create({ actor, name });
  }

  rename(actor: Actor, id: string, name: string): Promise<ConversationFolder> {
    return this.dependencies.store.folders.rename({ actor, id, name });
  }

  /** Its conversations return to the main list. */
  delete(actor: Actor, id: string): Promise<void> {
    return this.dependencies.store.folders.delete({ actor, id });
  }

  /** Pins, archives (or restores) or files a conversation the actor is in; not-found for any other. */
  place(actor: Actor, conversationId: string, changes: PlacementChanges): Promise<Placement> {
    return this.dependencies.store.folders.place({ actor, conversationId, changes });
  }
}
