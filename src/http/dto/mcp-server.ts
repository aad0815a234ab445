// An MCP server as the admin API shows and takes it. Its secrets (headers, environment) are write-only: the API
// names them and never shows their values.
import { z } from '@hono/zod-openapi';
import { mcpTransport } from '../../db/schema/index.ts';
import type { McpServer } from '../../store/mcp-servers.ts';
import type { ToolCallRecord } from '../../store/tool-calls.ts';

const nameSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters, digits and single dashes, e.g. web-search')
  .max(32)
  .openapi({ description: 'Its tools are offered to models as `<name>__<tool>`' });

const urlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://mcp.example.com/mcp' });

/** Header names and environment variable names as HTTP and a shell take them. */
const headersSchema = z
  .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name'), z.string().max(8_000))
  .openapi({ description: 'Sent with every request, e.g. {"Authorization": "Bearer …"}; never shown back' });
const envSchema = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'), z.string().max(8_000))
  .openapi({ description: "The command's environment (beside PATH, HOME and the like); never shown back" });

const commonFields = {
  name: nameSchema,
  description: z.string().trim().max(1_000).nullable().optional(),
};

export const mcpServerCreateSchema = z
  .discriminatedUnion('transport', [
    z.strictObject({
      ...commonFields,
      transport: z.literal('http'),
      url: urlSchema,
      headers: headersSchema.optional(),
    }),
    z.strictObject({
      ...commonFields,
      transport: z.literal('stdio'),
      command: z.string().trim().min(1).max(1_000),
      args: z.array(z.string().max(4_000)).max(100).optional(),
      env: envSchema.optional(),
    }),
  ])
  .openapi('McpServerInput');

export const mcpServerChangesSchema = z
  .strictObject({
    ...commonFields,
    transport: z.enum(mcpTransport.enumValues),
    url: urlSchema.nullable(),
    headers: headersSchema.openapi({ description: 'Replaces every header; left out: unchanged' }),
    command: z.string().trim().min(1).max(1_000).nullable(),
    args: z.array(z.string().max(4_000)).max(100),
    env: envSchema.openapi({ description: 'Replaces the whole environment; left out: unchanged' }),
  })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, { message: 'send at least one field to change' })
  .openapi('McpServerChanges');

export const mcpServerSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    transport: z.enum(mcpTransport.enumValues),
    url: z.string().nullable(),
    command: z.string().nullable(),
    args: z.array(z.string()),
    headerNames: z.array(z.string()).openapi({ description: 'The headers set (their values are not shown)' }),
    envNames: z.array(z.string()).openapi({ description: 'The environment variables set (values not shown)' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('McpServer');

export function toMcpServerDto(server: McpServer): z.infer<typeof mcpServerSchema> {
  const { id, name, description, transport, url, command, args, headers, env } = server;
  return {
    id,
    name,
    description,
    transport,
    url,
    command,
    args,
    headerNames: Object.keys(headers),
    envNames: Object.keys(env),
    createdAt: server.createdAt.toISOString(),
    updatedAt: server.updatedAt.toISOString(),
  };
}

export const mcpToolSchema = z
  .object({ name: z.string(), description: z.string().nullable(), inputSchema: z.unknown() })
  .openapi('McpTool');

export const toolCallSchema = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    messageId: z.uuid(),
    userId: z.uuid().nullable(),
    serverId: z.uuid().nullable(),
    serverName: z.string(),
    toolName: z.string(),
    toolCallId: z.string(),
    input: z.unknown(),
    output: z.unknown(),
    error: z.string().nullable(),
    startedAt: z.iso.datetime(),
    durationMs: z.number().int(),
  })
  .openapi('ToolCall');

export function toToolCallDto(call: ToolCallRecord): z.infer<typeof toolCallSchema> {
  const { createdAt: _createdAt, startedAt, ...fields } = call;
  return { ...fields, startedAt: startedAt.toISOString() };
}
