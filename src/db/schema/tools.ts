// MCP servers an admin registers, whose tools models may call in the conversations that switch them on, and the
// record of every call made to them.
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant, updatedAt } from './columns.ts';
import { conversations } from './conversations.ts';
import { mcpTransport } from './enums.ts';
import { users } from './users.ts';

/** What a server needs that must not be shown back: HTTP headers (a token) and a command's environment. */
export type McpServerSecrets = { headers: Record<string, string>; env: Record<string, string> };

export const mcpServers = pgTable(
  'mcp_servers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-case letters, digits and dashes: its tools are offered to models as `<name>__<tool>`. */
    name: varchar('name', { length: 32 }).notNull(),
    description: text('description'),
    transport: mcpTransport('transport').notNull(),
    /** The streamable HTTP endpoint (transport http). */
    url: text('url'),
    /** The program and its arguments (transport stdio). */
    command: text('command'),
    args: jsonb('args').$type<string[]>().notNull().default([]),
    /** The secrets in plain JSON when encryption at rest is off; null when they are sealed below. */
    secrets: jsonb('secrets').$type<McpServerSecrets>(),
    /** The secrets as AES-256-GCM of their JSON, bound to the server's id, when encryption at rest is on. */
    encryptedSecrets: bytea('encrypted_secrets'),
    secretsKeyId: varchar('secrets_key_id', { length: 32 }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex('mcp_servers_name_unique').on(table.name)],
);

/** One call a model made to an MCP server's tool, with what it was given and what came back. */
export const toolCalls = pgTable(
  'tool_calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** The reply that made the call (no foreign key: a regenerated reply's calls stay on record). */
    messageId: uuid('message_id').notNull(),
    /** The person the reply answered. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    serverId: uuid('server_id').references(() => mcpServers.id, { onDelete: 'set null' }),
    /** The server's name at the time, kept when the server is deleted. */
    serverName: varchar('server_name', { length: 32 }).notNull(),
    /** The tool's own name on its server (not the prefixed name the model used). */
    toolName: text('tool_name').notNull(),
    toolCallId: text('tool_call_id').notNull(),
    input: jsonb('input').$type<unknown>(),
    output: jsonb('output').$type<unknown>(),
    error: text('error'),
    startedAt: instant('started_at').notNull(),
    durationMs: integer('duration_ms').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    // The admin's list: newest first, all of them or one server's.
    index('idx_tool_calls_started_at').on(table.startedAt, table.id),
    index('idx_tool_calls_server').on(table.serverId, table.startedAt),
    index('idx_tool_calls_conversation').on(table.conversationId),
  ],
);
