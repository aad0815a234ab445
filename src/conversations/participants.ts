// The people of a conversation: anyone who may read it sees who is in it; the owner and admins remove people
// (never the owner); only the owner gives roles and hands ownership on, and must do so before leaving. Every change
// is announced to the conversation's followers once it is committed (a removal or a departure also ends that
// person's own events stream).
import { notFound } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import type { GrantableRole, ParticipantWithUser } from '../store/participants.ts';
import type { ConversationAccess } from './access.ts';
import type { ConversationServiceDependencies } from './dependencies.ts';

type ConversationTarget = { actor: Actor; conversationId: string };
type ParticipantTarget = ConversationTarget & { userId: string };

export class ParticipantService {
  constructor(
    private readonly dependencies: ConversationServiceDependencies,
    private readonly access: ConversationAccess,
  ) {}

  /** Everyone in the conversation, earliest to join first, for anyone who may read it. */
  list({ actor, conversationId }: ConversationTarget): Promise<ParticipantWithUser[]> {
    return this.dependencies.store.participants.list({ actor, conversationId });
  }

  /** Makes someone an admin or a member (owner only); returns them with their new role. */
  async changeRole({
    actor,
    conversationId,
    userId,
    role,
  }: ParticipantTarget & { role: GrantableRole }): Promise<ParticipantWithUser> {
    const { store, events } = this.dependencies;
    await this.access.guarded(actor, { conversationId, level: 'own' }, () =>
      store.participants.changeRole({ actor, conversationId, userId, role }),
    );
    events.publish(conversationId, { type: 'member-role-changed', userId, role });
    const changed = (await this.list({ actor, conversationId })).find((person) => person.userId === userId);
    // Only if they were removed in the moment between the change and this read.
    if (!changed) throw notFound('participant', userId);
    return changed;
  }

  /** Removes someone (owner and admins; never the owner). */
  async remove({ actor, conversationId, userId }: ParticipantTarget): Promise<void> {
    const { store, events } = this.dependencies;
    await this.access.guarded(actor, { conversationId, level: 'manage' }, () =>
      store.participants.remove({ actor, conversationId, userId }),
    );
    events.publish(conversationId, { type: 'member-removed', userId, byUserId: actor.id });
  }

  /** The actor leaves; the owner cannot (conflict) until they have handed ownership on. */
  async leave({ actor, conversationId }: ConversationTarget): Promise<void> {
    const { store, events } = this.dependencies;
    // A reader of a public conversation who never joined is told so (forbidden), not that it does not exist.
    await this.access.guarded(actor, { conversationId, level: 'write' }, () =>
      store.participants.leave({ actor, conversationId }),
    );
    events.publish(conversationId, { type: 'member-left', userId: actor.id });
  }

  /**
   * Hands ownership to someone already in the conversation (owner only); the previous owner stays on as an admin.
   * Handing it to oneself changes nothing, and announces nothing. Returns everyone, with their roles as they are now.
   */
  async transferOwnership({
    actor,
    conversationId,
    newOwnerId,
  }: ConversationTarget & { newOwnerId: string }): Promise<ParticipantWithUser[]> {
    const { store, events } = this.dependencies;
    await this.access.guarded(actor, { conversationId, level: 'own' }, () =>
      store.participants.transferOwnership({ actor, conversationId, newOwnerId }),
    );
    if (newOwnerId !== actor.id) {
      events.publish(conversationId, { type: 'member-role-changed', userId: newOwnerId, role: 'owner' });
      events.publish(conversationId, { type: 'member-role-changed', userId: actor.id, role: 'admin' });
    }
    return this.list({ actor, conversationId });
  }
}
