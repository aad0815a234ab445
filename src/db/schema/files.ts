// Files people upload to attach to their messages (images, PDFs). The bytes live in file storage (a folder
// under DATA_DIR, later perhaps S3), found by storage key; a row says whose they are and where they were used.
import { index, integer, pgTable, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { conversations } from './conversations.ts';
import { users } from './users.ts';

export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The conversation it was first sent in; its readers may download it. Null until sent. */
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    /** Decided from the file's own bytes, never only from what the uploader declared. */
    mediaType: varchar('media_type', { length: 100 }).notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    /** The name it had on the uploader's machine, for display only. */
    name: varchar('name', { length: 255 }).notNull(),
    storageKey: text('storage_key').notNull(),
    /** Hex SHA-256 of the bytes: an integrity check and the download's ETag. */
    sha256: varchar('sha256', { length: 64 }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('idx_files_storage_key').on(table.storageKey),
    index('idx_files_owner').on(table.ownerId, table.createdAt),
    // Access to a file through its conversation, and clean-up when a conversation goes.
    index('idx_files_conversation').on(table.conversationId),
  ],
);
