// The admin's MCP servers as the tools page uses them (/api/admin/tools), and the text forms its inputs take:
// headers as `Name: value` lines, environment variables as `NAME=value` lines, arguments one a line.
import { apiRequest } from '../api.ts';
import type { McpServer, McpServerChanges, McpServerInput, McpTool, Page, ToolCallRecord } from '../types.ts';

export const listMcpServers = () =>
  apiRequest<{ servers: McpServer[] }>('GET', '/api/admin/tools').then(({ servers }) => servers);
export const createMcpServer = (input: McpServerInput) => apiRequest<McpServer>('POST', '/api/admin/tools', input);
export const changeMcpServer = (id: string, changes: McpServerChanges) =>
  apiRequest<McpServer>('PATCH', `/api/admin/tools/${id}`, changes);
export const deleteMcpServer = (id: string) => apiRequest<void>('DELETE', `/api/admin/tools/${id}`);
export const testMcpServer = (id: string) =>
  apiRequest<{ tools: McpTool[] }>('POST', `/api/admin/tools/${id}/test`).then(({ tools }) => tools);
export const listToolCalls = (serverId?: string) =>
  apiRequest<Page<ToolCallRecord>>(
    'GET',
    `/api/admin/tools/calls?limit=50${serverId ? `&serverId=${encodeURIComponent(serverId)}` : ''}`,
  );

/** Non-empty lines, trimmed. */
export const linesOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

/** `Name: value` or `NAME=value` lines as a record; a line without the separator is refused, naming it. */
export function pairsOf(text: string, separator: ':' | '='): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const line of linesOf(text)) {
    const at = line.indexOf(separator);
    if (at <= 0) throw new Error(`"${line}" is not written as name${separator}value`);
    pairs[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return pairs;
}
