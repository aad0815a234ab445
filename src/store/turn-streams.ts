// Which reply stream (streams/: the stream log) belongs to which turn of a conversation: the ids of the turns being
// generated, so a client that lost its connection can re-attach. Recorded and removed by writers, listed by readers.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { conversations, streams } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { conversationWithAccess, requireConversation } from './conversation-access.ts';
import { isUniqueViolation } from './postgres-errors.ts';

export type Stream = typeof streams.$inferSelect;

/** One turn's stream of a conversation, as someone acting on it names it. */
type TurnStreamOfActor = { actor: Actor; conversationId: string; streamId: string };

export class TurnStreamStore {
  constructor(private readonly db: Database) {}

  async record({ actor, conversationId, streamId }: TurnStreamOfActor): Promise<Stream> {
    // One statement: the row is inserted only if the actor may write to the conversation (a set-up of every reply
    // runs this; a separate access check would be one more round trip for each).
    let stream: Stream | undefined;
    try {
      [stream] = await this.db
        .insert(streams)
        .select(
          this.db
            .select({
              id: sql<string>`${streamId}`.as('id'),
              conversationId: conversations.id,
              createdAt: sql<Date>`now()`.as('created_at'),
            })
            .from(conversations)
            .where(conversationWithAccess(actor, conversationId, 'write')),
        )
        .returning();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('conflict', `stream ${streamId} already exists`, { cause: error });
      throw error;
    }
    if (!stream) throw notFound('conversation', conversationId);
    return stream;
  }

  /** The conversation's stream ids, newest first (at most `limit`): the first is the one to resume. */
  async listIds({
    actor,
    conversationId,
    limit = 100,
  }: {
    actor: Actor;
    conversationId: string;
    limit?: number;
  }): Promise<string[]> {
    const rows = await this.db
      .select({ id: streams.id, conversationId: conversations.id })
      .from(conversations)
      .leftJoin(streams, eq(streams.conversationId, conversations.id))
      .where(conversationWithAccess(actor, conversationId, 'read'))
      .orderBy(desc(streams.createdAt), desc(streams.id))
      .limit(limit);
    // No row at all: no such conversation for this actor. One row without a stream: none recorded.
    if (rows.length === 0) throw notFound('conversation', conversationId);
    return rows.flatMap((row) => (row.id === null ? [] : [row.id]));
  }

  async delete({ actor, conversationId, streamId }: TurnStreamOfActor): Promise<void> {
    await requireConversation(this.db, actor, conversationId, 'write');
    const deleted = await this.db
      .delete(streams)
      .where(and(eq(streams.id, streamId), eq(streams.conversationId, conversationId)))
      .returning({ id: streams.id });
    if (deleted.length === 0) throw notFound('stream', streamId);
  }
}
