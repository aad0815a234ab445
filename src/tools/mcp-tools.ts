// An MCP server's tools as reply tools: named `<server>__<tool>` so tools of different servers never clash with each
// other or with the document tools (whose names hold no `__`), described to the model by the server's own JSON
// Schema, and every call recorded with its input and its result or error.
import type { CallToolResult } from '@ai-sdk/mcp';
import type { JSONSchema7 } from 'ai';
import { z } from 'zod';
import type { McpServer } from '../store/mcp-servers.ts';
import type { NewToolCallRecord } from '../store/tool-calls.ts';
import type { McpConnections, McpToolDefinition } from './mcp-connections.ts';
import type { ReplyTool, Toolbox, ToolboxContext } from './reply-tools.ts';

/** The most characters of JSON a result may have: it is sent to the model and stored with the reply. */
export const MAX_RESULT_CHARS = 100_000;

/** What providers accept as a tool's name. */
const PROVIDER_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export const SERVER_TOOL_SEPARATOR = '__';

/** The name a model calls a server's tool by, or null when providers would refuse it. */
export function offeredToolName(serverName: string, toolName: string): string | null {
  const name = `${serverName}${SERVER_TOOL_SEPARATOR}${toolName}`;
  return PROVIDER_TOOL_NAME.test(name) ? name : null;
}

/** An MCP call's input is a JSON object; its schema is the server's to enforce. */
const argumentsSchema = z.record(z.string(), z.unknown());

/** The text of a result's text content, for an error the model reads. */
function textOf(result: CallToolResult): string {
  const content = 'content' in result && Array.isArray(result.content) ? result.content : [];
  const texts = content.flatMap((item) => (item.type === 'text' ? [item.text] : []));
  return texts.join('\n') || 'the tool reported an error';
}

/** What the model is given back: the result without the protocol's metadata. */
function outputOf(result: CallToolResult): unknown {
  const { _meta: _ignored, isError: _isError, ...output } = result as CallToolResult & { _meta?: unknown };
  return output;
}

export type McpToolsDependencies = {
  connections: McpConnections;
  recordCall(call: NewToolCallRecord): Promise<void>;
};

/** The tools of one server for one reply. */
export function toolsOfServer(
  { connections, recordCall }: McpToolsDependencies,
  server: McpServer,
  definitions: McpToolDefinition[],
  reply: ToolboxContext,
): Toolbox {
  const toolbox: Toolbox = {};
  for (const definition of definitions) {
    const name = offeredToolName(server.name, definition.name);
    if (!name) continue;
    const tool: ReplyTool<Record<string, unknown>> = {
      description: definition.description ?? definition.title ?? definition.name,
      inputSchema: argumentsSchema,
      parameters: definition.inputSchema as JSONSchema7,
      async execute(input, context) {
        const startedAt = new Date();
        const record = (outcome: { output?: unknown; error?: string }) =>
          recordCall({
            conversationId: reply.conversationId,
            messageId: context.messageId,
            userId: reply.actor.id,
            serverId: server.id,
            serverName: server.name,
            toolName: definition.name,
            toolCallId: context.toolCallId,
            input,
            ...outcome,
            startedAt,
            durationMs: Date.now() - startedAt.getTime(),
          });
        let result: CallToolResult;
        try {
          result = await connections.call(server, definition.name, input, context.abortSignal);
        } catch (error) {
          await record({ error: error instanceof Error ? error.message : String(error) });
          throw error;
        }
        if (result.isError) {
          await record({ output: outputOf(result), error: textOf(result) });
          throw new Error(textOf(result));
        }
        const output = outputOf(result);
        const size = JSON.stringify(output).length;
        if (size > MAX_RESULT_CHARS) {
          const error = `the result is ${size} characters of JSON, more than the ${MAX_RESULT_CHARS} a reply keeps`;
          await record({ error });
          throw new Error(error);
        }
        await record({ output });
        return output;
      },
    };
    toolbox[name] = tool as ReplyTool;
  }
  return toolbox;
}
