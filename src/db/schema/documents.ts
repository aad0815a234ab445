// Documents a model writes through tools, versioned by (id, created_at), and suggested edits to them.
import { boolean, foreignKey, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { conversations } from './conversations.ts';
import { documentKind } from './enums.ts';
import { users } from './users.ts';

export const documents = pgTable(
  'documents',
  {
    id: uuid('id').notNull().defaultRandom(),
    /** Each save is a new version of the same id. */
    createdAt: createdAt(),
    title: text('title').notNull(),
    content: text('content'),
    kind: documentKind('kind').notNull().default('text'),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
  },
  (table) => [
    primaryKey({ name: 'documents_pkey', columns: [table.id, table.createdAt] }),
    index('idx_documents_user').on(table.userId),
  ],
);

export const suggestions = pgTable(
  'suggestions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id').notNull(),
    documentCreatedAt: instant('document_created_at').notNull(),
    originalText: text('original_text').notNull(),
    suggestedText: text('suggested_text').notNull(),
    description: text('description'),
    isResolved: boolean('is_resolved').notNull().default(false),
    /** null while open; true accepted, false rejected. */
    accepted: boolean('accepted'),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    resolvedAt: instant('resolved_at'),
  },
  (table) => [
    foreignKey({
      name: 'suggestions_document_fk',
      columns: [table.documentId, table.documentCreatedAt],
      foreignColumns: [documents.id, documents.createdAt],
    }).onDelete('cascade'),
    index('idx_suggestions_document').on(table.documentId, table.documentCreatedAt),
  ],
);
