// Real MCP servers for the tests, made with the protocol's own SDK: one over streamable HTTP on 127.0.0.1 that
// wants a bearer token, and the command line of one over stdio (stdio-mcp-server.mjs). Their tools: `add` (two
// numbers), `repeat` (a long text), `wait` (a slow answer), `shout` (text in capitals) and `fail` (always an error result).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export const MCP_TOKEN = 'mcp-test-token';

/** The tools both servers offer; `calls` hears every call. */
export function registerTestTools(server: McpServer, calls: { tool: string; input: unknown }[] = []) {
  server.registerTool(
    'add',
    { description: 'Add two numbers', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => {
      calls.push({ tool: 'add', input: { a, b } });
      return { content: [{ type: 'text', text: String(a + b) }] };
    },
  );
  server.registerTool(
    'repeat',
    { description: 'A text of `times` x', inputSchema: { times: z.number().int() } },
    async ({ times }) => ({ content: [{ type: 'text', text: 'x'.repeat(times) }] }),
  );
  server.registerTool(
    'wait',
    { description: 'Answers after `ms` milliseconds', inputSchema: { ms: z.number().int() } },
    async ({ ms }) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { content: [{ type: 'text', text: 'waited' }] };
    },
  );
  server.registerTool('fail', { description: 'Always fails', inputSchema: {} }, async () => {
    calls.push({ tool: 'fail', input: {} });
    return { content: [{ type: 'text', text: 'the weather station is offline' }], isError: true };
  });
}

export type HttpMcpServer = {
  url: string;
  calls: { tool: string; input: unknown }[];
  /** Requests refused for a missing or wrong token. */
  refused: number;
  /** How many times a client listed the tools: once per connection. */
  listings: number;
  close(): Promise<void>;
};

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** A stateless streamable HTTP MCP server at http://127.0.0.1:<port>/mcp, wanting `Bearer MCP_TOKEN`. */
export async function startHttpMcpServer(): Promise<HttpMcpServer> {
  const calls: { tool: string; input: unknown }[] = [];
  const state = { refused: 0, listings: 0 };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.headers.authorization !== `Bearer ${MCP_TOKEN}`) {
      state.refused += 1;
      response.writeHead(401).end();
      return;
    }
    const server = new McpServer({ name: 'test-http', version: '1.0.0' });
    registerTestTools(server, calls);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    const body = request.method === 'POST' ? await readJson(request) : undefined;
    if ((body as { method?: string } | undefined)?.method === 'tools/list') state.listings += 1;
    await transport.handleRequest(request, response, body);
  };
  const http = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    get refused() {
      return state.refused;
    },
    get listings() {
      return state.listings;
    },
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** The command line of the stdio server: `shout` answers with its text in capitals and the GREETING variable. */
export const STDIO_MCP_SERVER = {
  command: process.execPath,
  args: ['--import', 'tsx', fileURLToPath(new URL('./stdio-mcp-server.ts', import.meta.url))],
};
