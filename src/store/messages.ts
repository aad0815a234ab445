// Messages: what people and models said. Saved in batches as an actor (idempotent on request id), paged newest
// first, trimmed for edits, counted for rate limits. (A model's reply as it streams: replies.ts.) With a keyring the
// text is stored only encrypted (see message-encryption.ts).
import { and, eq, gte, inArray, or, sql } from 'drizzle-orm';
import type { Keyring } from '../crypto/encryption.ts';
import type { Database } from '../db/client.ts';
import { queryOne } from '../db/rows.ts';
import { conversations, messages, models } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { canRead, conversationReachable, requireConversation } from './conversation-access.ts';
import {
  asCreationError,
  type Conversation,
  creationValues,
  type NewConversation,
  toConversation,
} from './conversations.ts';
import { UUID_PATTERN } from './ids.ts';
import { type RotationOptions, rotateMessageEncryption, toMessage } from './message-encryption.ts';
import { type MessageBatchWriter, prepareMessageRows, type SavedBatch } from './message-insert.ts';
import { prepareMessagePages } from './message-pages.ts';
import { type Message, type NewMessage, SUPPLIED_BY_CLIENT } from './message-rows.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';

export type { Message, MessageRow, NewMessage, Optional, ReplyAccounting } from './message-rows.ts';
export { SUPPLIED_BY_CLIENT } from './message-rows.ts';

/** How a model that wrote a message is named. */
export type ModelName = Pick<typeof models.$inferSelect, 'name' | 'displayName' | 'avatar'>;

/**
 * A person's message as it will read back once saved, for work that may start before the save is done (a turn's
 * prompt). Only its times are the database's to decide: here they are now.
 */
export function asSavedMessage(actor: Actor, conversationId: string, message: NewMessage): Message {
  const [row] = prepareMessageRows(null, conversationId, [message], actor.id);
  const now = new Date();
  return toMessage(null, { ...row!, createdAt: row!.createdAt ?? now, updatedAt: now });
}

export class MessageStore {
  /** A conversation's newest messages: the hottest read of the app, prepared once. */
  private readonly firstPage;
  private readonly nextPage;

  constructor(
    private readonly db: Database,
    /** Saves batches of messages; the one writer ReplyStore shares (see createStore). */
    private readonly batches: MessageBatchWriter,
    private readonly keyring: Keyring | null = null,
  ) {
    ({ firstPage: this.firstPage, nextPage: this.nextPage } = prepareMessagePages(db, 'newest-first', 'messages_page', {
      mainLineOnly: true,
    }));
  }

  /**
   * Saves messages to a conversation the actor may write, in one statement, in the given order. A request id
   * already stored returns the stored message instead of a second one (a client's retry).
   */
  async save({
    actor,
    conversationId,
    messages: batch,
  }: {
    actor: Actor;
    conversationId: string;
    messages: NewMessage[];
  }): Promise<Message[]> {
    if (batch.length === 0) {
      await requireConversation(this.db, actor, conversationId, 'write');
      return [];
    }
    const rows = prepareMessageRows(this.keyring, conversationId, batch, actor.id);
    const { stored } = await this.batches.write(conversationId, rows, { writableBy: actor });
    return stored.map((row) => toMessage(this.keyring, row));
  }

  /**
   * A chat's first messages: creates the conversation (its owner, its models) and saves them, in one statement.
   * A taken id is a conflict.
   */
  async saveInNewConversation({
    actor,
    conversation,
    messages: batch,
  }: {
    actor: Actor;
    conversation: NewConversation & { id: string };
    messages: NewMessage[];
  }): Promise<{ conversation: Conversation; messages: Message[] }> {
    const rows = prepareMessageRows(this.keyring, conversation.id, batch, actor.id);
    let saved: SavedBatch;
    try {
      saved = await this.batches.write(conversation.id, rows, {
        creating: creationValues(actor, conversation, this.keyring),
      });
    } catch (error) {
      throw asCreationError(error, conversation);
    }
    return {
      conversation: toConversation(this.keyring, saved.created!),
      messages: saved.stored.map((row) => toMessage(this.keyring, row)),
    };
  }

  /**
   * A page of the main line of a conversation the actor may read (threads left out), newest first; the cursor walks
   * back in time.
   */
  async page({
    actor,
    conversationId,
    limit,
    before,
  }: {
    actor: Actor;
    conversationId: string;
    limit?: number;
    before?: string | null;
  }): Promise<Page<Message>> {
    const pageSize = clampLimit(limit);
    const common = { actorId: actor.id, conversationId, limit: pageSize + 1 };
    const rows = before
      ? await this.nextPage.execute({ ...common, ...keyOf(decodeCursor(before)) })
      : await this.firstPage.execute(common);
    // An empty page is either the end of the conversation or no access: only the second is an error.
    if (rows.length === 0) await requireConversation(this.db, actor, conversationId, 'read');
    return toPage(
      rows.map((row) => toMessage(this.keyring, row)),
      pageSize,
      (message) => ({ at: message.createdAt, id: message.id }),
    );
  }

