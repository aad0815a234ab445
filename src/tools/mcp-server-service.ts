// MCP servers as a service: the admin's register (kept consistent: an HTTP server has a URL, a stdio server a
// command), a connection test, the record of calls, and the servers' tools for a reply in a conversation that
// switched them on. A server that cannot be reached gives that reply none of its tools; the reply goes on.
import { AppError } from '../errors.ts';
import type { McpServer, McpServerInput, McpServerStore } from '../store/mcp-servers.ts';
import type { Page } from '../store/pagination.ts';
import type { ToolCallRecord, ToolCallStore } from '../store/tool-calls.ts';
import { type McpConnectionSettings, McpConnections, type McpToolDefinition } from './mcp-connections.ts';
import { toolsOfServer } from './mcp-tools.ts';
import type { Toolbox, ToolboxContext } from './reply-tools.ts';

export type McpServerServiceDependencies = {
  servers: McpServerStore;
  toolCalls: ToolCallStore;
  connectionSettings?: McpConnectionSettings;
  log?: (line: string) => void;
};

/** A server's settings must name how to reach it over its transport. */
function checkReachable(server: Pick<McpServer, 'transport' | 'url' | 'command'>): void {
  const field = server.transport === 'http' ? 'url' : 'command';
  if (!server[field]) {
    throw new AppError('invalid_input', `invalid request json: ${field}: required for a ${server.transport} server`, {
      details: [{ path: field, message: `required for a ${server.transport} server` }],
    });
  }
}

/** What the other transport's fields become when a server changes transport: nothing. */
function clearedForTransport(changes: Partial<McpServerInput>): Partial<McpServerInput> {
  if (changes.transport === 'http') return { command: null, args: [], env: {}, ...changes };
  if (changes.transport === 'stdio') return { url: null, headers: {}, ...changes };
  return changes;
}

export class McpServerService {
  private readonly connections: McpConnections;
  private readonly log: (line: string) => void;

  constructor(private readonly dependencies: McpServerServiceDependencies) {
    this.connections = new McpConnections(dependencies.connectionSettings);
    this.log = dependencies.log ?? (() => {});
  }

  list(): Promise<McpServer[]> {
    return this.dependencies.servers.list();
  }

  async create(input: McpServerInput & { createdBy: string }): Promise<McpServer> {
    checkReachable({ transport: input.transport, url: input.url ?? null, command: input.command ?? null });
    return this.dependencies.servers.create(input);
  }

  async update(id: string, changes: Partial<McpServerInput>): Promise<McpServer> {
    const current = await this.dependencies.servers.get(id);
    const effective = clearedForTransport(changes);
    checkReachable({ ...current, ...effective });
    const updated = await this.dependencies.servers.update(id, effective);
    this.connections.forget(id);
    return updated;
  }

  async delete(id: string): Promise<void> {
    await this.dependencies.servers.delete(id);
    this.connections.forget(id);
  }

  /** Connects to the server now and lists its tools; an unreachable server is a 502 with the reason. */
  async test(id: string): Promise<McpToolDefinition[]> {
    const server = await this.dependencies.servers.get(id);
    try {
      return await this.connections.probe(server);
    } catch (error) {
      throw new AppError('provider_error', `could not reach MCP server ${server.name}: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  listCalls(options: { serverId?: string; limit?: number; cursor?: string }): Promise<Page<ToolCallRecord>> {
    return this.dependencies.toolCalls.list(options);
  }

  /** The tools of the servers the conversation switched on, for one reply; servers that fail are left out. */
  async toolsFor(reply: ToolboxContext): Promise<Toolbox> {
    if (reply.mcpServerIds.length === 0) return {};
    let servers: McpServer[];
    try {
      servers = await this.dependencies.servers.listByIds(reply.mcpServerIds);
    } catch (error) {
      // Secrets that no configured key opens, say: the reply goes on without these tools.
      this.log(`the conversation's MCP servers are left out of a reply: ${messageOf(error)}`);
      return {};
    }
    const recordCall = (call: Parameters<ToolCallStore['record']>[0]) =>
      this.dependencies.toolCalls.record(call).catch((error) => {
        this.log(`could not record a call of ${call.serverName}/${call.toolName}: ${messageOf(error)}`);
      });
    const toolboxes = await Promise.all(
      servers.map(async (server) => {
        try {
          const definitions = await this.connections.toolsOf(server);
          return toolsOfServer({ connections: this.connections, recordCall }, server, definitions, reply);
        } catch (error) {
          this.log(`MCP server ${server.name} is left out of a reply: ${messageOf(error)}`);
          return {};
        }
      }),
    );
    return Object.assign({}, ...toolboxes);
  }

  close(): Promise<void> {
    return this.connections.closeAll();
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
