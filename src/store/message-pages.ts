// A conversation's messages a page at a time, for an actor who may read it: the first page and the page after a
// (created_at, id) key, each one prepared statement. The chat reads newest first, its main line only (a thread's
// messages are read with their thread: store/threads.ts); transcripts read every message, oldest first.
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { messages } from '../db/schema/index.ts';
import { conversationReachable } from './conversation-access.ts';

export type PageOrder = 'newest-first' | 'oldest-first';

/**
 * Placeholders: conversationId, actorId, limit, and for the next page at and id (the last row's key, as text). Each
 * statement's name is `${name}_first` or `${name}_next`.
 */
export function prepareMessagePages(
  db: Database,
  order: PageOrder,
  name: string,
  { mainLineOnly = false }: { mainLineOnly?: boolean } = {},
) {
  const conversation = eq(messages.conversationId, sql.placeholder('conversationId'));
  const inConversation = mainLineOnly ? and(conversation, isNull(messages.threadRootId)) : conversation;
  // Not correlated with the message row: Postgres checks it once, then walks the index.
  const readable = conversationReachable({ id: sql.placeholder('actorId') }, sql.placeholder('conversationId'), 'read');
  const by = order === 'newest-first' ? desc : asc;
  const ordering = [by(messages.createdAt), by(messages.id)] as const;
  // Row comparison: one index range, exact at equal timestamps.
  const key = sql`(${messages.createdAt}, ${messages.id})`;
  const after = sql`(${sql.placeholder('at')}::timestamptz, ${sql.placeholder('id')}::uuid)`;
  const beyond = order === 'newest-first' ? sql`${key} < ${after}` : sql`${key} > ${after}`;
  const page = (where: ReturnType<typeof and>, statement: string) =>
    db
      .select()
      .from(messages)
      .where(where)
      .orderBy(...ordering)
      .limit(sql.placeholder('limit'))
      .prepare(statement);
  return {
    firstPage: page(and(inConversation, readable), `${name}_first`),
    nextPage: page(and(inConversation, readable, beyond), `${name}_next`),
  };
}