  async getById({ actor, id }: { actor: Actor; id: string }): Promise<Message> {
    // Not a UUID cannot be a message id; asking Postgres would be a type error, not a miss.
    if (!UUID_PATTERN.test(id)) throw notFound('message', id);
    const [row] = await this.db
      .select({ message: messages })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(messages.id, id), canRead(actor)));
    if (!row) throw notFound('message', id);
    return toMessage(this.keyring, row.message);
  }

  /** A message of a readable conversation by its id, or by the request id its client gave it. */
  async findByIdOrRequestId({
    actor,
    conversationId,
    id,
  }: {
    actor: Actor;
    conversationId: string;
    id: string;
  }): Promise<Message | undefined> {
    const matches = UUID_PATTERN.test(id)
      ? or(eq(messages.id, id), eq(messages.requestId, id))
      : eq(messages.requestId, id);
    const [row] = await this.db
      .select({ message: messages })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(messages.conversationId, conversationId), matches, canRead(actor)));
    return row ? toMessage(this.keyring, row.message) : undefined;
  }

  /**
   * The names (and short avatar labels) of the models that wrote messages, whatever their status now: a reply keeps showing who wrote it
   * after its model is retired (a model with messages cannot be deleted). Models are public, so no actor.
   */
  async modelNames(modelIds: string[]): Promise<Map<string, ModelName>> {
    const unique = [...new Set(modelIds)];
    if (unique.length === 0) return new Map();
    const rows = await this.db
      .select({ id: models.id, name: models.name, displayName: models.displayName, avatar: models.avatar })
      .from(models)
      .where(inArray(models.id, unique));
    return new Map(rows.map(({ id, ...name }) => [id, name]));
  }

  /**
   * Edit and regenerate: removes the messages that come after `messageId` in the conversation's order
   * (created_at, id) — and the message itself with `inclusive` — so a new turn replaces them. Exact even when
   * several messages share a millisecond. Only its own line counts: after a thread's message, the rest of that
   * thread; after a main-conversation message, the main messages after it with their threads. Returns the ids removed.
   *
   * Nobody removes what other people wrote unless they may manage the conversation (its owner, its admins): when
   * another person's message, or a reply to one, comes after `messageId`, it is a conflict and nothing is removed.
   * (Replies to `messageId` itself are what regenerating redoes, whoever asked for them.) The check and the delete
   * are one statement, so they see the same rows: a message someone sends meanwhile is neither counted nor removed.
   */
  async deleteFollowing({
    actor,
    conversationId,
    messageId,
    inclusive = false,
  }: {
    actor: Actor;
    conversationId: string;
    messageId: string;
    inclusive?: boolean;
  }): Promise<string[]> {
    if (!UUID_PATTERN.test(messageId)) throw notFound('message', messageId);
    const after = inclusive ? sql.raw('>=') : sql.raw('>');
    const othersWrote = sql`(doomed.role = 'user' and doomed.sender_id is distinct from ${actor.id}::uuid)
      or (doomed.role <> 'user' and doomed.parent_id <> ${messageId}::uuid and exists (
        select 1 from messages answered where answered.id = doomed.parent_id
          and answered.role = 'user' and answered.sender_id is distinct from ${actor.id}::uuid))`;
    const decided = await queryOne<{
      writable: boolean;
      found: boolean;
      others: number;
      manages: boolean;
      removed: string[];
    }>(
      this.db,
      sql`with access as (
          select ${conversationReachable(actor, conversationId, 'write')} as writable,
            ${conversationReachable(actor, conversationId, 'manage')} as manages),
        pivot as (
          select created_at, id, thread_root_id from messages
          where id = ${messageId}::uuid and conversation_id = ${conversationId}::uuid and (select writable from access)),
        following as (
          select m.id, m.role, m.sender_id, m.parent_id from messages m, pivot
          where m.conversation_id = ${conversationId}::uuid
            and m.thread_root_id is not distinct from pivot.thread_root_id
            and (m.created_at, m.id) ${after} (pivot.created_at, pivot.id)),
        doomed as (
          select * from following union all
          select t.id, t.role, t.sender_id, t.parent_id from messages t
          where t.thread_root_id in (select id from following)),
        others as (select count(*)::int as count from doomed where ${othersWrote}),
        removed as (
          delete from messages where id in (select id from doomed)
            and ((select count from others) = 0 or (select manages from access))
          returning id)
        select (select writable from access) as writable, exists (select 1 from pivot) as found,
          (select count from others) as others, (select manages from access) as manages,
          coalesce((select array_agg(id::text) from removed), '{}') as removed`,
    );
    if (!decided?.writable) throw notFound('conversation', conversationId);
    if (!decided.found) throw notFound('message', messageId);
    if (decided.others > 0 && !decided.manages) throw othersMessagesFollow(decided.others);
    return decided.removed;
  }

  /**
   * Rate limits: how many messages a person sent since a moment (served by idx_messages_sender); the earlier turns
   * a client supplied again were sent before.
   */
  async countBySenderSince({ userId, since }: { userId: string; since: Date }): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(messages)
      .where(
        and(
          eq(messages.senderId, userId),
          gte(messages.createdAt, since),
          sql`not (${messages.metadata} @> ${JSON.stringify(SUPPLIED_BY_CLIENT)}::jsonb)`,
        ),
      );
    return row?.count ?? 0;
  }

  /** Moves every message onto the keyring's current key; see rotateMessageEncryption. */
  rotateEncryption(options: RotationOptions) {
    return rotateMessageEncryption(this.db, options);
  }
}

/** Editing or regenerating would remove what other people wrote, and the actor may not manage the conversation. */
const othersMessagesFollow = (count: number) =>
  new AppError(
    'conflict',
    `other people have written since this message (${count} ${count === 1 ? 'message comes' : 'messages come'} after it that ` +
      "are not yours or your replies); replacing it would delete them, which only the conversation's owner and admins may do",
    { details: { othersMessages: count } },
  );

/** Placeholders are not mapped through column types on every driver, so dates go as ISO text. */
const keyOf = (key: { at: Date; id: string }) => ({ at: key.at.toISOString(), id: key.id });
