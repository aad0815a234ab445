// Votes: one up or down per person per message, by people who may write the conversation.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { conversations, messages, votes } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { canWrite, conversationReachable, requireConversation } from './conversation-access.ts';
import { isForeignKeyViolation } from './postgres-errors.ts';

export type Vote = typeof votes.$inferSelect;

type VoteTarget = { actor: Actor; conversationId: string; messageId: string };

export class VoteStore {
  constructor(private readonly db: Database) {}

  /** Records the actor's vote on a message of the conversation; voting again changes it. */
  async vote({ actor, conversationId, messageId, isUpvoted }: VoteTarget & { isUpvoted: boolean }): Promise<Vote> {
    await this.requireVotable({ actor, conversationId, messageId });
    try {
      const [vote] = await this.db
        .insert(votes)
        .values({ messageId, userId: actor.id, conversationId, isUpvoted })
        .onConflictDoUpdate({
          target: [votes.messageId, votes.userId],
          set: { isUpvoted, updatedAt: sql`now()` },
        })
        .returning();
      return vote!;
    } catch (error) {
      // Deleted between the check and the write.
      if (isForeignKeyViolation(error)) throw notFound('message', messageId);
      throw error;
    }
  }

  /** Every vote in a conversation the actor may write, oldest first. */
  async listForConversation({ actor, conversationId }: { actor: Actor; conversationId: string }): Promise<Vote[]> {
    const rows = await this.db
      .select({ vote: votes, conversationId: conversations.id })
      .from(conversations)
      .leftJoin(votes, eq(votes.conversationId, conversations.id))
      .where(and(eq(conversations.id, conversationId), canWrite(actor)))
      .orderBy(asc(votes.createdAt), asc(votes.messageId), asc(votes.userId));
    // No row at all: no such conversation for this actor. One row without a vote: no votes yet.
    if (rows.length === 0) throw notFound('conversation', conversationId);
    return rows.flatMap((row) => (row.vote ? [row.vote] : []));
  }

  /** Takes back the actor's vote on a message. Clearing a vote that was never cast is not an error. */
  async clear({ actor, conversationId, messageId }: VoteTarget): Promise<void> {
    const cleared = await this.db
      .delete(votes)
      .where(
        and(
          eq(votes.messageId, messageId),
          eq(votes.userId, actor.id),
          eq(votes.conversationId, conversationId),
          conversationReachable(actor, conversationId, 'write'),
        ),
      )
      .returning({ messageId: votes.messageId });
    if (cleared.length === 0) await this.requireVotable({ actor, conversationId, messageId });
  }

  /**
   * The actor's own votes in a conversation they may read, oldest first; `messageIds` narrows them to some
   * messages (a page of them). Reading needs only read access: someone who left still sees what they voted.
   */
  async listMine({
    actor,
    conversationId,
    messageIds,
  }: {
    actor: Actor;
    conversationId: string;
    messageIds?: string[];
  }): Promise<Vote[]> {
    if (messageIds?.length === 0) return [];
    const rows = await this.db
      .select()
      .from(votes)
      .where(
        and(
          eq(votes.conversationId, conversationId),
          eq(votes.userId, actor.id),
          messageIds ? inArray(votes.messageId, messageIds) : undefined,
          conversationReachable(actor, conversationId, 'read'),
        ),
      )
      .orderBy(asc(votes.createdAt), asc(votes.messageId));
    if (rows.length === 0) await requireConversation(this.db, actor, conversationId, 'read');
    return rows;
  }

  /** Not-found unless the message is in this conversation and the actor may write the conversation. */
  private async requireVotable({ actor, conversationId, messageId }: VoteTarget): Promise<void> {
    const [target] = await this.db
      .select({ id: messages.id })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(messages.id, messageId), eq(messages.conversationId, conversationId), canWrite(actor)));
    if (!target) throw notFound('message', messageId);
  }
}
