// Signing in: the tables better-auth keeps (sessions, accounts, verifications) and our API keys. Named auth_* so a
// "session" here is never confused with a chat session (a conversation). Everything goes with its user.
import { bigint, index, integer, pgTable, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, instant, updatedAt } from './columns.ts';
import { users } from './users.ts';

/** One signed-in browser: the cookie carries the token. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    token: text('token').notNull(),
    expiresAt: instant('expires_at').notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex('idx_auth_sessions_token').on(table.token), index('idx_auth_sessions_user').on(table.userId)],
);

/** How a user proves who they are: the password hash (provider "credential") or a link to an OAuth provider. */
export const authAccounts = pgTable(
  'auth_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    providerId: text('provider_id').notNull(),
    /** The user's id at the provider (for passwords, our own user id). */
    accountId: text('account_id').notNull(),
    password: text('password'),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: instant('access_token_expires_at'),
    refreshTokenExpiresAt: instant('refresh_token_expires_at'),
    scope: text('scope'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('idx_auth_accounts_provider_account').on(table.providerId, table.accountId),
    index('idx_auth_accounts_user').on(table.userId),
  ],
);

/** One-time values (email verification, password reset), looked up by identifier. */
export const authVerifications = pgTable(
  'auth_verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: instant('expires_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('idx_auth_verifications_identifier').on(table.identifier)],
);

/**
 * better-auth's request counters (sign-in attempts, guest sign-ups), per client address and route, in the database so
 * that every server process counts against the same limit.
 */
export const authRateLimits = pgTable(
  'auth_rate_limits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    count: integer('count').notNull(),
    /** Milliseconds since the epoch, as better-auth keeps it. */
    lastRequest: bigint('last_request', { mode: 'number' }).notNull(),
  },
  (table) => [
    uniqueIndex('idx_auth_rate_limits_key').on(table.key),
    index('idx_auth_rate_limits_last_request').on(table.lastRequest),
  ],
);

/** Keys for `Authorization: Bearer`. Only a SHA-256 of the key is kept; the key itself is shown once. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 100 }),
    /** The key's first characters, so a person can tell their keys apart in a list. */
    prefix: varchar('prefix', { length: 16 }).notNull(),
    /** Hex SHA-256 of the whole key: every request with a key is one lookup on this index. */
    keyHash: varchar('key_hash', { length: 64 }).notNull(),
    createdAt: createdAt(),
    lastUsedAt: instant('last_used_at'),
    /** After this the key no longer works; null: never. */
    expiresAt: instant('expires_at'),
  },
  (table) => [
    uniqueIndex('idx_api_keys_key_hash').on(table.keyHash),
    index('idx_api_keys_user').on(table.userId, table.createdAt),
  ],
);
