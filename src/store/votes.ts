// Votes: one up or down per person per message [seed 003], by people who may write the conversation.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { conversations, messages, votes } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { canWrite } from './conversation-access.ts';
import { isForeignKeyViolation } from './postgres-errors.ts';

export type Vote = typeof votes.$inferSelect;

export class VoteStore {
  constructor(private readonly db: Database) {}

  /** Records the actor's vote on a message of the conversation; voting again changes it. */
  async vote({
    actor,
    conversationId,
    messageId,
    isUpvoted,
  }: {
    actor: Actor;
    conversationId: string;
    messageId: string;
    isUpvoted: boolean;
  }): Promise<Vote> {
    // The message must be in this conversation, and the conversation writable by the actor.
    const [target] = await this.db
      .select({ id: messages.id })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(messages.id, messageId), eq(messages.conversationId, conversationId), canWrite(actor)));
    if (!target) throw notFound('message', messageId);
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
}
