// The Discord side's own data: the one-time codes that link a Discord identity to a web account, and which Discord
// messages show a model's reply.
import { index, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { messages } from './messages.ts';
import { users } from './users.ts';

/**
 * A code `/link` gave in Discord, entered on the web to merge that Discord user into the web account. Only its
 * SHA-256 is kept, so a database reader cannot use a pending code; a used one stays until it expires, so entering
 * it again is told "already used" rather than "unknown".
 */
export const discordLinkCodes = pgTable(
  'discord_link_codes',
  {
    codeHash: varchar('code_hash', { length: 64 }).primaryKey(),
    /** The Discord user (users.discord_id) the code links. */
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
    createdAt: createdAt(),
  },
  (table) => [index('idx_discord_link_codes_user').on(table.userId)],
);

/**
 * The Discord message that shows a model's reply (the first, when it runs over several), so that a Discord reply to
 * it is a reply to that Chorus message (a thread on it). A person's Discord message needs no row: its id is its
 * message's request id.
 */
export const discordReplyMessages = pgTable(
  'discord_reply_messages',
  {
    discordMessageId: varchar('discord_message_id', { length: 32 }).primaryKey(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  // Deleting a message (an edit, a regeneration) finds its row by this.
  (table) => [index('idx_discord_reply_messages_message').on(table.messageId)],
);
