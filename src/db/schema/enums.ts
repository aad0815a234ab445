// Every Postgres enum of the schema, in one place so the values are easy to find and reuse in Zod.
import { pgEnum } from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['user', 'admin']);
export const conversationVisibility = pgEnum('conversation_visibility', ['private', 'public']);
export const conversationOrigin = pgEnum('conversation_origin', ['web', 'discord', 'api']);
export const participantRole = pgEnum('participant_role', ['owner', 'admin', 'member']);
export const modelStatus = pgEnum('model_status', ['active', 'beta', 'deprecated', 'disabled']);
export const modelChangeKind = pgEnum('model_change_kind', [
  'created',
  'updated',
  'deprecated',
  'restored',
  'disabled',
  'reverted',
  'imported',
  'deleted',
]);
export const messageRole = pgEnum('message_role', ['user', 'assistant', 'system', 'tool']);
export const messageStatus = pgEnum('message_status', ['streaming', 'complete', 'stopped', 'error']);
export const webSearchContextSize = pgEnum('web_search_context_size', ['low', 'medium', 'high']);
export const documentKind = pgEnum('document_kind', ['text', 'code', 'sheet', 'image']);
export const transcriptFormat = pgEnum('transcript_format', ['json', 'csv', 'md']);
export const backupStatus = pgEnum('backup_status', ['started', 'in_progress', 'completed', 'failed']);
/** How Chorus reaches an MCP server: streamable HTTP at a URL, or a command it starts and talks to over stdio. */
export const mcpTransport = pgEnum('mcp_transport', ['http', 'stdio']);
