// The reads an export of a conversation (or of everything of one person) makes: the conversation with the people
// and models it names, its messages oldest first in pages (keyset on created_at, id: constant memory and constant
// cost per page whatever the conversation's size), the votes and files of those messages; and what one person owns
// or takes part in. Every read is scoped by the actor: an export sees what its reader may read, nothing more.
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Keyring } from '../crypto/encryption.ts';
import type { Database } from '../db/client.ts';
import { queryRows } from '../db/rows.ts';
import { conversationParticipants, conversations, files, messages, users, votes } from '../db/schema/index.ts';
import type { Actor } from './actor.ts';
import { conversationReachable } from './conversation-access.ts';
import type { Conversation, ConversationStore } from './conversations.ts';
import type { FileRecord } from './files.ts';
import { toMessage } from './message-encryption.ts';
import { prepareMessagePages } from './message-pages.ts';
import type { Message } from './message-rows.ts';
import type { Keyset } from './pagination.ts';

/** Someone who is in the conversation or wrote in it; `role` null for someone who has left. */
export type ExportPerson = {
  id: string;
  username: string | null;
  displayName: string | null;
  role: 'owner' | 'admin' | 'member' | null;
};

/** A model that is in the conversation or wrote in it. */
export type ExportModel = {
  id: string;
  provider: string;
  name: string;
  displayName: string;
  inConversation: boolean;
};

export type ConversationHeader = { conversation: Conversation; people: ExportPerson[]; models: ExportModel[] };

export type MessageVote = { messageId: string; userId: string; isUpvoted: boolean };

export class ConversationExportStore {
  private readonly firstPage;
  private readonly nextPage;

  constructor(
    private readonly db: Database,
    private readonly conversations: ConversationStore,
    private readonly keyring: Keyring | null = null,
  ) {
    ({ firstPage: this.firstPage, nextPage: this.nextPage } = prepareMessagePages(
      db,
      'oldest-first',
      'export_messages',
    ));
  }

  /** The conversation (not-found unless the actor may read it), its people and its models. */
  async header({ actor, conversationId }: { actor: Actor; conversationId: string }): Promise<ConversationHeader> {
    const conversation = await this.conversations.get({ actor, id: conversationId });
    const [people, models] = await Promise.all([
      queryRows<{ id: string; username: string | null; display_name: string | null; role: ExportPerson['role'] }>(
        this.db,
        sql`select u.id, u.username, u.display_name, p.role
          from users u
          left join conversation_participants p
            on p.user_id = u.id and p.conversation_id = ${conversationId}::uuid and p.is_active
          where p.id is not null
            or u.id in (select distinct sender_id from messages
                        where conversation_id = ${conversationId}::uuid and sender_id is not null)
          order by p.joined_at nulls last, u.id`,
      ),
      queryRows<{ id: string; provider: string; name: string; display_name: string; in_conversation: boolean }>(
        this.db,
        sql`select m.id, m.provider, m.name, m.display_name, cm.id is not null as in_conversation
          from models m
          left join conversation_models cm on cm.model_id = m.id and cm.conversation_id = ${conversationId}::uuid
          where cm.id is not null
            or m.id in (select distinct model_id from messages
                        where conversation_id = ${conversationId}::uuid and model_id is not null)
          order by cm.position nulls last, m.id`,
      ),
    ]);
    return {
      conversation,
      people: people.map((row) => ({
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        role: row.role,
      })),
      models: models.map((row) => ({
        id: row.id,
        provider: row.provider,
        name: row.name,
        displayName: row.display_name,
        inConversation: row.in_conversation,
      })),
    };
  }

  /** Up to `limit` messages after `after` (from the start when null), oldest first, their text in the clear. */
  async messagesAfter({
    actor,
    conversationId,
    after,
    limit,
  }: {
    actor: Actor;
    conversationId: string;
    after: Keyset | null;
    limit: number;
  }): Promise<Message[]> {
    const common = { actorId: actor.id, conversationId, limit };
    const rows = after
      ? await this.nextPage.execute({ ...common, at: after.at.toISOString(), id: after.id })
      : await this.firstPage.execute(common);
    return rows.map((row) => toMessage(this.keyring, row));
  }

  /** How many messages the conversation has (for progress), if the actor may read it. */
  async countMessages({ actor, conversationId }: { actor: Actor; conversationId: string }): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), conversationReachable(actor, conversationId, 'read')));
    return row?.count ?? 0;
  }

  /** Everyone's votes on these messages of a conversation the actor may read. */
  async votesOn({
    actor,
    conversationId,
    messageIds,
  }: {
    actor: Actor;
    conversationId: string;
    messageIds: string[];
  }): Promise<MessageVote[]> {
    if (messageIds.length === 0) return [];
    // One array parameter (as a literal both drivers read alike), not one parameter per id: a page has thousands.
    const ids = `{${messageIds.join(',')}}`;
    return this.db
      .select({ messageId: votes.messageId, userId: votes.userId, isUpvoted: votes.isUpvoted })
      .from(votes)
      .where(
        and(
          eq(votes.conversationId, conversationId),
          sql`${votes.messageId} = any(${ids}::uuid[])`,
          conversationReachable(actor, conversationId, 'read'),
        ),
      );
  }

  /** The uploads with these ids that were sent in the conversation (or are the actor's own). */
  async filesOf({
    actor,
    conversationId,
    ids,
  }: {
    actor: Actor;
    conversationId: string;
    ids: string[];
  }): Promise<FileRecord[]> {
    if (ids.length === 0) return [];
    return this.db
      .select()
      .from(files)
      .where(
        and(
          inArray(files.id, ids),
          or(
            and(eq(files.conversationId, conversationId), conversationReachable(actor, conversationId, 'read')),
            eq(files.ownerId, actor.id),
          ),
        ),
      )
      .orderBy(asc(files.createdAt), asc(files.id));
  }

  /** The owner of a conversation, for the operator's exports (the command line), who act as its owner. */
  async ownerOf(conversationId: string): Promise<typeof users.$inferSelect | undefined> {
    const [row] = await this.db
      .select({ owner: users })
      .from(conversations)
      .innerJoin(users, eq(users.id, conversations.ownerId))
      .where(eq(conversations.id, conversationId));
    return row?.owner;
  }

  /** Every conversation the actor owns or takes part in, oldest first. */
  async conversationIdsOf(actor: Actor): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ id: conversations.id, createdAt: conversations.createdAt })
      .from(conversations)
      .leftJoin(
        conversationParticipants,
        and(
          eq(conversationParticipants.conversationId, conversations.id),
          eq(conversationParticipants.userId, actor.id),
          eq(conversationParticipants.isActive, true),
        ),
      )
      .where(or(eq(conversations.ownerId, actor.id), sql`${conversationParticipants.id} is not null`))
      .orderBy(asc(conversations.createdAt), asc(conversations.id));
    return rows.map((row) => row.id);
  }

  /** Every vote the actor cast, oldest first. */
  votesBy(actor: Actor) {
    return this.db
      .select({
        conversationId: votes.conversationId,
        messageId: votes.messageId,
        isUpvoted: votes.isUpvoted,
        createdAt: votes.createdAt,
        updatedAt: votes.updatedAt,
      })
      .from(votes)
      .where(eq(votes.userId, actor.id))
      .orderBy(asc(votes.createdAt), asc(votes.messageId));
  }

  /** Every upload of the actor's, oldest first. */
  uploadsBy(actor: Actor): Promise<FileRecord[]> {
    return this.db.select().from(files).where(eq(files.ownerId, actor.id)).orderBy(asc(files.createdAt), asc(files.id));
  }
}
