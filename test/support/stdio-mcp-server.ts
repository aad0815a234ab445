// An MCP server over stdio for the tests (see mcp-servers.ts): `shout` gives its text in capitals after the
// GREETING from its environment, plus the shared test tools.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { registerTestTools } from './mcp-servers.ts';

const server = new McpServer({ name: 'test-stdio', version: '1.0.0' });
server.registerTool(
  'shout',
  { description: 'Say the text loudly', inputSchema: { text: z.string() } },
  async ({ text }) => ({ content: [{ type: 'text', text: `${process.env.GREETING ?? ''} ${text.toUpperCase()}` }] }),
);
registerTestTools(server);
await server.connect(new StdioServerTransport());
