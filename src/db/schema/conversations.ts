// Conversations and who/what takes part in them: people (participants, invites) and models.
import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant, updatedAt } from './columns.ts';
import { conversationOrigin, conversationVisibility, participantRole } from './enums.ts';
import { models } from './models.ts';
import { users } from './users.ts';

/** Generation settings. Validated at the edge; open for provider-specific keys. */
export type ConversationParameters = {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  systemPrompt?: string;
  [key: string]: unknown;
};

/** Reply mode and limits. */
export type ConversationSettings = {
  replyMode?: 'single' | 'parallel' | 'first_responder';
  firstResponderModelId?: string;
  charLimit?: number | null;
  /** The MCP servers whose tools the conversation's models are offered. */
  mcpServerIds?: string[];
  [key: string]: unknown;
};

/** The text-search vector of a conversation's title. */
export const titleSearchVector = (title: AnyPgColumn | SQL) =>
  sql`to_tsvector('english'::regconfig, coalesce(${title}, ''::text))`;

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null when encryption at rest is on: the title is then only in encrypted_title. */
    title: varchar('title', { length: 255 }),
    /** AES-256-GCM of the title, bound to the conversation id, when encryption at rest is on. */
    encryptedTitle: bytea('encrypted_title'),
    titleKeyId: varchar('title_key_id', { length: 32 }),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    visibility: conversationVisibility('visibility').notNull().default('private'),
    origin: conversationOrigin('origin').notNull().default('web'),
    discordChannelId: varchar('discord_channel_id', { length: 32 }),
    parameters: jsonb('parameters').$type<ConversationParameters>().notNull().default({}),
    settings: jsonb('settings').$type<ConversationSettings>().notNull().default({}),
    /** Set at creation and on every message, so "newest first" is one index scan. */
    lastMessageAt: instant('last_message_at').notNull().defaultNow(),
    isActive: boolean('is_active').notNull().default(true),
    endedAt: instant('ended_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    // Ascending on purpose: "order by ... desc" reads these backwards. drizzle-kit writes .desc() as
    // DESC NULLS LAST, which an ORDER BY ... DESC (NULLS FIRST) cannot use.
    index('idx_conversations_owner').on(table.ownerId, table.lastMessageAt, table.id),
    index('idx_conversations_origin').on(table.origin),
    index('idx_conversations_active').on(table.isActive).where(sql`${table.isActive}`),
    index('idx_conversations_created_at').on(table.createdAt),
    // A Discord channel has one current conversation; `/new` and a deleted channel end it (ended_at), and the
    // ended ones keep their channel id, so their history stays theirs.
    uniqueIndex('idx_conversations_discord_channel').on(table.discordChannelId).where(sql`${table.endedAt} is null`),
    index('idx_conversations_discord_channel_history').on(table.discordChannelId, table.createdAt),
    index('idx_conversations_last_message_at').on(table.lastMessageAt, table.id),
    index('idx_conversations_public').on(table.visibility).where(sql`${table.visibility} = 'public'`),
    // Full-text search over titles, repeated by store/search.ts (titles sealed by encryption at rest are null).
    index('idx_conversations_title_search').using('gin', titleSearchVector(table.title)),
  ],
);

/** A folder a person names and keeps their conversations in; theirs alone, whoever else is in the conversations. */
export const conversationFolders = pgTable(
  'conversation_folders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 100 }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex('conversation_folders_user_name_unique').on(table.userId, table.name)],
);

export const conversationParticipants = pgTable(
  'conversation_participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: participantRole('role').notNull().default('member'),
    isActive: boolean('is_active').notNull().default(true),
    /**
     * The conversation's last activity, copied to each membership: a user's list, newest first, is then one
     * index range over their own memberships instead of a sort of every conversation they belong to.
     */
    lastMessageAt: instant('last_message_at').notNull().defaultNow(),
    /** How this member keeps it in their own list: pinned to the top, archived out of it, or in a folder of theirs. */
    pinnedAt: instant('pinned_at'),
    archivedAt: instant('archived_at'),
    folderId: uuid('folder_id').references(() => conversationFolders.id, { onDelete: 'set null' }),
    joinedAt: instant('joined_at').notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('conversation_participants_conversation_user_unique').on(table.conversationId, table.userId),
    index('idx_participants_user_active').on(table.userId, table.isActive),
    index('idx_participants_user_activity')
      .on(table.userId, table.lastMessageAt, table.conversationId)
      .where(sql`${table.isActive}`),
    index('idx_participants_conversation').on(table.conversationId),
    // A person's pinned conversations (few) are read apart from the list; a folder's, by folder.
    index('idx_participants_user_pinned').on(table.userId).where(sql`${table.pinnedAt} is not null`),
    index('idx_participants_folder').on(table.folderId, table.lastMessageAt, table.conversationId),
  ],
);

export const conversationInvites = pgTable(
  'conversation_invites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** The secret in the invitation link; unguessable, unique. */
    token: varchar('token', { length: 64 }).notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    role: participantRole('role').notNull().default('member'),
    expiresAt: instant('expires_at'),
    maxUses: integer('max_uses'),
    useCount: integer('use_count').notNull().default(0),
    revokedAt: instant('revoked_at'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('idx_invites_token').on(table.token),
    index('idx_invites_conversation').on(table.conversationId),
  ],
);

/** Per-conversation model settings. */
export type ConversationModelSettings = {
  persona?: string;
  systemPrompt?: string;
  temperature?: number;
  [key: string]: unknown;
};

export const conversationModels = pgTable(
  'conversation_models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    modelId: varchar('model_id', { length: 200 })
      .notNull()
      .references(() => models.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
    position: integer('position').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    settings: jsonb('settings').$type<ConversationModelSettings>().notNull().default({}),
    addedAt: instant('added_at').notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('conversation_models_conversation_model_unique').on(table.conversationId, table.modelId),
    index('idx_conversation_models_order').on(table.conversationId, table.position),
    index('idx_conversation_models_model').on(table.modelId),
  ],
);
