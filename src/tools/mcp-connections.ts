// Connections to MCP servers through the AI SDK's MCP client, one per server, made on first use and kept for the
// next replies: a stdio server is one long-lived process, an HTTP server one session. A connection is remade when
// its server's settings change (its updatedAt, read with the server on every reply, so every process notices),
// dropped when it fails, and every one is closed on shutdown. A server that cannot be reached is not tried again
// for a while, so a server that is down delays no more than one reply in that time.
import { type CallToolResult, createMCPClient, type ListToolsResult, type MCPClient } from '@ai-sdk/mcp';
import { StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
import { AppError } from '../errors.ts';
import type { McpServer } from '../store/mcp-servers.ts';

export type McpToolDefinition = ListToolsResult['tools'][number];

export type McpConnectionSettings = {
  /** How long connecting and listing tools may take before the server counts as unreachable. */
  connectTimeoutMs: number;
  /** How long one tool call may take. */
  callTimeoutMs: number;
  /** How long an unreachable server is left alone before the next try. */
  retryAfterMs: number;
};

export const DEFAULT_MCP_CONNECTION_SETTINGS: McpConnectionSettings = {
  connectTimeoutMs: 10_000,
  callTimeoutMs: 60_000,
  retryAfterMs: 30_000,
};

type Connection = { version: number; ready: Promise<{ client: MCPClient; tools: McpToolDefinition[] }> };

const clientName = 'chorus';

function transportOf(server: McpServer) {
  if (server.transport === 'http') {
    if (!server.url) throw new AppError('invalid_input', `MCP server ${server.name} has no url`);
    return { type: 'http' as const, url: server.url, headers: server.headers };
  }
  if (!server.command) throw new AppError('invalid_input', `MCP server ${server.name} has no command`);
  return new StdioMCPTransport({ command: server.command, args: server.args, env: server.env, stderr: 'ignore' });
}

/** Connects and lists the server's tools (every page of them), within the connection timeout. */
async function connect(server: McpServer, timeout: number) {
  const signal = AbortSignal.timeout(timeout);
  const client = await createMCPClient({
    transport: transportOf(server),
    clientName,
    initializationOptions: { signal, timeout },
  });
  try {
    const tools: McpToolDefinition[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools({ params: cursor ? { cursor } : undefined, options: { signal, timeout } });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return { client, tools };
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
}

export class McpConnections {
  private readonly connections = new Map<string, Connection>();
  private readonly unreachableUntil = new Map<string, number>();
  private closed = false;

  constructor(private readonly settings: McpConnectionSettings = DEFAULT_MCP_CONNECTION_SETTINGS) {}

  /** The server's tools, connecting first if needed; throws when the server cannot be reached. */
  async toolsOf(server: McpServer): Promise<McpToolDefinition[]> {
    return (await this.connectionTo(server)).tools;
  }

  /**
   * Calls one tool. A failure of the connection itself drops it, so the next call connects again; the error is the
   * caller's (a tool call's error result).
   */
  async call(
    server: McpServer,
    name: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<CallToolResult> {
    const { client } = await this.connectionTo(server);
    try {
      return await client.callTool({
        name,
        arguments: args,
        options: { signal, timeout: this.settings.callTimeoutMs },
      });
    } catch (error) {
      if (!signal.aborted) this.drop(server.id);
      throw error;
    }
  }

  /** Connects afresh and lists the tools, bypassing the cache and the back-off: an admin's "test connection". */
  async probe(server: McpServer): Promise<McpToolDefinition[]> {
    const { client, tools } = await connect(server, this.settings.connectTimeoutMs);
    await client.close().catch(() => {});
    return tools;
  }

  /** Closes the connection to a server that changed or was deleted. */
  forget(serverId: string): void {
    this.unreachableUntil.delete(serverId);
    this.drop(serverId);
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map((connection) => closeConnection(connection)));
  }

  private async connectionTo(server: McpServer) {
    if (this.closed) throw new AppError('unavailable', 'the server is shutting down');
    const version = server.updatedAt.getTime();
    const known = this.connections.get(server.id);
    if (known?.version === version) return known.ready;
    if (known) this.drop(server.id);
    const retryAt = this.unreachableUntil.get(server.id);
    if (retryAt !== undefined && retryAt > Date.now()) {
      throw new AppError('unavailable', `MCP server ${server.name} was unreachable moments ago`);
    }
    const connection: Connection = { version, ready: connect(server, this.settings.connectTimeoutMs) };
    this.connections.set(server.id, connection);
    try {
      const ready = await connection.ready;
      this.unreachableUntil.delete(server.id);
      return ready;
    } catch (error) {
      if (this.connections.get(server.id) === connection) this.connections.delete(server.id);
      this.unreachableUntil.set(server.id, Date.now() + this.settings.retryAfterMs);
      throw error;
    }
  }

  private drop(serverId: string) {
    const connection = this.connections.get(serverId);
    if (!connection) return;
    this.connections.delete(serverId);
    void closeConnection(connection);
  }
}

async function closeConnection(connection: Connection): Promise<void> {
  try {
    const { client } = await connection.ready;
    await client.close();
  } catch {
    // A connection that never opened, or is already gone, has nothing to close.
  }
}
