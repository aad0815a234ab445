// The people of a conversation and their roles (owner | admin | member).
// Reading the list needs read access; adding and removing people needs manage access; only the owner gives
// roles and hands ownership on. A removed or departed person's row is deleted, so an invite can bring them back.
import { and, asc, eq, ne } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.ts';
import { conversationParticipants, conversations, users } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { conversationReachable, conversationWithAccess, requireConversation } from './conversation-access.ts';
import type { ConversationRow } from './conversations.ts';
import { isForeignKeyViolation, isUniqueViolation } from './postgres-errors.ts';

export type Participant = typeof conversationParticipants.$inferSelect;
export type ParticipantRole = Participant['role'];
/** The roles that can be given; `owner` only moves by transferring ownership. */
export type GrantableRole = Exclude<ParticipantRole, 'owner'>;
export type ParticipantWithUser = Participant & {
  user: Pick<typeof users.$inferSelect, 'username' | 'displayName' | 'avatarUrl'>;
};

type ParticipantTarget = { actor: Actor; conversationId: string; userId: string };

export class ParticipantStore {
  constructor(private readonly db: Database) {}

  /** Everyone in the conversation, earliest to join first. */
  async list({ actor, conversationId }: { actor: Actor; conversationId: string }): Promise<ParticipantWithUser[]> {
    const rows = await this.db
      .select({
        participant: conversationParticipants,
        user: { username: users.username, displayName: users.displayName, avatarUrl: users.avatarUrl },
      })
      .from(conversationParticipants)
      .innerJoin(conversations, eq(conversations.id, conversationParticipants.conversationId))
      .innerJoin(users, eq(users.id, conversationParticipants.userId))
      .where(and(conversationWithAccess(actor, conversationId, 'read'), eq(conversationParticipants.isActive, true)))
      .orderBy(asc(conversationParticipants.joinedAt), asc(conversationParticipants.id));
    if (rows.length === 0) await requireConversation(this.db, actor, conversationId, 'read');
    return rows.map((row) => ({ ...row.participant, user: row.user }));
  }

  async add({ actor, conversationId, userId, role = 'member' }: ParticipantTarget & { role?: GrantableRole }) {
    assertGrantable(role);
    try {
      return await this.db.transaction(async (tx) => {
        await requireConversation(tx, actor, conversationId, 'manage');
        const [participant] = await tx
          .insert(conversationParticipants)
          .values({ conversationId, userId, role })
          .returning();
        return participant!;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('conflict', 'this user is already in the conversation', { cause: error });
      }
      if (isForeignKeyViolation(error)) throw new AppError('invalid_input', `unknown user ${userId}`, { cause: error });
      throw error;
    }
  }

  /**
   * Makes someone an admin or a member; the owner's alone, since an admin who could make admins could also unmake
   * the other admins. The owner's own role is not changed here: see transferOwnership.
   */
  async changeRole({ actor, conversationId, userId, role }: ParticipantTarget & { role: GrantableRole }) {
    assertGrantable(role);
    const [participant] = await this.db
      .update(conversationParticipants)
      .set({ role })
      .where(and(this.nonOwner(conversationId, userId), conversationReachable(actor, conversationId, 'own')))
      .returning();
    if (!participant) throw await this.explainMissing({ actor, conversationId, userId }, 'own');
    return participant;
  }

  async remove({ actor, conversationId, userId }: ParticipantTarget): Promise<void> {
    const removed = await this.db
      .delete(conversationParticipants)
      .where(and(this.nonOwner(conversationId, userId), conversationReachable(actor, conversationId, 'manage')))
      .returning({ id: conversationParticipants.id });
    if (removed.length === 0) throw await this.explainMissing({ actor, conversationId, userId });
  }

  /** The actor leaves. An owner must hand ownership on first, so no conversation is left without one. */
  async leave({ actor, conversationId }: { actor: Actor; conversationId: string }): Promise<void> {
    const left = await this.db
      .delete(conversationParticipants)
      .where(this.nonOwner(conversationId, actor.id))
      .returning({ id: conversationParticipants.id });
    if (left.length > 0) return;
    const role = await this.roleOf(conversationId, actor.id);
    if (role === 'owner') {
      throw new AppError('conflict', 'the owner cannot leave: transfer ownership to someone else first');
    }
    throw notFound('conversation', conversationId);
  }

  /**
   * Owner only. The new owner must already be a participant; the previous owner stays on as an admin.
   * conversations.owner_id and both participant roles change in one transaction, so they never disagree.
   */
  async transferOwnership({
    actor,
    conversationId,
    newOwnerId,
  }: {
    actor: Actor;
    conversationId: string;
    newOwnerId: string;
  }): Promise<ConversationRow> {
    return this.db.transaction(async (tx) => {
      // Updating the row first locks it: a concurrent second transfer waits, then no longer matches the owner.
      const [conversation] = await tx
        .update(conversations)
        .set({ ownerId: newOwnerId })
        .where(conversationWithAccess(actor, conversationId, 'own'))
        .returning();
      if (!conversation) throw notFound('conversation', conversationId);
      if (newOwnerId === actor.id) return conversation;
      const [promoted] = await tx
        .update(conversationParticipants)
        .set({ role: 'owner' })
        .where(
          and(
            eq(conversationParticipants.conversationId, conversationId),
            eq(conversationParticipants.userId, newOwnerId),
            eq(conversationParticipants.isActive, true),
          ),
        )
        .returning({ id: conversationParticipants.id });
      if (!promoted) {
        throw new AppError('invalid_input', 'ownership can only go to someone already in the conversation', {
          details: { newOwnerId },
        });
      }
      // Upsert: a conversation made before participants existed may have no row for its owner.
      await tx
        .insert(conversationParticipants)
        .values({ conversationId, userId: actor.id, role: 'admin' })
        .onConflictDoUpdate({
          target: [conversationParticipants.conversationId, conversationParticipants.userId],
          set: { role: 'admin' },
        });
      return conversation;
    });
  }

  /** The person's role in the conversation, or undefined if they are not (or no longer) in it. */
  async roleOf(conversationId: string, userId: string, db: Executor = this.db): Promise<ParticipantRole | undefined> {
    const [row] = await db
      .select({ role: conversationParticipants.role })
      .from(conversationParticipants)
      .where(
        and(
          eq(conversationParticipants.conversationId, conversationId),
          eq(conversationParticipants.userId, userId),
          eq(conversationParticipants.isActive, true),
        ),
      );
    return row?.role;
  }

  private nonOwner(conversationId: string, userId: string) {
    return and(
      eq(conversationParticipants.conversationId, conversationId),
      eq(conversationParticipants.userId, userId),
      ne(conversationParticipants.role, 'owner'),
    )!;
  }

  /** Why a guarded write touched nothing: the conversation is out of reach, the person is absent, or the owner. */
  private async explainMissing(
    { actor, conversationId, userId }: ParticipantTarget,
    level: 'manage' | 'own' = 'manage',
  ): Promise<AppError> {
    await requireConversation(this.db, actor, conversationId, level);
    const role = await this.roleOf(conversationId, userId);
    return role === 'owner' ? ownerStays() : notFound('participant', userId);
  }
}

function assertGrantable(role: ParticipantRole): void {
  if (role === 'owner') {
    throw new AppError('invalid_input', 'the owner role is not given directly: transfer ownership instead');
  }
}

const ownerStays = () =>
  new AppError('forbidden', 'the owner cannot be removed or given another role: ownership moves only by transfer');
