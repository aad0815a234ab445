// What was said: messages (by people and by models), votes on them, and resumable reply streams.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant, updatedAt } from './columns.ts';
import { conversations } from './conversations.ts';
import { messageRole, messageStatus, webSearchContextSize } from './enums.ts';
import { models } from './models.ts';
import { users } from './users.ts';

/** An AI SDK UI message part, kept as the SDK produced it; shapes are checked where parts enter. */
export type MessagePart = { type: string; [key: string]: unknown };

/** A file a message carries: kept in file storage, referenced by key. */
export type MessageAttachment = { key: string; name: string; mediaType: string; sizeBytes: number; url?: string };

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** A client's retry carries the same request id and never doubles the message (unique per conversation). */
    requestId: varchar('request_id', { length: 128 }),
    role: messageRole('role').notNull(),
    /** The person who wrote it; null for model and system messages. */
    senderId: uuid('sender_id').references(() => users.id, { onDelete: 'set null' }),
    /** The model that wrote it; null for people and for rows older than this column. */
    modelId: varchar('model_id', { length: 200 }).references(() => models.id, {
      onDelete: 'restrict',
      onUpdate: 'cascade',
    }),
    /** The registry version of the model when the reply was priced. */
    modelVersion: integer('model_version'),
    parts: jsonb('parts').$type<MessagePart[]>().notNull().default([]),
    /** Plain text of the parts; null when encryption at rest is on. */
    content: text('content'),
    /** AES-256-GCM of {content, parts} when encryption at rest is on. */
    encryptedContent: bytea('encrypted_content'),
    encryptionKeyId: varchar('encryption_key_id', { length: 32 }),
    attachments: jsonb('attachments').$type<MessageAttachment[]>().notNull().default([]),
    /** The message this one answers or threads under. */
    parentId: uuid('parent_id').references((): AnyPgColumn => messages.id, { onDelete: 'set null' }),
    /**
     * The main-conversation message whose thread this one is in; null for the main conversation. Kept apart from
     * parent_id, which says which person's message a reply answers, in a thread as elsewhere. A thread's messages go
     * with the message it hangs on.
     */
    threadRootId: uuid('thread_root_id').references((): AnyPgColumn => messages.id, { onDelete: 'cascade' }),
    isFirstResponder: boolean('is_first_responder').notNull().default(false),
    hasWebSearch: boolean('has_web_search').notNull().default(false),
    webSearchContextSize: webSearchContextSize('web_search_context_size'),
    status: messageStatus('status').notNull().default('complete'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    cachedInputTokens: integer('cached_input_tokens'),
    /** USD; numeric so sums over millions of rows stay exact. */
    costUsd: numeric('cost_usd', { precision: 20, scale: 10, mode: 'number' }),
    latencyMs: integer('latency_ms'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    // clock_timestamp, not now(): rows of one batch insert get increasing times, so order is kept.
    createdAt: instant('created_at').notNull().default(sql`clock_timestamp()`),
    updatedAt: updatedAt(),
  },
  (table) => [
    // Newest-first pages of one conversation: (conversation, created_at, id) keyset.
    index('idx_messages_conversation_created_at').on(table.conversationId, table.createdAt, table.id),
    // A client's retry is recognised within its conversation; another conversation may reuse the id.
    uniqueIndex('idx_messages_conversation_request').on(table.conversationId, table.requestId),
    // Per-user rate limits count a sender's messages in a time window.
    index('idx_messages_sender').on(table.senderId, table.createdAt),
    index('idx_messages_model_id').on(table.modelId, table.createdAt),
    index('idx_messages_timestamp').on(table.createdAt),
    index('idx_messages_role').on(table.role),
    index('idx_messages_parent').on(table.parentId),
    // A thread's messages in order, and the reply counts of a page's messages.
    index('idx_messages_thread').on(table.threadRootId, table.createdAt, table.id),
    // Full-text search: migration 0012 also adds `search_vector`, a stored column generated from `content`
    // (to_tsvector('english', content); empty while the text is stored only encrypted), with the GIN index
    // idx_messages_search on it. Stored, so ranking a hit reads
    // its vector instead of parsing its text again; left out of this table on purpose, so that the many reads of
    // whole message rows do not carry every vector along. Only store/search.ts reads it (messageSearchColumn).
  ],
);

/** `messages.search_vector`, the generated column full-text search reads (see the note on the indexes above). */
export const messageSearchColumn = sql`${messages}.search_vector`;

export const votes = pgTable(
  'votes',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    isUpvoted: boolean('is_upvoted').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    primaryKey({ name: 'votes_pkey', columns: [table.messageId, table.userId] }),
    index('idx_votes_conversation').on(table.conversationId),
  ],
);

/** A reply being generated that a client can re-attach to. */
export const streams = pgTable(
  'streams',
  {
    id: varchar('id', { length: 64 }).primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (table) => [index('idx_streams_conversation').on(table.conversationId, table.createdAt)],
);
