// People: registered users, guests and Discord users share one table.
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { userRole } from './enums.ts';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased; null for guests and Discord-only users. */
    email: varchar('email', { length: 255 }),
    emailVerified: boolean('email_verified').notNull().default(false),
    username: varchar('username', { length: 50 }).notNull(),
    displayName: varchar('display_name', { length: 100 }),
    avatarUrl: text('avatar_url'),
    role: userRole('role').notNull().default('user'),
    isGuest: boolean('is_guest').notNull().default(false),
    discordId: varchar('discord_id', { length: 32 }),
    isActive: boolean('is_active').notNull().default(true),
    /** Their own daily message limit, set by an admin, in place of their kind's (auth/limits.ts); null: their kind's. */
    messagesPerDay: integer('messages_per_day'),
    preferences: jsonb('preferences').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('idx_users_email').on(table.email),
    uniqueIndex('idx_users_username').on(table.username),
    uniqueIndex('idx_users_discord_id').on(table.discordId),
    // Partial: the active-user filter only ever asks for active rows.
    index('idx_users_active').on(table.isActive).where(sql`${table.isActive}`),
  ],
);

/**
 * What each person used on each UTC day, kept apart from the messages themselves so that deleting a conversation
 * gives nothing back, and counted up in the statement that checks the limit, so concurrent requests cannot
 * overshoot it.
 */
export const dailyUsage = pgTable(
  'daily_usage',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    /** Turns the person started that day: messages sent, edited or regenerated. */
    messages: integer('messages').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ name: 'daily_usage_pkey', columns: [table.userId, table.day] })],
);
